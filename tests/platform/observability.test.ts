/**
 * Operations without a Temporal server: the JSON logger and what it refuses to carry, the operations settings,
 * the notification counters, the operations port's endpoints, and what a span keeps when it leaves the process
 * (exported over OTLP/HTTP to a collector on loopback).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Connection } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createActivities, type Mailer, type SendNotificationInput } from '../../activities';
import { SmtpSettingsError } from '../../mail/errors';
import { InMemorySentLog } from '../../mail/sent-log';
import { checkMailFrom } from '../../mail/smtp-transport';
import { createLogger, errorFields, safeFields, silentLogger, TemporalLogger } from '../../observability/logger';
import { CpflowMetrics } from '../../observability/metrics';
import {
  type OperationsServer,
  Readiness,
  startOperationsServer,
  temporalCheck,
  workerCheck,
} from '../../observability/operations';
import { ObservabilitySettingsError, readObservabilitySettings } from '../../observability/settings';
import { PseudonymousSpanExporter, pseudonymousSpan, tracingFromSettings } from '../../observability/tracing';
import { readLinkSettings, WebSettingsError } from '../../web/web-settings';
import { thrownBy } from '../support/thrown';
import { testDirectory, testNotification } from '../support/notification-fixtures';

/** A logger writing into an array, one parsed JSON object per line. */
function capturedLogger(level: 'trace' | 'info' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { logger: createLogger({ level, service: 'cpflow-test', destination }), lines };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('the JSON logger', () => {
  it('writes one JSON object per line: level, time, message, service and the safe fields', () => {
    const { logger, lines } = capturedLogger();
    logger.info('notification sent', {
      caseReference: 'CP-2026-000123',
      stepId: 'strategy-discussion',
      teamId: 'team-north',
      kind: 'overdue-escalation',
      durationMs: 42,
    });
    logger.debug('not written at info');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      msg: 'notification sent',
      service: 'cpflow-test',
      caseReference: 'CP-2026-000123',
      stepId: 'strategy-discussion',
      teamId: 'team-north',
      kind: 'overdue-escalation',
      durationMs: 42,
    });
    expect(typeof lines[0].time).toBe('string');
    expect(lines[0]).not.toHaveProperty('droppedFields');
  });

  it('drops unknown keys and safe keys whose value has the wrong shape, counting them', () => {
    const { logger, lines } = capturedLogger();
    logger.warn('case refused', {
      caseReference: 'Jane Smith',
      childName: 'Jane',
      address: '12 Acacia Avenue, Bedford',
      allegation: { detail: 'images' },
      staffId: 'sw-0042',
      teamId: 'team-north',
    });
    const line = JSON.stringify(lines[0]);
    expect(lines[0]).toMatchObject({ staffId: 'sw-0042', teamId: 'team-north', droppedFields: 4 });
    for (const text of ['Jane', 'Acacia', 'Bedford', 'images', 'childName', 'allegation'])
      expect(line).not.toContain(text);
  });

  it('keeps an error’s type and code only, never its message or stack', () => {
    const failure = ApplicationFailure.create({ message: 'refused for Jane Smith', type: 'RecipientRejected' });
    expect(errorFields(failure)).toEqual({ errorType: 'RecipientRejected' });
    const { logger, lines } = capturedLogger();
    logger.error('sending failed', {
      error: Object.assign(new Error('at 12 Acacia Avenue'), { code: 'ECONNREFUSED' }),
    });
    expect(lines[0]).toMatchObject({ errorType: 'Error', errorCode: 'ECONNREFUSED' });
    expect(JSON.stringify(lines[0])).not.toContain('Acacia');
  });

  it('filters what the Temporal SDK attaches the same way (workflow arguments, activations, failures)', () => {
    const { logger, lines } = capturedLogger('trace');
    const sdk = new TemporalLogger(logger);
    sdk.trace('Got workflow activation', {
      runId: '0195f3c2-aaaa-7bbb-8ccc-0123456789ab',
      jobs: [{ initializeWorkflow: { arguments: [{ data: 'police reference BED/26/004711' }] } }],
    });
    sdk.warn('Workflow failed', {
      error: new ApplicationFailure('child aged 4 at 12 Acacia Avenue', 'CaseOpeningRefused'),
      workflowId: 'CP-2026-000123',
      workflowType: 'caseWorkflow',
      sdkComponent: 'worker',
    });
    sdk.log('INFO', 'Worker state changed', { state: 'RUNNING' });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['trace', 'Got workflow activation'],
      ['warn', 'Workflow failed'],
      ['info', 'Worker state changed'],
    ]);
    expect(lines[0]).toMatchObject({ runId: '0195f3c2-aaaa-7bbb-8ccc-0123456789ab', droppedFields: 1 });
    expect(lines[1]).toMatchObject({ errorType: 'CaseOpeningRefused', workflowId: 'CP-2026-000123' });
    expect(lines[2]).toMatchObject({ state: 'RUNNING' });
    expect(JSON.stringify(lines)).not.toMatch(/BED\/26|Acacia|aged 4/);
  });

  it('never lets a prototype key or a non-finite number through', () => {
    expect(safeFields({ constructor: 'x', toString: 'y', durationMs: Number.NaN, count: Infinity })).toEqual({
      droppedFields: 4,
    });
  });
});

describe('operations settings', () => {
  it('defaults: info, loopback, no tracing', () => {
    expect(readObservabilitySettings({})).toEqual({ logLevel: 'info', metricsHost: '127.0.0.1' });
    expect(tracingFromSettings(readObservabilitySettings({}), 'cpflow')).toBeUndefined();
  });

  it('reads every variable, and the traces address from the OTLP endpoint', () => {
    expect(
      readObservabilitySettings({
        CPFLOW_LOG_LEVEL: 'debug',
        CPFLOW_METRICS_PORT: '9100',
        CPFLOW_METRICS_HOST: '0.0.0.0',
        CPFLOW_SDK_METRICS_PORT: '0',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.internal:4318/',
        OTEL_SERVICE_NAME: 'cpflow-north',
      }),
    ).toEqual({
      logLevel: 'debug',
      metricsPort: 9100,
      metricsHost: '0.0.0.0',
      sdkMetricsPort: 0,
      otlpTracesUrl: 'http://collector.internal:4318/v1/traces',
      serviceName: 'cpflow-north',
    });
  });

  it('refuses an unknown log level naming the variable and the allowed values, never the value', () => {
    const error = thrownBy(ObservabilitySettingsError, () =>
      readObservabilitySettings({ CPFLOW_LOG_LEVEL: 'verbose-secret' }),
    );
    expect(error.message).toBe('CPFLOW_LOG_LEVEL: must be one of trace, debug, info, warn, error');
    expect(error.message).not.toContain('verbose-secret');
  });

  it('refuses bad ports, hosts and collector addresses, each named, never echoed', () => {
    const error = thrownBy(ObservabilitySettingsError, () =>
      readObservabilitySettings({
        CPFLOW_METRICS_PORT: '70000',
        CPFLOW_METRICS_HOST: 'metrics.example',
        CPFLOW_SDK_METRICS_PORT: 'nine',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector.example:4318',
      }),
    );
    expect(error.message).toContain('CPFLOW_METRICS_PORT: must be a port number');
    expect(error.message).toContain('CPFLOW_METRICS_HOST: must be an IP address');
    expect(error.message).toContain('CPFLOW_SDK_METRICS_PORT: must be a port number');
    expect(error.message).toContain('OTEL_EXPORTER_OTLP_ENDPOINT: must be the OTLP/HTTP collector’s address');
    expect(error.message).not.toMatch(/70000|metrics\.example|nine|collector\.example/);
  });

  it('refuses a link base without a scheme and a bad sender, naming the variable, never the value', () => {
    const links = thrownBy(WebSettingsError, () =>
      readLinkSettings({ CPFLOW_CASE_URL_BASE: 'cases.council.example/', CPFLOW_WEB_URL: 'x' }),
    );
    expect(links.message).toContain('CPFLOW_CASE_URL_BASE: must be an address starting http:// or https://');
    expect(links.message).toContain('CPFLOW_WEB_URL: must be the address people reach cpflow at');
    expect(links.message).not.toContain('council.example');
    expect(readLinkSettings({ CPFLOW_WEB_URL: 'https://cpflow.council.example' })).toEqual({
      CPFLOW_WEB_URL: 'https://cpflow.council.example',
    });
    const sender = thrownBy(SmtpSettingsError, () => checkMailFrom({ MAIL_FROM: 'cpflow at council' }));
    expect(sender.message).toContain('MAIL_FROM: must be an email address');
    expect(sender.message).not.toContain('cpflow at council');
    expect(() => checkMailFrom({ MAIL_FROM: 'cpflow <cpflow@council.example>' })).not.toThrow();
    expect(() => checkMailFrom({})).not.toThrow();
  });
});

describe('notification counters', () => {
  const directory = testDirectory;
  const notice = testNotification;

  it('counts sent, deferred (outage, retried) and failed (refused for good) by kind', async () => {
    const metrics = new CpflowMetrics({ processMetrics: false });
    let reply: 'ok' | 'down' | 'refused' = 'down';
    const mailer: Mailer = {
      sendMail: async () => {
        if (reply === 'down') throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        if (reply === 'refused') throw Object.assign(new Error('550'), { code: 'EENVELOPE', responseCode: 550 });
        return {};
      },
    };
    const activities = createActivities({
      mailer,
      sentLog: new InMemorySentLog(),
      directory,
      metrics: metrics.notifications,
    });
    const send = (input: SendNotificationInput) =>
      new MockActivityEnvironment({}, { logger: new TemporalLogger(silentLogger) })
        .run(activities.sendNotification, input)
        .catch((err: unknown) => err);
    await send(notice());
    reply = 'ok';
    await send(notice());
    await send(notice()); // already sent: not counted again
    reply = 'refused';
    await send(notice({ kind: 'overdue-escalation', recipient: 'team-manager:team-north' }));
    await send(notice({ recipient: 'practitioner:sw-0999' })); // not in the directory
    const text = await metrics.metrics();
    expect(text).toContain('cpflow_notifications_sent_total{kind="reminder"} 1');
    expect(text).toContain('cpflow_notifications_deferred_total{kind="reminder"} 1');
    expect(text).toContain('cpflow_notifications_failed_total{kind="overdue-escalation"} 1');
    expect(text).toContain('cpflow_notifications_failed_total{kind="reminder"} 1');
  });

  it('labels a kind it does not know as unknown', async () => {
    const metrics = new CpflowMetrics({ processMetrics: false });
    metrics.notifications.failed('Jane Smith');
    expect(await metrics.metrics()).toContain('cpflow_notifications_failed_total{kind="unknown"} 1');
    expect(await metrics.metrics()).not.toContain('Jane');
  });
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function operationsServer(readiness: Readiness, sdkMetricsUrl?: string): Promise<OperationsServer> {
  const server = await startOperationsServer({
    host: '127.0.0.1',
    port: 0,
    metrics: new CpflowMetrics({ processMetrics: false }),
    readiness,
    ...(sdkMetricsUrl === undefined ? {} : { sdkMetricsUrl }),
  });
  closers.push(() => server.stop());
  return server;
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

describe('the operations port', () => {
  it('is live at once, and ready only once every check has been given and is up', async () => {
    const readiness = new Readiness(['temporal', 'worker', 'mail']);
    const server = await operationsServer(readiness);
    expect(await getJson(`${server.url}/health/live`)).toEqual({ status: 200, body: { status: 'live' } });
    expect(await getJson(`${server.url}/health/ready`)).toEqual({
      status: 503,
      body: { status: 'not-ready', checks: { temporal: 'pending', worker: 'pending', mail: 'pending' } },
    });
    let state = 'INITIALIZED';
    readiness.set('temporal', async () => true);
    readiness.set('worker', workerCheck({ getState: () => state }));
    readiness.set('mail', async () => {
      throw new Error('connect ECONNREFUSED');
    });
    expect(await getJson(`${server.url}/health/ready`)).toEqual({
      status: 503,
      body: { status: 'not-ready', checks: { temporal: 'up', worker: 'down', mail: 'down' } },
    });
    state = 'RUNNING';
    readiness.set('mail', async () => true);
    expect(await getJson(`${server.url}/health/ready`)).toEqual({
      status: 200,
      body: { status: 'ready', checks: { temporal: 'up', worker: 'up', mail: 'up' } },
    });
    expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('is not ready while Temporal is unreachable', async () => {
    const { server: closed, url } = await serve(() => undefined);
    await new Promise((resolve) => closed.close(resolve)); // a port nothing listens on any more
    const connection = Connection.lazy({ address: url.replace('http://', ''), connectTimeout: 1000 });
    closers.push(() => connection.close());
    const readiness = new Readiness(['temporal']);
    readiness.set('temporal', temporalCheck(connection));
    const server = await operationsServer(readiness);
    expect(await getJson(`${server.url}/health/ready`)).toEqual({
      status: 503,
      body: { status: 'not-ready', checks: { temporal: 'down' } },
    });
  });

  it('serves cpflow’s metrics followed by the SDK’s', async () => {
    const sdk = await serve((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end('# TYPE temporal_worker_start counter\ntemporal_worker_start{namespace="default"} 1\n');
    });
    const server = await operationsServer(new Readiness([]), `${sdk.url}/metrics`);
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('# TYPE cpflow_notifications_sent_total counter');
    expect(text).toContain('temporal_worker_start{namespace="default"} 1');
    expect(text.indexOf('cpflow_notifications_sent_total')).toBeLessThan(text.indexOf('temporal_worker_start'));
  });
});

describe('spans leaving the process', () => {
  const unsafeSpan = (): ReadableSpan => ({
    name: 'RunActivity:sendNotifications',
    kind: SpanKind.INTERNAL,
    spanContext: () => ({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 }),
    startTime: [1, 0],
    endTime: [2, 0],
    status: { code: SpanStatusCode.ERROR, message: 'refused for 12 Acacia Avenue' },
    attributes: {
      temporalWorkflowId: 'CP-2026-000123',
      temporalActivityId: '7',
      referral: 'police reference BED/26/004711',
      temporalTerminateReason: 'Jane Smith moved away',
    },
    links: [],
    events: [
      {
        name: 'exception',
        time: [1, 5],
        attributes: {
          'exception.type': 'RecipientRejected',
          'exception.message': 'refused for 12 Acacia Avenue',
          'exception.stacktrace': 'at Acacia',
        },
      },
    ],
    duration: [1, 0],
    ended: true,
    resource: new Resource({ 'service.name': 'cpflow' }),
    instrumentationLibrary: { name: 'cpflow' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  });

  it('keep the ids and a failure’s type, nothing else', () => {
    const span = pseudonymousSpan(unsafeSpan());
    expect(span.attributes).toEqual({ temporalWorkflowId: 'CP-2026-000123', temporalActivityId: '7' });
    expect(span.events).toEqual([
      { name: 'exception', time: [1, 5], attributes: { 'exception.type': 'RecipientRejected' } },
    ]);
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('reach an OTLP/HTTP collector as protobuf without what was dropped', async () => {
    const received: { path: string; type: string; body: Buffer }[] = [];
    const collector = await serve((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          path: request.url ?? '',
          type: request.headers['content-type'] ?? '',
          body: Buffer.concat(chunks),
        });
        response.writeHead(200, { 'Content-Type': 'application/x-protobuf' });
        response.end();
      });
    });
    const settings = readObservabilitySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url });
    const exporter = new PseudonymousSpanExporter(new OTLPTraceExporter({ url: settings.otlpTracesUrl }));
    const result = await new Promise<{ code: number }>((resolve) => exporter.export([unsafeSpan()], resolve));
    await exporter.shutdown();
    expect(result.code).toBe(0);
    expect(received.map((r) => [r.path, r.type])).toEqual([['/v1/traces', 'application/x-protobuf']]);
    const body = received[0].body.toString('latin1');
    expect(body).toContain('CP-2026-000123');
    expect(body).toContain('RecipientRejected');
    expect(body).not.toMatch(/Acacia|BED\/26|Jane/);
  });
});
