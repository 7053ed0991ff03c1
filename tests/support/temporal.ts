/**
 * Temporal environments for cpflow's tests, always on Temporal's own servers (provisioned by
 * `temporal-servers/`, done once per `npm test` by the global setup):
 * - {@link createTestEnvironment}: the time-skipping test server — months of procedure in seconds;
 * - {@link createDevServerEnvironment}: the dev server (`temporal server start-dev`) — real visibility.
 * Both through the standard `TestWorkflowEnvironment` API.
 */
import type { ConnectionPlugin } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { provisionServer } from '../../temporal-servers';
import { addSearchAttributes } from '../../worker/search-attributes';

let runtimeInstalled = false;

/** Installs the Temporal runtime with a quiet logger (TEMPORAL_LOG_LEVEL, default ERROR), once. */
function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    const level = (process.env.TEMPORAL_LOG_LEVEL ?? 'ERROR') as LogLevel;
    Runtime.install({
      logger: new DefaultLogger(level),
      telemetryOptions: { logging: { filter: { core: level, other: level }, forward: {} } },
    });
  } catch {
    // Already installed by the caller: keep theirs.
  }
}

/** Options of {@link createTestEnvironment} and {@link createDevServerEnvironment}. */
export interface TestEnvironmentOptions {
  /** Custom search attributes registered before the environment is returned. */
  readonly searchAttributes?: readonly SearchAttributeKey<SearchAttributeType>[];
}

/**
 * The time-skipping test server (a Java gRPC server) allows a client keepalive ping every 5 minutes at most and
 * answers more frequent ones (the client's default is 30 s) by closing the connection, which stalls calls in flight
 * for minutes: the client pings no more often than the server allows.
 */
const testServerKeepalive: ConnectionPlugin = {
  name: 'cpflow-test-server-keepalive',
  configureConnection: (options) => ({
    ...options,
    channelArgs: {
      ...options.channelArgs,
      'grpc.keepalive_time_ms': 310_000,
      'grpc.keepalive_permit_without_calls': 0,
    },
  }),
};

/** Creates an environment on Temporal's time-skipping test server. Share one per test file (useTestEnvironment). */
export async function createTestEnvironment(options: TestEnvironmentOptions = {}): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  const server = await provisionServer('time-skipping');
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: server.executable },
    plugins: [testServerKeepalive],
  });
  const keys = options.searchAttributes ?? [];
  if (keys.length > 0) await addSearchAttributes(env.connection, env.namespace ?? 'default', keys);
  return env;
}

/** Creates an environment on Temporal's dev server (real visibility, in memory). */
export async function createDevServerEnvironment(
  options: TestEnvironmentOptions = {},
): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  const server = await provisionServer('dev-server');
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: server.executable,
      searchAttributes: [...(options.searchAttributes ?? [])],
      log: { format: 'pretty', level: 'error' },
    },
  });
}
