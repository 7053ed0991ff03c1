/**
 * The operations port (`CPFLOW_METRICS_PORT` on `CPFLOW_METRICS_HOST`, loopback by default): what a scraper and
 * an orchestrator ask a cpflow process, in JSON or Prometheus text, never about a case.
 *
 * - `GET /metrics`: cpflow's metrics (observability/metrics.ts), then the Temporal SDK's (`temporal_*`), read
 *   from the SDK's own exporter on loopback.
 * - `GET /health/live`: 200 `{"status":"live"}` while the process serves.
 * - `GET /health/ready`: 200 `{"status":"ready","checks":{…}}` when every check is `up`, else 503 with
 *   `"status":"not-ready"`; a check is `pending` until the part it watches has started (Temporal reachable,
 *   the worker running, the mail transport answering).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConnectionLike } from '@temporalio/client';
import { preferredOrFreePort } from '../worker/ports';
import { type CpflowLogger, silentLogger } from './logger';
import { CpflowMetrics } from './metrics';
import type { ObservabilitySettings } from './settings';

/** How long one readiness check may take before it counts as down. */
export const CHECK_TIMEOUT_MS = 2000;

/** The state of one readiness check. */
export type CheckState = 'up' | 'down' | 'pending';

/** A readiness check: resolves true when the part it watches is usable. */
export type ReadinessCheck = () => Promise<boolean>;

/** The readiness of a process: named checks, each pending until it is given. */
export class Readiness {
  readonly #checks = new Map<string, ReadinessCheck | undefined>();

  constructor(names: readonly string[]) {
    for (const name of names) this.#checks.set(name, undefined);
  }

  /** Gives (or replaces) the check of `name`. */
  set(name: string, check: ReadinessCheck): void {
    this.#checks.set(name, check);
  }

  /** Runs every check (each bounded by {@link CHECK_TIMEOUT_MS}). */
  async report(): Promise<{ ready: boolean; checks: Record<string, CheckState> }> {
    const entries = await Promise.all(
      [...this.#checks].map(async ([name, check]): Promise<[string, CheckState]> => {
        if (check === undefined) return [name, 'pending'];
        return [name, (await withTimeout(check(), CHECK_TIMEOUT_MS).catch(() => false)) ? 'up' : 'down'];
      }),
    );
    return { ready: entries.every(([, state]) => state === 'up'), checks: Object.fromEntries(entries) };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Temporal answers: the frontend's GetSystemInfo. Its deadline comes before the check's timeout, so the client's
 * retries of an unreachable server end with the check.
 */
export function temporalCheck(connection: ConnectionLike): ReadinessCheck {
  return async () => {
    const deadline = Date.now() + CHECK_TIMEOUT_MS / 2;
    await connection.withDeadline(deadline, () => connection.workflowService.getSystemInfo({}));
    return true;
  };
}

/** The worker polls its task queue. */
export function workerCheck(worker: { getState(): string }): ReadinessCheck {
  return async () => worker.getState() === 'RUNNING';
}

/**
 * The mail transport answers (nodemailer's `verify()`: connect, greet, log in): the configured SMTP server, or
 * the local sink. Remembered for `maxAgeMs`, so frequent probes do not each open an SMTP session.
 */
export function mailCheck(transport: { verify(): Promise<unknown> }, maxAgeMs = 15_000): ReadinessCheck {
  let last: { ok: boolean; at: number } | undefined;
  let running: Promise<boolean> | undefined;
  return async () => {
    if (last !== undefined && Date.now() - last.at < maxAgeMs) return last.ok;
    running ??= transport
      .verify()
      .then(
        () => true,
        () => false,
      )
      .then((ok) => {
        last = { ok, at: Date.now() };
        running = undefined;
        return ok;
      });
    return running;
  };
}

/** Options of {@link startOperationsServer}. */
export interface OperationsServerOptions {
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  readonly metrics: CpflowMetrics;
  readonly readiness: Readiness;
  /** The Temporal SDK's Prometheus endpoint, appended to `/metrics`. */
  readonly sdkMetricsUrl?: string;
  readonly logger?: CpflowLogger;
}

/** A running operations server. */
export interface OperationsServer {
  /** e.g. `http://127.0.0.1:9464`. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts the operations server; resolves once it listens. */
export async function startOperationsServer(options: OperationsServerOptions): Promise<OperationsServer> {
  const logger = options.logger ?? silentLogger;
  const server = createServer((request, response) => {
    route(request, response, options).catch((error: unknown) => {
      logger.error('operations request failed', { error });
      if (!response.headersSent) send(response, 500, 'application/json', JSON.stringify({ error: 'failed' }));
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(request: IncomingMessage, response: ServerResponse, options: OperationsServerOptions) {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return send(response, 405, 'application/json', JSON.stringify({ error: 'method not allowed' }), { Allow: 'GET' });
  }
  switch (path) {
    case '/metrics': {
      const own = await options.metrics.metrics();
      const sdk = options.sdkMetricsUrl === undefined ? '' : await sdkMetrics(options.sdkMetricsUrl);
      return send(response, 200, options.metrics.contentType, sdk === '' ? own : `${own}\n${sdk}`);
    }
    case '/health/live':
      return send(response, 200, 'application/json', JSON.stringify({ status: 'live' }));
    case '/health/ready': {
      const { ready, checks } = await options.readiness.report();
      return send(
        response,
        ready ? 200 : 503,
        'application/json',
        JSON.stringify({ status: ready ? 'ready' : 'not-ready', checks }),
      );
    }
    default:
      return send(response, 404, 'application/json', JSON.stringify({ error: 'not found' }));
  }
}

/** The SDK's metrics text; empty when its exporter does not answer (the scrape still gets cpflow's). */
async function sdkMetrics(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
    return response.ok ? await response.text() : '';
  } catch {
    return '';
  }
}

function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store', ...headers });
  response.end(body);
}

/** The operations port chosen when `CPFLOW_METRICS_PORT` is unset and it is free (OpenTelemetry's Prometheus default). */
export const DEFAULT_METRICS_PORT = 9464;

/** A process's metrics, readiness and the server answering for them. */
export interface Operations {
  readonly metrics: CpflowMetrics;
  readonly readiness: Readiness;
  readonly url: string;
  stop(): Promise<void>;
}

/** Options of {@link startOperations}. */
export interface StartOperationsOptions {
  readonly settings: Pick<ObservabilitySettings, 'metricsHost' | 'metricsPort'>;
  /** The readiness checks, pending until given (`Readiness.set`). */
  readonly checks: readonly string[];
  readonly sdkMetricsUrl?: string;
  readonly logger?: CpflowLogger;
}

/** Starts a process's operations server with fresh metrics and pending checks. */
export async function startOperations(options: StartOperationsOptions): Promise<Operations> {
  const { metricsHost, metricsPort } = options.settings;
  const metrics = new CpflowMetrics();
  const readiness = new Readiness(options.checks);
  const server = await startOperationsServer({
    host: metricsHost,
    port: metricsPort ?? (await preferredOrFreePort(DEFAULT_METRICS_PORT, metricsHost)),
    metrics,
    readiness,
    ...(options.sdkMetricsUrl === undefined ? {} : { sdkMetricsUrl: options.sdkMetricsUrl }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  return { metrics, readiness, url: server.url, stop: () => server.stop() };
}
