/**
 * The Temporal that `npm start` uses, in order of preference:
 * 1. `TEMPORAL_ADDRESS` (+ `TEMPORAL_NAMESPACE`): an existing Temporal Service (e.g. docker-compose).
 * 2. The `temporal` CLI's dev server, if `temporal` is on the PATH, persisted in `<dataDir>/temporal.db`.
 * 3. The same dev server downloaded by `@temporalio/testing` (needs internet; fails fast offline).
 * 4. cpflow's own in-memory server (`test-server/`) in real-time mode: works anywhere, NOT durable.
 * `CPFLOW_EMBEDDED_TEMPORAL=temporal-cli|sdk-dev-server|in-memory` forces one embedded choice.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import type { TemporalKind } from '../client/runtime-file';
import { preferredOrFreePort } from './ports';

/** A Temporal server `npm start` can use. */
export interface TemporalService {
  readonly address: string;
  readonly namespace: string;
  readonly kind: TemporalKind;
  /** Whether workflows survive a restart. */
  readonly durable: boolean;
  /** Human description for the summary line. */
  readonly description: string;
  /** Stops it if `npm start` started it. */
  stop(): Promise<void>;
}

/** Options of {@link startTemporal}. */
export interface StartTemporalOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly dataDir: string;
  /** Progress and fallback notes, one line each. */
  readonly log: (line: string) => void;
}

/** No embedded Temporal could be started. */
export class EmbeddedTemporalError extends Error {
  override readonly name = 'EmbeddedTemporalError';
}

const EMBEDDED_CHOICES = ['temporal-cli', 'sdk-dev-server', 'in-memory'] as const;
type EmbeddedChoice = (typeof EMBEDDED_CHOICES)[number];

/** The shape of `test-server/index.ts` (see notes/interfaces.md), loaded lazily. */
interface TestServerModule {
  startTestServer(options: { port?: number; host?: string; timeSkipping: boolean }): Promise<{
    address: string;
    port: number;
    stop(): Promise<void>;
  }>;
}

/** Finds an executable on the PATH. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Starts (or connects to) the Temporal that `npm start` will use. */
export async function startTemporal(options: StartTemporalOptions): Promise<TemporalService> {
  const { env, dataDir, log } = options;
  const namespace = env.TEMPORAL_NAMESPACE || 'default';
  if (env.TEMPORAL_ADDRESS) {
    return {
      address: env.TEMPORAL_ADDRESS,
      namespace,
      kind: 'external',
      durable: true,
      description: 'external Temporal Service (TEMPORAL_ADDRESS)',
      stop: () => Promise.resolve(),
    };
  }
  const forced = env.CPFLOW_EMBEDDED_TEMPORAL;
  if (forced && !EMBEDDED_CHOICES.includes(forced as EmbeddedChoice)) {
    throw new EmbeddedTemporalError(`CPFLOW_EMBEDDED_TEMPORAL: must be one of ${EMBEDDED_CHOICES.join(', ')}`);
  }
  const allowed = (choice: EmbeddedChoice) => !forced || forced === choice;
  const preferredPort = env.CPFLOW_TEMPORAL_PORT ? Number(env.CPFLOW_TEMPORAL_PORT) : 7233;
  if (!Number.isInteger(preferredPort) || preferredPort < 0 || preferredPort > 65535) {
    throw new EmbeddedTemporalError('CPFLOW_TEMPORAL_PORT: must be a port number between 0 (any free port) and 65535');
  }
  const dbFile = path.join(dataDir, 'temporal.db');

  const cli = findOnPath('temporal', env);
  if (allowed('temporal-cli')) {
    if (cli) return startTemporalCli(cli, await preferredOrFreePort(preferredPort), dbFile, namespace, log);
    if (forced)
      throw new EmbeddedTemporalError('CPFLOW_EMBEDDED_TEMPORAL=temporal-cli, but `temporal` is not on the PATH');
  }
  if (allowed('sdk-dev-server')) {
    try {
      return await startSdkDevServer(await preferredOrFreePort(preferredPort), dbFile, namespace);
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 200);
      if (forced) throw new EmbeddedTemporalError(`could not start the downloaded Temporal dev server: ${reason}`);
      log(`Could not download Temporal's dev server (offline?); using the in-memory server. [${reason}]`);
    }
  }
  return startInMemory(await preferredOrFreePort(preferredPort), namespace);
}

async function startTemporalCli(
  executable: string,
  port: number,
  dbFile: string,
  namespace: string,
  log: (line: string) => void,
): Promise<TemporalService> {
  const child = spawn(
    executable,
    [
      'server',
      'start-dev',
      '--db-filename',
      dbFile,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--namespace',
      namespace,
      '--headless',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const address = `127.0.0.1:${port}`;
  await waitUntilServing(address, child, () => stderr);
  log(`Started the temporal CLI dev server (pid ${child.pid}).`);
  return {
    address,
    namespace,
    kind: 'temporal-cli',
    durable: true,
    description: `temporal CLI dev server, persisted in ${dbFile}`,
    stop: () => stopChild(child),
  };
}

async function waitUntilServing(address: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new EmbeddedTemporalError(`temporal server exited with code ${child.exitCode}: ${stderr().trim()}`);
    }
    try {
      const connection = await NativeConnection.connect({ address });
      await connection.close();
      return;
    } catch (err) {
      if (Date.now() > deadline) {
        await stopChild(child);
        throw new EmbeddedTemporalError(`temporal server did not answer on ${address} within 60s: ${String(err)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function startSdkDevServer(port: number, dbFile: string, namespace: string): Promise<TemporalService> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: { dbFilename: dbFile, ip: '127.0.0.1', port, namespace },
  });
  return {
    address: env.address,
    namespace,
    kind: 'sdk-dev-server',
    durable: true,
    description: `Temporal dev server (downloaded by @temporalio/testing), persisted in ${dbFile}`,
    stop: () => env.teardown(),
  };
}

async function startInMemory(port: number, namespace: string): Promise<TemporalService> {
  const specifier = '../test-server';
  let testServer: TestServerModule;
  try {
    testServer = (await import(specifier)) as TestServerModule;
  } catch (err) {
    throw new EmbeddedTemporalError(
      `no Temporal available: set TEMPORAL_ADDRESS, put the \`temporal\` CLI on the PATH, or provide test-server/ (${String(err)})`,
    );
  }
  const server = await testServer.startTestServer({ port, host: '127.0.0.1', timeSkipping: false });
  return {
    address: server.address,
    namespace,
    kind: 'in-memory',
    durable: false,
    description: "cpflow's in-memory Temporal test server (NOT durable: cases are lost when it stops)",
    stop: () => server.stop(),
  };
}
