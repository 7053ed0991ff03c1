/**
 * Provisioning of Temporal's own servers, idempotent and cached in the tools folder (`.tools/`):
 * 1. a server already installed from the registries is used as it is;
 * 2. where temporal.download is reachable, the SDK downloads its own server (cached under `.tools/sdk-downloads`);
 * 3. else it is installed from the registries: the dev server with `go install`, the time-skipping test server
 *    with Maven (registry-builds.ts), printing progress while it works;
 * 4. else a {@link ProvisioningError} names what to install.
 * `CPFLOW_TEMPORAL_SERVERS=download|registries` forces step 2 or 3.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { EphemeralServerExecutable } from '@temporalio/testing';
import { ProvisioningError } from './errors';
import { canReachTemporalDownloads } from './internet';
import { withLock } from './lock';
import { buildTemporalCli, fetchTestServer, temporalCliPath, testServerLauncherPath } from './registry-builds';
import { toolsDir } from './tools-dir';
import { TEMPORAL_CLI_VERSION, TEMPORAL_TEST_SERVER_VERSION } from './versions';

/** The two Temporal servers: the dev server (`temporal server start-dev`) and the time-skipping test server. */
export type TemporalServerKind = 'dev-server' | 'time-skipping';

/** A provisioned server, as the SDK's ephemeral-server options take it. */
export interface ProvisionedServer {
  readonly kind: TemporalServerKind;
  readonly executable: EphemeralServerExecutable;
  /** `registry`: installed here from the Go module proxy or Maven Central; `sdk-download`: the SDK downloads it. */
  readonly source: 'registry' | 'sdk-download';
  /** One line for people: which server, which version, from where. */
  readonly description: string;
}

/** Options of the provisioning functions. */
export interface ProvisionOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Progress lines (default: standard error). */
  readonly log?: (line: string) => void;
}

const SOURCES = ['auto', 'download', 'registries'] as const;
type SourceChoice = (typeof SOURCES)[number];

function sourceChoice(env: NodeJS.ProcessEnv): SourceChoice {
  const value = env.CPFLOW_TEMPORAL_SERVERS ?? 'auto';
  if (!(SOURCES as readonly string[]).includes(value)) {
    throw new ProvisioningError(`CPFLOW_TEMPORAL_SERVERS: must be one of ${SOURCES.join(', ')}`);
  }
  return value as SourceChoice;
}

const defaultLog = (line: string) => process.stderr.write(`${line}\n`);

let reachable: Promise<boolean> | undefined;
/** Asked once per process: the answer does not change while tests run. */
function downloadsReachable(): Promise<boolean> {
  reachable ??= canReachTemporalDownloads();
  return reachable;
}

/** What each kind is called and how it is installed from the registries. */
const KINDS = {
  'dev-server': {
    title: `Temporal dev server (temporal CLI ${TEMPORAL_CLI_VERSION})`,
    installedPath: temporalCliPath,
    install: buildTemporalCli,
  },
  'time-skipping': {
    title: `Temporal time-skipping test server (${TEMPORAL_TEST_SERVER_VERSION})`,
    installedPath: testServerLauncherPath,
    install: fetchTestServer,
  },
} as const;

function registryServer(kind: TemporalServerKind, file: string): ProvisionedServer {
  return {
    kind,
    executable: { type: 'existing-path', path: file },
    source: 'registry',
    description: `${KINDS[kind].title}, installed from the registries at ${file}`,
  };
}

/** Provisions one server (see the module comment); fast when it is already there. */
export async function provisionServer(
  kind: TemporalServerKind,
  options: ProvisionOptions = {},
): Promise<ProvisionedServer> {
  const env = options.env ?? process.env;
  const log = options.log ?? defaultLog;
  const tools = toolsDir(env);
  const choice = sourceChoice(env);
  const installed = KINDS[kind].installedPath(tools);
  if (choice !== 'download' && existsSync(installed)) return registryServer(kind, installed);
  if (choice === 'download' || (choice === 'auto' && (await downloadsReachable()))) {
    return {
      kind,
      executable: { type: 'cached-download', downloadDir: path.join(tools, 'sdk-downloads') },
      source: 'sdk-download',
      description: `${kind === 'dev-server' ? 'Temporal dev server' : 'Temporal time-skipping test server'}, downloaded by the SDK into ${path.join(tools, 'sdk-downloads')}`,
    };
  }
  const file = await withLock(`${path.dirname(installed)}.lock`, log, async () =>
    existsSync(installed) ? installed : KINDS[kind].install(tools, env, log),
  );
  return registryServer(kind, file);
}

/** Provisions both servers, one after the other (each build wants both cores). */
export async function provisionTemporalServers(
  options: ProvisionOptions = {},
): Promise<Record<TemporalServerKind, ProvisionedServer>> {
  const devServer = await provisionServer('dev-server', options);
  const timeSkipping = await provisionServer('time-skipping', options);
  return { 'dev-server': devServer, 'time-skipping': timeSkipping };
}
