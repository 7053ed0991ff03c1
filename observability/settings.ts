/**
 * The operations settings from the environment, checked before a process starts anything: each problem names
 * the variable and the rule, never the value (a mistyped value may be a secret or an address).
 *
 * | variable                                  | default          | what                                          |
 * | ----------------------------------------- | ---------------- | --------------------------------------------- |
 * | `CPFLOW_LOG_LEVEL`                        | `info`           | trace, debug, info, warn or error             |
 * | `CPFLOW_METRICS_PORT`                     | 9464, else free  | the operations port: /metrics, /health/*      |
 * | `CPFLOW_METRICS_HOST`                     | `127.0.0.1`      | the address it listens on (0.0.0.0 in a pod)  |
 * | `CPFLOW_SDK_METRICS_PORT`                 | a free port      | the Temporal SDK's own Prometheus endpoint    |
 * | `OTEL_EXPORTER_OTLP_ENDPOINT`             | unset: no traces | OTLP/HTTP collector; traces go to `/v1/traces` |
 * | `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`      | unset            | the full traces URL, instead of the above     |
 * | `OTEL_SERVICE_NAME`                       | the process's    | `service.name` of the spans                   |
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { httpUrlSetting } from '../config/url-setting';
import { LOG_LEVELS, type LogLevel } from './logger';

/** An operations setting is wrong. */
export class ObservabilitySettingsError extends Error {
  override readonly name = 'ObservabilitySettingsError';
}

/** The checked operations settings. */
export interface ObservabilitySettings {
  readonly logLevel: LogLevel;
  /** The operations port; undefined: 9464 when free, else any free port. 0: any free port. */
  readonly metricsPort?: number;
  readonly metricsHost: string;
  /** The SDK's Prometheus port (on 127.0.0.1); undefined: any free port. */
  readonly sdkMetricsPort?: number;
  /** Where spans are exported (OTLP over HTTP); undefined: tracing is off. */
  readonly otlpTracesUrl?: string;
  readonly serviceName?: string;
}

const PORT_RULE = 'must be a port number between 0 (any free port) and 65535';
const port = z
  .string()
  .regex(/^\d{1,5}$/, PORT_RULE)
  .transform(Number)
  .refine((n) => n <= 65535, PORT_RULE);

const collectorUrl = httpUrlSetting;

const Schema = z.object({
  CPFLOW_LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
  CPFLOW_METRICS_PORT: port.optional(),
  CPFLOW_METRICS_HOST: z
    .string()
    .refine((value) => isIP(value) !== 0, 'must be an IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0')
    .optional(),
  CPFLOW_SDK_METRICS_PORT: port.optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl(
    'must be the OTLP/HTTP collector’s address, starting http:// or https://',
  ).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collectorUrl(
    'must be the OTLP/HTTP traces address, starting http:// or https://',
  ).optional(),
  OTEL_SERVICE_NAME: z
    .string()
    .regex(/^[\w.-]{1,100}$/, 'must be a service name of letters, digits, dots, dashes or underscores')
    .optional(),
});

const set = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());

/** Reads and checks the operations settings; throws {@link ObservabilitySettingsError} naming every bad variable. */
export function readObservabilitySettings(env: NodeJS.ProcessEnv): ObservabilitySettings {
  const names = Object.keys(Schema.shape) as (keyof typeof Schema.shape)[];
  const given = Object.fromEntries(names.map((name) => [name, set(env[name])]).filter(([, v]) => v !== undefined));
  const parsed = Schema.safeParse(given);
  if (!parsed.success) {
    throw new ObservabilitySettingsError(
      parsed.error.issues.map((i) => `${String(i.path[0] ?? 'settings')}: ${i.message}`).join('; '),
    );
  }
  const s = parsed.data;
  const otlpTracesUrl =
    s.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (s.OTEL_EXPORTER_OTLP_ENDPOINT === undefined
      ? undefined
      : `${s.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces`);
  return {
    logLevel: s.CPFLOW_LOG_LEVEL ?? 'info',
    metricsHost: s.CPFLOW_METRICS_HOST ?? '127.0.0.1',
    ...(s.CPFLOW_METRICS_PORT === undefined ? {} : { metricsPort: s.CPFLOW_METRICS_PORT }),
    ...(s.CPFLOW_SDK_METRICS_PORT === undefined ? {} : { sdkMetricsPort: s.CPFLOW_SDK_METRICS_PORT }),
    ...(otlpTracesUrl === undefined ? {} : { otlpTracesUrl }),
    ...(s.OTEL_SERVICE_NAME === undefined ? {} : { serviceName: s.OTEL_SERVICE_NAME }),
  };
}
