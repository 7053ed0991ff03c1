/**
 * Operations on Temporal's dev server, in a process set up as `npm start` sets itself up (installObservability:
 * JSON logs, the SDK's logs through them, the SDK's Prometheus endpoint): start-up refusals, the case gauges read
 * from visibility, readiness going from not ready to ready and back to not ready when Temporal goes away, and
 * /metrics carrying cpflow's counters beside the SDK's metrics.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { TypedSearchAttributes } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCpflowClient } from '../../client/connection';
import { readRuntimeFile } from '../../client/runtime-file';
import type { IsoDate } from '../../domain/calendar';
import { notificationIdFor } from '../../domain/notifications';
import { SmtpSettingsError } from '../../mail/errors';
import { Mailbox } from '../../mail/mailbox';
import { startSmtpSink, type SmtpSink } from '../../mail/smtp-sink';
import { SAFE_LOG_FIELDS } from '../../observability/logger';
import { CpflowMetrics } from '../../observability/metrics';
import { Readiness, startOperationsServer, temporalCheck } from '../../observability/operations';
import { installObservability, type ProcessObservability } from '../../observability/process';
import { ObservabilitySettingsError } from '../../observability/settings';
import { findFreePort } from '../../worker/ports';
import { startAdditionalWorker, startCpflow } from '../../worker/app';
import { WebSettingsError } from '../../web/web-settings';
import {
  CPFLOW_CASE_OPEN,
  CPFLOW_EARLIEST_DUE,
  CPFLOW_OPEN_STEP_DUES,
  CPFLOW_SEARCH_ATTRIBUTES,
  CPFLOW_TEAM,
} from '../../workflows/search-attributes';
import { CPFLOW_TASK_QUEUE } from '../../workflows/task-queue';
import { createDevServerEnvironment } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import { rejectionOf } from '../support/thrown';
import type { notifyTwice } from './fixtures/notify-workflow';

/** The process's log lines, parsed. */
const lines: Record<string, unknown>[] = [];
const destination = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    callback();
  },
});
let observability: ProcessObservability;
const temporal = useTestEnvironment({
  create: async () => {
    // Before the environment: the Temporal runtime is installed once per process, by whoever comes first.
    observability = await installObservability({ CPFLOW_LOG_LEVEL: 'info' }, 'cpflow-test', { destination });
    return createDevServerEnvironment({ searchAttributes: CPFLOW_SEARCH_ATTRIBUTES });
  },
});
let dataDir: string;
let sink: SmtpSink;
const progress: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-operations-'));
  sink = await startSmtpSink({ mailbox: Mailbox.inDataDir(path.join(dataDir, 'smtp')) });
});

afterAll(async () => {
  await sink.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const externalEnv = (): NodeJS.ProcessEnv => ({
  TEMPORAL_ADDRESS: temporal().address,
  SMTP_HOST: sink.host,
  SMTP_PORT: String(sink.port),
  MAIL_FROM: 'cpflow <cpflow@council.example>',
  CPFLOW_DIRECTORY_FILE: path.resolve(__dirname, '../../mail/directory.example.json'),
});

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('start-up settings', () => {
  it('refuse an unknown log level, a bad sender and a link base without a scheme, naming only the variable', async () => {
    const log = (line: string) => progress.push(line);
    const level = await rejectionOf(
      ObservabilitySettingsError,
      startCpflow({ env: { ...externalEnv(), CPFLOW_LOG_LEVEL: 'chatty' }, dataDir, log }),
    );
    expect(level.message).toBe('CPFLOW_LOG_LEVEL: must be one of trace, debug, info, warn, error');
    // With the local SMTP sink, MAIL_FROM is the only thing of the sender that is configured.
    const sender = await rejectionOf(
      SmtpSettingsError,
      startCpflow({ env: { CPFLOW_SMTP_SINK_PORT: '0', MAIL_FROM: 'cpflow at the council' }, dataDir, log }),
    );
    expect(sender.message).toContain('MAIL_FROM: must be an email address');
    expect(sender.message).not.toContain('the council');
    expect(await readRuntimeFile(dataDir)).toBeUndefined();

    const worker = (env: NodeJS.ProcessEnv) =>
      startAdditionalWorker({ env: { ...externalEnv(), ...env }, dataDir, log });
    const base = await rejectionOf(WebSettingsError, worker({ CPFLOW_CASE_URL_BASE: 'cases.council.example/' }));
    expect(base.message).toContain('CPFLOW_CASE_URL_BASE: must be an address starting http:// or https://');
    const web = await rejectionOf(WebSettingsError, worker({ CPFLOW_WEB_URL: 'cpflow.council.example' }));
    expect(web.message).toContain('CPFLOW_WEB_URL: must be the address people reach cpflow at');
    const quiet = await rejectionOf(ObservabilitySettingsError, worker({ CPFLOW_LOG_LEVEL: 'quiet' }));
    const bounce = await rejectionOf(SmtpSettingsError, worker({ SMTP_HOST: undefined, MAIL_FROM: 'nobody' }));
    for (const error of [level, base, web, quiet, bounce]) {
      expect(error.message).not.toMatch(/chatty|council\.example|quiet|nobody/);
    }
  });
});

describe('case gauges', () => {
  it('count open cases and the steps overdue by team from visibility, read again after 30 s', async () => {
    const client = temporal().client;
    const start = (workflowId: string, team: string, dues: string[], open = true) =>
      client.workflow.start('gaugeFixture', {
        taskQueue: 'cpflow-gauges-fixture', // no worker: the workflows stay running, as open cases do
        workflowId,
        typedSearchAttributes: new TypedSearchAttributes([
          { key: CPFLOW_CASE_OPEN, value: open },
          { key: CPFLOW_TEAM, value: team },
          { key: CPFLOW_OPEN_STEP_DUES, value: dues },
          { key: CPFLOW_EARLIEST_DUE, value: new Date(`${dues.map((d) => d.split('@')[1]).sort()[0]}T00:00:00Z`) },
        ]),
      });
    await start('CP-2026-000501', 'team-north', ['strategy-discussion@2026-03-02', 'icpc@2026-03-20']);
    await start('CP-2026-000502', 'team-north', ['visit@2026-03-05']);
    await start('CP-2026-000503', 'team-south', ['assessment-complete@2026-02-27', 'icpc@2026-04-01']);
    await start('CP-2026-000504', 'team-south', ['visit@2026-05-01']); // nothing overdue yet
    await start('CP-2026-000505', 'team-east', ['visit@2026-01-05'], false); // closed: not counted

    let now = 1_000_000;
    const metrics = new CpflowMetrics({
      processMetrics: false,
      today: () => '2026-03-10' as IsoDate,
      clock: () => now,
    });
    metrics.readVisibilityFrom(client);
    const expected = ['cpflow_cases_open 4', 'cpflow_overdue_steps{team="team-north"} 2'];
    expected.push('cpflow_overdue_steps{team="team-south"} 1');
    const text = await until(
      'visibility to list the cases',
      () => {
        now += 30_001; // visibility catches up within moments; read it again each time
        return metrics.metrics();
      },
      (t) => expected.every((line) => t.includes(line)),
    );
    expect(text).not.toContain('team-east');
    expect(text).toContain('cpflow_visibility_read_failures_total 0');
    expect(text).not.toMatch(/CP-2026/);

    // A case opened since is not seen until the figures are 30 s old.
    await start('CP-2026-000506', 'team-east', ['strategy-discussion@2026-03-09']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await metrics.metrics()).toContain('cpflow_cases_open 4');
    now += 30_001;
    const fresh = await until(
      'the new case',
      () => metrics.metrics(),
      (t) => t.includes('cpflow_cases_open 5'),
    );
    expect(fresh).toContain('cpflow_overdue_steps{team="team-east"} 1');
  });
});

describe('npm start’s process', () => {
  it('is not ready while starting, then ready; serves its counters and the SDK’s metrics; logs JSON only', async () => {
    const port = await findFreePort();
    const operations = `http://127.0.0.1:${port}`;
    const seen: number[] = [];
    let starting = true;
    const probing = (async () => {
      while (starting) {
        const status = await fetch(`${operations}/health/ready`).then(
          (r) => r.status,
          () => 0,
        );
        if (status !== 0) seen.push(status);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const running = await startCpflow({
      env: { ...externalEnv(), CPFLOW_METRICS_PORT: String(port) },
      dataDir,
      log: (l) => progress.push(l),
      workflowsPath: path.join(__dirname, 'fixtures', 'notify-workflow.ts'),
      observability,
    });
    try {
      const ready = await until(
        'readiness',
        async () => {
          const response = await fetch(`${operations}/health/ready`);
          return { status: response.status, body: (await response.json()) as unknown };
        },
        (r) => r.status === 200,
      );
      starting = false;
      await probing;
      expect(seen[0]).toBe(503); // the port answered before the worker ran: not ready
      expect(ready.body).toEqual({ status: 'ready', checks: { temporal: 'up', worker: 'up', mail: 'up' } });
      expect(running.summary).toContain(`Operations: ${operations} (/metrics, /health/live, /health/ready)`);

      const client = await connectCpflowClient({ env: {}, dataDir });
      try {
        const facts = {
          caseReference: 'CP-2026-000009',
          stepId: 'strategy-discussion',
          stepTitle: 'Strategy discussion',
          dueDate: '2026-05-05',
          kind: 'reminder',
          recipient: 'practitioner:sw-0042',
        } as const;
        await client.workflow.execute<typeof notifyTwice>('notifyTwice', {
          taskQueue: CPFLOW_TASK_QUEUE,
          workflowId: 'CP-2026-000009',
          args: [{ ...facts, notificationId: notificationIdFor(facts) }],
        });
      } finally {
        await client.connection.close();
      }
      const metrics = await (await fetch(`${operations}/metrics`)).text();
      expect(metrics).toContain('cpflow_notifications_sent_total{kind="reminder"} 1');
      expect(metrics).toMatch(/^cpflow_cases_open \d+$/m);
      expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
      expect(metrics).toMatch(/^temporal_\w+/m); // the SDK's, from its own exporter
    } finally {
      starting = false;
      running.stop();
      await running.finished;
    }
    expect(await fetch(`${operations}/health/live`).catch(() => 'closed')).toBe('closed');

    // Every line is JSON with a level, a time and a message, and only allow-listed fields.
    const base = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'droppedFields']);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) });
      for (const key of Object.keys(line)) expect(base.has(key) || key in SAFE_LOG_FIELDS).toBe(true);
    }
    // The SDK's own lines come through the same logger.
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'Worker state changed', state: 'RUNNING' }));
  });

  it('is not ready once Temporal cannot be reached', async () => {
    const other = await createDevServerEnvironment();
    const connection = await NativeConnection.connect({ address: other.address });
    const readiness = new Readiness(['temporal']);
    readiness.set('temporal', temporalCheck(connection));
    const server = await startOperationsServer({
      host: '127.0.0.1',
      port: 0,
      metrics: new CpflowMetrics({ processMetrics: false }),
      readiness,
    });
    try {
      const status = async () => (await fetch(`${server.url}/health/ready`)).status;
      expect(await status()).toBe(200);
      await other.teardown();
      expect(await until('not ready', status, (s) => s === 503)).toBe(503);
      expect(await (await fetch(`${server.url}/health/ready`)).json()).toEqual({
        status: 'not-ready',
        checks: { temporal: 'down' },
      });
    } finally {
      await server.stop();
      await connection.close();
    }
  });
});
