/**
 * cpflow's one logger: JSON lines (pino) on stdout, one object per event — `level`, `time`, `msg`, the process's
 * `pid`, `hostname` and `service`, and the event's fields.
 *
 * Children's data rule: a log line cannot carry anything identifying. The message is fixed text written in the
 * code; whatever varies goes in fields, and a field is kept only when its key is in {@link SAFE_LOG_FIELDS} and
 * its value has that key's shape (a case reference, a team or staff id, a step id, a number…). Anything else is
 * dropped and counted in `droppedFields`: a name, an address or a referral's text has no key to travel under
 * and, with its spaces, no shape that passes. An error becomes its type and code, never its message or stack,
 * which may quote what they failed on. The Temporal SDK's logger ({@link TemporalLogger}) goes through the same
 * filter, so the workflow arguments, activations and failures it may attach are dropped too.
 */
import { hostname } from 'node:os';
import type { Logger as SdkLogger, LogLevel as SdkLogLevel, LogMetadata } from '@temporalio/common';
import pino from 'pino';
import { CASE_REFERENCE_PATTERN, STAFF_ID_PATTERN, TEAM_ID_PATTERN } from '../domain/case/identifiers';

/** Log levels, least severe first (`CPFLOW_LOG_LEVEL`). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A field's rule: a pattern its string value must match, or the one primitive type it may have. */
type FieldRule = RegExp | 'number' | 'boolean';

/** An identifier written by code: a workflow or activity type, a status, an error type. */
const IDENTIFIER = /^[A-Za-z][\w.-]{0,99}$/;
/** A token without spaces: ids, addresses, queue names (a sentence or a name with a space never matches). */
const TOKEN = /^[\w.:@/+=-]{1,200}$/;
const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const HEX = /^[0-9a-f]{1,64}$/;

/**
 * The fields a log line may carry, and the shape of each. Add a key here only for values that are pseudonymous
 * or procedural by construction.
 */
export const SAFE_LOG_FIELDS: Readonly<Record<string, FieldRule>> = {
  // cpflow's own
  caseReference: CASE_REFERENCE_PATTERN,
  stepId: KEBAB,
  teamId: TEAM_ID_PATTERN,
  staffId: STAFF_ID_PATTERN,
  notificationId: TOKEN,
  kind: KEBAB,
  status: IDENTIFIER,
  durationMs: 'number',
  count: 'number',
  errorType: IDENTIFIER,
  errorCode: IDENTIFIER,
  variable: /^[A-Z][A-Z0-9_]{0,63}$/,
  // where things run
  address: TOKEN,
  port: 'number',
  pid: 'number',
  url: /^https?:\/\/[\w.:[\]-]+(?:\/[\w./-]*)?$/,
  // the Temporal SDK's attributes (worker, workflow and activity loggers)
  namespace: TOKEN,
  taskQueue: TOKEN,
  workflowId: TOKEN,
  runId: TOKEN,
  workflowRunId: TOKEN,
  workflowType: IDENTIFIER,
  activityId: TOKEN,
  activityType: IDENTIFIER,
  updateId: TOKEN,
  attempt: 'number',
  isLocal: 'boolean',
  state: IDENTIFIER,
  sdkComponent: IDENTIFIER,
  // OpenTelemetry context the SDK's tracing interceptors add to activity log lines
  trace_id: HEX,
  span_id: HEX,
  trace_flags: HEX,
};

/** Keys whose value is an error: kept as its type and code only. */
const ERROR_KEYS = new Set(['error', 'err', 'failure']);

/** Fields given to a log call; only the safe ones reach the line. */
export type LogFields = Readonly<Record<string, unknown>>;

/** Keeps the fields that are allowed and well-formed; counts the rest. */
export function safeFields(fields: LogFields | undefined): Record<string, string | number | boolean> {
  const kept: Record<string, string | number | boolean> = {};
  let dropped = 0;
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value === undefined) continue;
    if (ERROR_KEYS.has(key)) {
      Object.assign(kept, errorFields(value));
      continue;
    }
    const rule = Object.prototype.hasOwnProperty.call(SAFE_LOG_FIELDS, key) ? SAFE_LOG_FIELDS[key] : undefined;
    if (rule !== undefined && fits(rule, value)) kept[key] = value as string | number | boolean;
    else dropped += 1;
  }
  if (dropped > 0) kept.droppedFields = dropped;
  return kept;
}

function fits(rule: FieldRule, value: unknown): boolean {
  if (rule === 'number') return typeof value === 'number' && Number.isFinite(value);
  if (rule === 'boolean') return typeof value === 'boolean';
  return typeof value === 'string' && rule.test(value);
}

/** An error's type (a Temporal failure's `type`, else its name) and code, when they are identifiers. */
export function errorFields(error: unknown): { errorType?: string; errorCode?: string } {
  if (typeof error !== 'object' || error === null) return {};
  const { type, name, code } = error as { type?: unknown; name?: unknown; code?: unknown };
  const errorType = [type, name].find((t): t is string => typeof t === 'string' && IDENTIFIER.test(t));
  const errorCode = typeof code === 'string' && IDENTIFIER.test(code) ? code : undefined;
  return {
    ...(errorType === undefined ? {} : { errorType }),
    ...(errorCode === undefined ? {} : { errorCode }),
  };
}

/** cpflow's logger: a fixed message and safe fields (see the module comment). */
export interface CpflowLogger {
  readonly level: LogLevel;
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Least severe level written (default `info`). */
  readonly level?: LogLevel;
  /** Which process writes (`service` on every line), e.g. `cpflow` or `cpflow-worker`. */
  readonly service?: string;
  /** Where the lines go (default stdout, written synchronously so the last lines survive an exit). */
  readonly destination?: pino.DestinationStream;
}

/** Creates a logger writing JSON lines. */
export function createLogger(options: LoggerOptions = {}): CpflowLogger {
  const level = options.level ?? 'info';
  const base = pino(
    {
      level,
      base: { pid: process.pid, hostname: hostname(), service: options.service ?? 'cpflow' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  const at =
    (name: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      if (base.isLevelEnabled(name)) base[name](safeFields(fields), message);
    };
  return { level, trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that writes nothing (tests, and callers that were given none). */
export const silentLogger: CpflowLogger = {
  level: 'error',
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** The Temporal SDK level of a cpflow level (`Runtime.install`, the core's log filter). */
export function sdkLevelOf(level: LogLevel): SdkLogLevel {
  return level.toUpperCase() as SdkLogLevel;
}

const cpflowLevelOf: Record<SdkLogLevel, LogLevel> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal SDK's logger (`Runtime.install({ logger })`) over a cpflow logger: the SDK's lines, the workflow
 * and activity context loggers' and, forwarded, the core's, all filtered like cpflow's own.
 */
export class TemporalLogger implements SdkLogger {
  constructor(private readonly logger: CpflowLogger) {}

  log(level: SdkLogLevel, message: string, meta?: LogMetadata): void {
    this.logger[cpflowLevelOf[level] ?? 'info'](message, meta);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.logger.trace(message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.logger.debug(message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.logger.info(message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.logger.warn(message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.logger.error(message, meta);
  }
}
