import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveTemporalTarget, TemporalNotRunningError } from '../../client/connection';
import { type CpflowRuntime, RuntimeFileError, runtimeFilePath, writeRuntimeFile } from '../../client/runtime-file';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-conn-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const runtime = (pid: number): CpflowRuntime => ({
  temporalAddress: '127.0.0.1:7999',
  namespace: 'cases',
  temporalKind: 'dev-server',
  taskQueue: 'cpflow',
  pid,
  startedAt: '2026-01-01T00:00:00.000Z',
});

describe('finding Temporal for the CLI', () => {
  it('prefers TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE over runtime.json', async () => {
    await writeRuntimeFile(dataDir, runtime(process.pid));
    await expect(
      resolveTemporalTarget({ env: { TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'prod' }, dataDir }),
    ).resolves.toEqual({ address: 'temporal:7233', namespace: 'prod', source: 'env' });
  });

  it('uses the address a running npm start wrote', async () => {
    await writeRuntimeFile(dataDir, runtime(process.pid));
    await expect(resolveTemporalTarget({ env: {}, dataDir })).resolves.toEqual({
      address: '127.0.0.1:7999',
      namespace: 'cases',
      source: 'runtime.json',
    });
  });

  it('tells the user to run npm start when nothing is running', async () => {
    await expect(resolveTemporalTarget({ env: {}, dataDir })).rejects.toThrow(TemporalNotRunningError);
    await expect(resolveTemporalTarget({ env: {}, dataDir })).rejects.toThrow(
      /no TEMPORAL_ADDRESS and no .*runtime\.json.*`npm start`/,
    );
  });

  it('recognises a runtime.json left by a process that has exited', async () => {
    await writeRuntimeFile(dataDir, runtime(2 ** 22 + 12345));
    await expect(resolveTemporalTarget({ env: {}, dataDir })).rejects.toThrow(
      /names process \d+, which has exited.*`npm start`/,
    );
  });

  it('names the broken field of a malformed runtime.json', async () => {
    await writeFile(runtimeFilePath(dataDir), JSON.stringify({ ...runtime(process.pid), temporalKind: 'cloud' }));
    await expect(resolveTemporalTarget({ env: {}, dataDir })).rejects.toThrow(RuntimeFileError);
    await expect(resolveTemporalTarget({ env: {}, dataDir })).rejects.toThrow(/temporalKind: /);
  });
});
