/**
 * Production-topology benchmark: what the hardening costs, beside the plain set-up in the same run.
 *
 * 1. The sent log per notification (claim, send to an in-process mailer, record): in memory (the floor), the
 *    data folder's file, and PostgreSQL (a throwaway cluster from Debian's packages on loopback).
 * 2. The payload codec: sealing and opening a case's start input (referral, policy, calendar) with AES-256-GCM.
 * 3. End to end on Temporal's dev server, through real SMTP: N cases opened together, each owing its escalations
 *    at once, until every email owed has gone — plain (one worker, no codec, sent log in memory) against
 *    production (this process's worker and a second `npm run worker` process, payload codec, PostgreSQL sent log
 *    shared by both).
 *
 * Target: the production topology takes at most 1.5× the plain one end to end. Run:
 * `npx tsx bench/production-topology.bench.ts [N]` (default 100 cases).
 */
import { performance } from 'node:perf_hooks';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createActivities, type Mailer, type SendNotificationInput } from '../activities';
import { openCase } from '../cli/cases/case-client';
import { caseCalendarData } from '../cli/cases/inputs';
import { newPayloadKeySet, parsePayloadKeys } from '../client/payload-keys';
import { EncryptionCodec } from '../client/payload-codec';
import { cpflowDataConverter } from '../client/temporal-settings';
import { loadPolicy } from '../config/policy-loader';
import { fromEpochDay, toEpochDay, ukDateOf } from '../domain/calendar';
import { notificationIdFor } from '../domain/notifications';
import { PostgresSentLog } from '../mail/postgres-sent-log';
import { FileSentLog, InMemorySentLog, type SentLog } from '../mail/sent-log';
import { Mailbox } from '../mail/mailbox';
import { startSmtpSink } from '../mail/smtp-sink';
import { createSmtpTransport } from '../mail/smtp-transport';
import { SyntheticStaffDirectory } from '../mail/staff-directory';
import { CPFLOW_TASK_QUEUE } from '../workflows/task-queue';
import { bundleWorkflowsInChildProcess } from '../worker/workflow-bundle';
import { testReferral } from '../tests/support/case-fixtures';
import { startTestPostgres } from '../tests/support/postgres';
import { createDevServerEnvironment } from '../tests/support/temporal';
import { WORKFLOWS_PATH } from '../tests/workflows/support';
import { CPFLOW_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const CASES = Number(process.argv[2] ?? 100);
const log = (line: string) => process.stdout.write(`${line}\n`);

/** A mailer that only counts. */
class CountingMailer implements Mailer {
  count = 0;
  sendMail(): Promise<unknown> {
    this.count += 1;
    return Promise.resolve({});
  }
}

function notification(i: number): SendNotificationInput {
  const facts = {
    caseReference: `CP-2026-${String(100000 + i)}`,
    stepId: 'strategy-discussion',
    stepTitle: 'Strategy discussion',
    dueDate: '2026-03-03',
    kind: 'reminder',
    recipient: 'practitioner:sw-0042',
  } as const;
  return { ...facts, notificationId: notificationIdFor(facts) };
}

async function perNotification(sentLog: SentLog, count: number): Promise<number> {
  const activities = createActivities({
    mailer: new CountingMailer(),
    sentLog,
    directory: new SyntheticStaffDirectory(),
  });
  const started = performance.now();
  for (let i = 0; i < count; i += 1) await activities.sendNotification(notification(i));
  return (performance.now() - started) / count;
}

async function sentLogCosts(dir: string, url: string | undefined): Promise<void> {
  const count = 2000;
  const memory = await perNotification(new InMemorySentLog(), count);
  const file = await perNotification(new FileSentLog(path.join(dir, 'sent.jsonl')), count);
  log(
    `1. sent log, per notification (${count}): memory ${memory.toFixed(3)} ms, file ${file.toFixed(3)} ms (×${(file / memory).toFixed(1)})`,
  );
  if (url !== undefined) {
    const pg = new PostgresSentLog({ connectionString: url }, `bench-${Date.now()}`);
    await pg.open();
    const postgres = await perNotification(pg, count);
    await pg.close();
    log(
      `   PostgreSQL ${postgres.toFixed(3)} ms (×${(postgres / memory).toFixed(1)} memory, ×${(postgres / file).toFixed(2)} file)`,
    );
  }
}

async function codecCosts(): Promise<void> {
  const codec = new EncryptionCodec(parsePayloadKeys(newPayloadKeySet(), 'bench'));
  const receivedOn = ukDateOf(Date.now());
  const input = {
    referral: testReferral({ receivedOn }),
    policy: loadPolicy(),
    calendar: caseCalendarData(receivedOn),
  };
  const payload = defaultPayloadConverter.toPayload(input);
  const rounds = 500;
  let sealed = await codec.encode([payload]);
  const started = performance.now();
  for (let i = 0; i < rounds; i += 1) {
    sealed = await codec.encode([payload]);
    await codec.decode(sealed);
  }
  const ms = (performance.now() - started) / rounds;
  log(
    `2. codec: a case's start input (${((payload.data?.length ?? 0) / 1024) | 0} KiB) sealed and opened in ${ms.toFixed(3)} ms ` +
      `(+${(sealed[0].data?.length ?? 0) - (payload.data?.length ?? 0)} bytes)`,
  );
}

/** What the end-to-end run needs to reach the mail and the sent log. */
interface Topology {
  readonly name: string;
  /** A second worker process (`npm run worker`) beside this process's worker. */
  readonly secondWorker: boolean;
  readonly keySet?: string;
  readonly sentLogUrl?: string;
}

async function endToEnd(topology: Topology, dir: string): Promise<number> {
  const env = await createDevServerEnvironment({ searchAttributes: CPFLOW_SEARCH_ATTRIBUTES });
  const mailbox = Mailbox.inDataDir(path.join(dir, topology.name));
  const sink = await startSmtpSink({ mailbox, port: 0 });
  const keys = topology.keySet === undefined ? undefined : parsePayloadKeys(topology.keySet, 'bench');
  const dataConverter = keys === undefined ? undefined : cpflowDataConverter(keys);
  const namespaceId = `bench-${topology.name}-${Date.now()}`;
  const sentLog: SentLog =
    topology.sentLogUrl === undefined
      ? new InMemorySentLog()
      : new PostgresSentLog({ connectionString: topology.sentLogUrl }, namespaceId);
  let second: ChildProcess | undefined;
  try {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: CPFLOW_TASK_QUEUE,
      workflowBundle: await bundleWorkflowsInChildProcess(WORKFLOWS_PATH),
      activities: createActivities({
        mailer: createSmtpTransport({ host: sink.host, port: sink.port, secure: false, from: 'cpflow@cpflow.test' }),
        sentLog,
        directory: new SyntheticStaffDirectory(),
      }),
      ...(dataConverter === undefined ? {} : { dataConverter }),
    });
    if (topology.secondWorker) second = await startSecondWorker(env.address, sink.port, topology, dir);
    const client = new Client({
      connection: env.connection,
      ...(dataConverter === undefined ? {} : { dataConverter }),
    });
    const receivedOn = fromEpochDay(toEpochDay(ukDateOf(Date.now())) - 7);
    return await worker.runUntil(async () => {
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CASES }, (_, i) =>
          openCase(client, {
            referral: testReferral({ caseReference: `CP-2026-${String(200000 + i)}`, receivedOn }),
            policy: loadPolicy(),
            calendar: caseCalendarData(receivedOn),
          }),
        ),
      );
      // Settled: the number of emails received has not moved for three seconds.
      let last = -1;
      let stableSince = performance.now();
      let count = 0;
      while (performance.now() - stableSince < 3000) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        count = (await mailbox.list()).length;
        if (count !== last) {
          last = count;
          stableSince = performance.now();
        }
      }
      const seconds = (stableSince - started) / 1000;
      const ids = new Set((await mailbox.list()).map((m) => m.messageId));
      log(
        `   ${topology.name}: ${CASES} cases, ${count} emails (${ids.size} distinct), settled in ${seconds.toFixed(1)} s`,
      );
      return seconds;
    });
  } finally {
    second?.kill('SIGTERM');
    if (second !== undefined) await once(second, 'exit');
    if (sentLog instanceof PostgresSentLog) await sentLog.close();
    await sink.stop();
    await env.teardown();
  }
}

/** `npm run worker` as an operator runs it, joining this run's Temporal, mail, keys and sent log. */
async function startSecondWorker(address: string, smtpPort: number, topology: Topology, dir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/additional-worker.ts'], {
    cwd: path.resolve(__dirname, '..'),
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: address,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      MAIL_FROM: 'cpflow <cpflow@cpflow.test>',
      CPFLOW_DIRECTORY_FILE: path.resolve(__dirname, '../mail/directory.example.json'),
      CPFLOW_DATA_DIR: path.join(dir, 'second-worker'),
      CPFLOW_METRICS_PORT: '0',
      ...(topology.keySet === undefined ? {} : { CPFLOW_PAYLOAD_KEYS: topology.keySet }),
      ...(topology.sentLogUrl === undefined ? {} : { CPFLOW_SENT_LOG_URL: topology.sentLogUrl }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 90_000;
  while (!output.includes('cpflow worker is ready')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`second worker did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return child;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-bench-topology-'));
  const postgres = await startTestPostgres(log);
  const url = 'url' in postgres ? postgres.url : undefined;
  if (url === undefined) log(`PostgreSQL parts skipped: ${'why' in postgres ? postgres.why : ''}`);
  try {
    await sentLogCosts(dir, url);
    await codecCosts();
    log('3. end to end on the dev server:');
    const plain = await endToEnd({ name: 'plain', secondWorker: false }, dir);
    if (url !== undefined) {
      const production = await endToEnd(
        { name: 'production', secondWorker: true, keySet: newPayloadKeySet(), sentLogUrl: url },
        dir,
      );
      log(`   ratio production/plain: ${(production / plain).toFixed(2)} (target ≤ 1.5)`);
    }
  } finally {
    if ('stop' in postgres) postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
