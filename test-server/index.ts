/**
 * Programmatic entry point of the cpflow test server: a Temporal-compatible, in-memory,
 * NOT durable server for tests and local demos.
 */
import * as grpc from '@grpc/grpc-js';
import { createTestServer } from './server';

/** Options of {@link startTestServer}. */
export interface StartTestServerOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** true: Temporal test-server time skipping; false: wall-clock time. */
  timeSkipping: boolean;
  /** Custom search attributes to pre-register (name → Keyword, Text, Int, Double, Bool, Datetime, KeywordList). */
  searchAttributes?: Record<string, string>;
  /** Receives log lines (default: none). */
  log?: (message: string) => void;
  /** Suppresses the real-time mode "in-memory, NOT durable" warning on stderr (tests only). */
  quiet?: boolean;
}

/** The warning printed when the server runs in real-time mode (e.g. behind `npm start`). */
export const NOT_DURABLE_WARNING =
  'WARNING: this is the cpflow in-memory test server: NOT durable - every workflow is lost when it stops. ' +
  'For tests and local demos only; use a real Temporal server for anything else.';

/** A running test server. */
export interface RunningTestServer {
  /** host:port to give to Temporal clients and workers. */
  address: string;
  port: number;
  /** Stops the server, dropping all state. */
  stop(): Promise<void>;
}

/** Starts a test server and resolves once it accepts connections. */
export async function startTestServer(options: StartTestServerOptions): Promise<RunningTestServer> {
  const host = options.host ?? '127.0.0.1';
  const { grpcServer, engine, clock } = createTestServer({
    timeSkipping: options.timeSkipping,
    searchAttributes: options.searchAttributes,
    log: options.log,
  });
  const port = await new Promise<number>((resolve, reject) =>
    grpcServer.bindAsync(`${host}:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  if (!options.timeSkipping && !options.quiet) {
    process.stderr.write(`cpflow test server listening on ${host}:${port} (real time). ${NOT_DURABLE_WARNING}\n`);
  }
  return {
    address: `${host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        engine.shutdown();
        clock.stop();
        grpcServer.tryShutdown(() => resolve());
        setTimeout(() => {
          grpcServer.forceShutdown();
          resolve();
        }, 2000).unref();
      }),
  };
}
