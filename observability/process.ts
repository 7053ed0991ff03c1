/**
 * What a long-running cpflow process (`npm start`, `npm run worker`) sets up before anything else: its settings
 * checked, its JSON logger, the Temporal runtime (the SDK's logs through that logger, its metrics on a loopback
 * Prometheus endpoint) and, when a collector is configured, tracing.
 */
import { Runtime } from '@temporalio/worker';
import { findFreePort } from '../worker/ports';
import {
  createLogger,
  type CpflowLogger,
  type LoggerOptions,
  type LogLevel,
  sdkLevelOf,
  TemporalLogger,
} from './logger';
import { type ObservabilitySettings, readObservabilitySettings } from './settings';
import { type Tracing, tracingFromSettings } from './tracing';

/** A process's logging, SDK metrics endpoint and tracing. */
export interface ProcessObservability {
  readonly settings: ObservabilitySettings;
  readonly logger: CpflowLogger;
  /** The SDK's Prometheus endpoint (`http://127.0.0.1:<port>/metrics`). */
  readonly sdkMetricsUrl: string;
  /** Present when `OTEL_EXPORTER_OTLP_ENDPOINT` is set. */
  readonly tracing?: Tracing;
  /** Exports the spans still buffered and stops tracing. */
  shutdown(): Promise<void>;
}

/** The Rust core's own dependencies (gRPC, HTTP) speak at warn and above unless cpflow asks for less. */
function otherLevel(level: LogLevel): LogLevel {
  return level === 'error' ? 'error' : 'warn';
}

/**
 * Checks the operations settings (throwing {@link ObservabilitySettingsError} naming the variable), then
 * installs the Temporal runtime. Once per process, before any connection or worker.
 */
export async function installObservability(
  env: NodeJS.ProcessEnv,
  service: string,
  options: Pick<LoggerOptions, 'destination'> = {},
): Promise<ProcessObservability> {
  const settings = readObservabilitySettings(env);
  const logger = createLogger({ level: settings.logLevel, service, ...options });
  const sdkMetricsPort = settings.sdkMetricsPort || (await findFreePort());
  Runtime.install({
    logger: new TemporalLogger(logger),
    // cpflow's own signal handling stops the worker (worker/stop-signals.ts).
    shutdownSignals: [],
    telemetryOptions: {
      logging: {
        filter: { core: sdkLevelOf(settings.logLevel), other: sdkLevelOf(otherLevel(settings.logLevel)) },
        forward: {},
      },
      metrics: { prometheus: { bindAddress: `127.0.0.1:${sdkMetricsPort}` } },
    },
  });
  const tracing = tracingFromSettings(settings, service);
  return {
    settings,
    logger,
    sdkMetricsUrl: `http://127.0.0.1:${sdkMetricsPort}/metrics`,
    ...(tracing === undefined ? {} : { tracing }),
    shutdown: async () => {
      await tracing?.shutdown();
    },
  };
}
