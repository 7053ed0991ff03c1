/**
 * How the CLI finds Temporal: `TEMPORAL_ADDRESS` (+ `TEMPORAL_NAMESPACE`) if set, else the address a
 * running `npm start` wrote to `<dataDir>/runtime.json`, else a clear error telling the user to start it.
 */
import { Client, Connection } from '@temporalio/client';
import { cpflowDataDir } from './data-dir';
import { configuredPayloadKeys } from './payload-keys';
import { connectionOptionsOf, cpflowDataConverter, readTemporalSecurity } from './temporal-settings';
import { isProcessAlive, readRuntimeFile, runtimeFilePath } from './runtime-file';

/** Where to reach Temporal, and how we know. */
export interface TemporalTarget {
  readonly address: string;
  readonly namespace: string;
  /** `env` (TEMPORAL_ADDRESS) or `runtime.json` (a running `npm start`). */
  readonly source: 'env' | 'runtime.json';
}

/** No Temporal server is configured or running. */
export class TemporalNotRunningError extends Error {
  override readonly name = 'TemporalNotRunningError';
}

/** Options of {@link resolveTemporalTarget} and {@link connectCpflowClient}. */
export interface ConnectOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Default: {@link cpflowDataDir}. */
  readonly dataDir?: string;
}

/** Works out which Temporal server the CLI should talk to, without connecting. */
export async function resolveTemporalTarget(options: ConnectOptions = {}): Promise<TemporalTarget> {
  const env = options.env ?? process.env;
  const namespace = env.TEMPORAL_NAMESPACE || 'default';
  if (env.TEMPORAL_ADDRESS) {
    return { address: env.TEMPORAL_ADDRESS, namespace, source: 'env' };
  }
  const dataDir = options.dataDir ?? cpflowDataDir(env);
  const runtime = await readRuntimeFile(dataDir);
  if (!runtime) {
    throw new TemporalNotRunningError(
      `cpflow is not running: no TEMPORAL_ADDRESS and no ${runtimeFilePath(dataDir)}. ` +
        'Start it in another terminal with `npm start` (or set TEMPORAL_ADDRESS).',
    );
  }
  if (!isProcessAlive(runtime.pid)) {
    throw new TemporalNotRunningError(
      `cpflow is not running: ${runtimeFilePath(dataDir)} names process ${runtime.pid}, which has exited. ` +
        'Start it again with `npm start`.',
    );
  }
  return { address: runtime.temporalAddress, namespace: runtime.namespace, source: 'runtime.json' };
}

/**
 * Connects a Temporal client for the CLI. Close it with `client.connection.close()`.
 * Throws {@link TemporalNotRunningError} when there is nothing to connect to.
 */
export async function connectCpflowClient(options: ConnectOptions = {}): Promise<Client> {
  const env = options.env ?? process.env;
  const dataDir = options.dataDir ?? cpflowDataDir(env);
  const target = await resolveTemporalTarget(options);
  // Read before connecting: a bad setting is said as such, not as an unreachable server.
  const security = target.source === 'env' ? readTemporalSecurity(env) : {};
  const keys = configuredPayloadKeys(env, dataDir);
  if (keys === undefined) {
    throw new TemporalNotRunningError(
      `no payload keys: set CPFLOW_PAYLOAD_KEYS_FILE (or CPFLOW_PAYLOAD_KEYS) to cpflow's key set, or start cpflow ` +
        `once with \`npm start\` so that ${dataDir} has one`,
    );
  }
  let connection: Connection;
  try {
    connection = await Connection.connect({
      address: target.address,
      connectTimeout: '5s',
      ...connectionOptionsOf(security),
    });
  } catch (err) {
    const hint = target.source === 'env' ? 'check TEMPORAL_ADDRESS' : 'is `npm start` still running?';
    throw new TemporalNotRunningError(
      `cannot reach Temporal at ${target.address} (from ${target.source === 'env' ? 'TEMPORAL_ADDRESS' : 'runtime.json'}): ` +
        `${err instanceof Error ? err.message : String(err)}; ${hint}`,
    );
  }
  return new Client({ connection, namespace: target.namespace, dataConverter: cpflowDataConverter(keys) });
}
