/**
 * Provisioning of Temporal's servers (temporal-servers/): what is already installed is used as it is, a machine
 * that can neither download nor build gets an error naming what to install, and settings are checked. The
 * installs themselves run in every `npm test`'s global setup on a fresh machine.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { provisionServer, ProvisioningError, TEMPORAL_CLI_VERSION } from '../../temporal-servers';
import { temporalCliPath, testServerLauncherPath } from '../../temporal-servers/registry-builds';
import { rejectionOf } from '../support/thrown';

let tools: string;
const lines: string[] = [];
const log = (line: string) => lines.push(line);

beforeEach(async () => {
  tools = await mkdtemp(path.join(os.tmpdir(), 'cpflow-tools-'));
  lines.length = 0;
});
afterEach(async () => {
  await rm(tools, { recursive: true, force: true });
});

/** An environment with only `PATH` (as given), the tools folder and the source of servers set. */
function env(pathValue: string, source = 'registries'): NodeJS.ProcessEnv {
  return { PATH: pathValue, CPFLOW_TOOLS_DIR: tools, CPFLOW_TEMPORAL_SERVERS: source };
}

describe('provisioning Temporal’s servers', () => {
  it('uses a server already installed in the tools folder, without building anything', async () => {
    const cli = temporalCliPath(tools);
    await mkdir(path.dirname(cli), { recursive: true });
    await writeFile(cli, '#!/bin/sh\n');
    await chmod(cli, 0o755);
    const server = await provisionServer('dev-server', { env: env(''), log });
    expect(server).toMatchObject({
      kind: 'dev-server',
      source: 'registry',
      executable: { type: 'existing-path', path: cli },
    });
    expect(server.description).toContain(`temporal CLI ${TEMPORAL_CLI_VERSION}`);
    expect(lines).toEqual([]);
  });

  it('keys the test server by its recipe, so a changed pom or launcher provisions afresh', () => {
    const launcher = testServerLauncherPath(tools);
    expect(path.basename(path.dirname(launcher))).toMatch(/^\d+\.\d+\.\d+-[0-9a-f]{10}$/);
    expect(testServerLauncherPath(tools)).toBe(launcher);
  });

  it('names what to install when the dev server can neither be downloaded nor built', async () => {
    const error = await rejectionOf(
      ProvisioningError,
      provisionServer('dev-server', { env: env('/nonexistent'), log }),
    );
    expect(error.message).toMatch(
      /cannot install Temporal's dev server: .*`go` is not on the PATH\. Install Go 1\.25 or newer/,
    );
  });

  it('names what to install when the test server can neither be downloaded nor fetched', async () => {
    const error = await rejectionOf(
      ProvisioningError,
      provisionServer('time-skipping', { env: env('/nonexistent'), log }),
    );
    expect(error.message).toMatch(/`java` \(a JDK or JRE 17\+\) and `mvn` \(Apache Maven\) cannot be found/);
  });

  it('hands the SDK its own download when asked to', async () => {
    const server = await provisionServer('time-skipping', { env: env('', 'download'), log });
    expect(server).toMatchObject({
      source: 'sdk-download',
      executable: { type: 'cached-download', downloadDir: path.join(tools, 'sdk-downloads') },
    });
  });

  it('refuses an unknown source, naming the variable and its values', async () => {
    const error = await rejectionOf(ProvisioningError, provisionServer('dev-server', { env: env('', 'docker'), log }));
    expect(error.message).toBe('CPFLOW_TEMPORAL_SERVERS: must be one of auto, download, registries');
  });
});
