/**
 * The Temporal that `npm start` uses:
 * - `TEMPORAL_ADDRESS` (+ `TEMPORAL_NAMESPACE`): an existing Temporal Service (docker compose, a cluster, Cloud);
 * - otherwise Temporal's own dev server (`temporal server start-dev`, provisioned by temporal-servers/), with its
 *   SQLite database in the data folder and its Web UI on, so cases survive a restart and email links open.
 * There is no in-memory fallback: a Temporal that forgets cases would let `cpflow overdue` report a false
 * all-clear after a restart.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import { provisionServer, type ProvisionedServer } from '../temporal-servers';
import { isProcessAlive, type TemporalKind } from '../client/runtime-file';
import { preferredOrFreePort } from './ports';

/** A Temporal server `npm start` uses. */
export interface TemporalService {
  readonly address: string;
  readonly namespace: string;
  readonly kind: TemporalKind;
  /** The Temporal Web UI's base address, when `npm start` runs it. */
  readonly webUi?: string;
  /** Process id of the embedded dev server (recorded so a later start can stop one left behind). */
  readonly pid?: number;
  /** One line for people: what it is and where its data lives. */
  readonly description: string;
  /** Stops it if `npm start` started it. */
  stop(): Promise<void>;
}

/** Options of {@link startTemporal}. */
export interface StartTemporalOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly dataDir: string;
  /** Progress lines. */
  readonly log: (line: string) => void;
  /** A dev server a previous `npm start` of this data folder left running (its cpflow process died). */
  readonly leftBehindPid?: number;
  /** The remote codec the dev server's Web UI decrypts histories with (the web service's `/codec`). */
  readonly codecEndpoint?: string;
}

/** The embedded Temporal could not be started. */
export class EmbeddedTemporalError extends Error {
  override readonly name = 'EmbeddedTemporalError';
}

/** The file of the dev server's SQLite database in a data folder. */
export function temporalDatabaseFile(dataDir: string): string {
  return path.join(dataDir, 'temporal.db');
}

function portSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  const port = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new EmbeddedTemporalError(`${name}: must be a port number between 0 (any free port) and 65535`);
  }
  return port;
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
      description: 'external Temporal Service (TEMPORAL_ADDRESS)',
      stop: () => Promise.resolve(),
    };
  }
  const grpcPort = portSetting(env, 'CPFLOW_TEMPORAL_PORT', 7233);
  const uiPortSetting = portSetting(env, 'CPFLOW_TEMPORAL_UI_PORT', grpcPort === 0 ? 0 : grpcPort + 1000);
  const dbFile = temporalDatabaseFile(dataDir);
  if (options.leftBehindPid !== undefined) await stopLeftBehind(options.leftBehindPid, dbFile, log);
  const server = await provisionServer('dev-server', { env, log });
  const port = await preferredOrFreePort(grpcPort);
  const uiPort = await preferredOrFreePort(uiPortSetting);
  return server.executable.type === 'existing-path'
    ? startDevServerProcess(server.executable.path, { port, uiPort, dbFile, namespace, ...codecOf(options) })
    : startDownloadedDevServer(server, { port, uiPort, dbFile, namespace, ...codecOf(options) });
}

function codecOf(options: StartTemporalOptions): { codecEndpoint?: string } {
  return options.codecEndpoint === undefined ? {} : { codecEndpoint: options.codecEndpoint };
}

interface DevServerSettings {
  readonly port: number;
  readonly uiPort: number;
  readonly dbFile: string;
  readonly namespace: string;
  readonly codecEndpoint?: string;
}

/** The dev server's arguments that point its Web UI at cpflow's remote codec. */
function codecArgs(settings: DevServerSettings): string[] {
  return settings.codecEndpoint === undefined ? [] : ['--ui-codec-endpoint', settings.codecEndpoint];
}

function describeDevServer(settings: DevServerSettings): string {
  return `Temporal dev server, database ${settings.dbFile}`;
}

/**
 * Runs a command in a process group of its own and stops it (SIGTERM) when its standard input closes: when the
 * process that started it ends, however it ends — even by `kill -9`. A terminal's Ctrl-C does not reach it, so
 * cpflow stops its worker while Temporal still serves, and only then stops Temporal.
 */
const STOP_WITH_PARENT = [
  // A background job's standard input is /dev/null unless redirected: keep the parent's pipe on fd 3 for the watcher.
  'exec 3<&0',
  '"$@" </dev/null 3<&- & server=$!',
  '( while read -r _; do :; done; kill -TERM "$server" 2>/dev/null ) <&3 & watcher=$!',
  'exec 3<&-',
  'trap \'kill -TERM "$server" 2>/dev/null\' TERM INT',
  'while kill -0 "$server" 2>/dev/null; do wait "$server"; done',
  'kill "$watcher" 2>/dev/null',
].join('\n');

/**
 * Runs `temporal server start-dev`, tied to cpflow's life ({@link STOP_WITH_PARENT}); SQLite keeps what was
 * committed whenever it stops.
 */
async function startDevServerProcess(executable: string, settings: DevServerSettings): Promise<TemporalService> {
  const { port, uiPort, dbFile, namespace } = settings;
  const child = spawn(
    'sh',
    [
      '-c',
      STOP_WITH_PARENT,
      'cpflow-dev-server',
      executable,
      'server',
      'start-dev',
      '--db-filename',
      dbFile,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--ui-port',
      String(uiPort),
      '--namespace',
      namespace,
      '--log-level',
      'error',
      ...codecArgs(settings),
    ],
    { stdio: ['pipe', 'ignore', 'pipe'], detached: true },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const address = `127.0.0.1:${port}`;
  await waitUntilServing(address, child, () => stderr);
  return {
    address,
    namespace,
    kind: 'dev-server',
    webUi: `http://127.0.0.1:${uiPort}`,
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    description: describeDevServer(settings),
    stop: () => stopChild(child),
  };
}

/** Where the SDK downloads the dev server (internet reachable), the SDK runs it. */
async function startDownloadedDevServer(
  server: ProvisionedServer,
  settings: DevServerSettings,
): Promise<TemporalService> {
  const { port, uiPort, dbFile, namespace } = settings;
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: server.executable,
      dbFilename: dbFile,
      ip: '127.0.0.1',
      port,
      ui: true,
      uiPort,
      namespace,
      extraArgs: codecArgs(settings),
    },
  });
  return {
    address: env.address,
    namespace,
    kind: 'dev-server',
    webUi: `http://127.0.0.1:${uiPort}`,
    description: `${describeDevServer(settings)} (downloaded by the SDK)`,
    stop: () => env.teardown(),
  };
}

async function waitUntilServing(address: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new EmbeddedTemporalError(`Temporal dev server exited with code ${child.exitCode}: ${stderr().trim()}`);
    }
    try {
      const connection = await NativeConnection.connect({ address });
      await connection.close();
      return;
    } catch (err) {
      if (Date.now() > deadline) {
        await stopChild(child);
        throw new EmbeddedTemporalError(`Temporal dev server did not answer on ${address} within 60 s: ${String(err)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** SIGTERM to the server's process group, then SIGKILL after 10 s; resolves when the group's leader has exited. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // Already gone.
    }
  };
  return new Promise((resolve) => {
    const force = setTimeout(() => signalGroup('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    signalGroup('SIGTERM');
  });
}

/** Whether a process is a dev server on this database (a pid may have been reused by something else). */
function isDevServerOn(pid: number, dbFile: string): boolean {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.includes('start-dev') && args.includes(dbFile);
  } catch {
    return false;
  }
}

/**
 * The dev server of a cpflow that was killed stops by itself, but may still be shutting down, holding the
 * database and ports; one that is still running on this database (its own stop failed) is stopped. Either way,
 * wait until it is gone before starting anew on the same database.
 */
async function stopLeftBehind(pid: number, dbFile: string, log: (line: string) => void): Promise<void> {
  if (!isProcessAlive(pid) || !isDevServerOn(pid, dbFile)) return;
  log(`Waiting for the Temporal dev server of a previous cpflow to stop (pid ${pid}).`);
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // Gone meanwhile.
  }
  const deadline = Date.now() + 15_000;
  while (isProcessAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  if (isProcessAlive(pid)) process.kill(-pid, 'SIGKILL');
}
