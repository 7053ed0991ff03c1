/**
 * Exactly-once delivery under faults, as far as SMTP allows: a sent log that cannot be written sends nothing (and
 * repeats nothing), two workers sharing a log never both send, and a worker killed between the mail server's
 * acceptance and the record leaves one claim that is sent again — with the same Message-ID — only after its lease.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createActivities,
  type Mailer,
  messageIdFor,
  type SendNotificationInput,
  type SendNotificationsResult,
} from '../../activities';
import { Mailbox } from '../../mail/mailbox';
import { Client } from 'pg';
import { PostgresSentLog, SENT_LOG_TABLE } from '../../mail/postgres-sent-log';
import { CLAIM_LEASE_MS, FileSentLog, InMemorySentLog, type SentLog, type SentRecord } from '../../mail/sent-log';
import { startSmtpSink, type SmtpSink } from '../../mail/smtp-sink';
import { createSmtpTransport } from '../../mail/smtp-transport';
import { testPostgres } from '../support/postgres';
import { testDirectory, testNotification } from '../support/notification-fixtures';

const directory = testDirectory;
/** Seven reminders, all due at the same instant: one batch. */
const batch: SendNotificationInput[] = Array.from({ length: 7 }, (_, i) =>
  testNotification({ caseReference: `CP-2026-00004${i}` }),
);

/** A mailer that only counts what it is given. */
class CountingMailer implements Mailer {
  readonly messageIds: string[] = [];
  sendMail(message: { messageId: string }): Promise<unknown> {
    this.messageIds.push(message.messageId);
    return Promise.resolve({});
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-faults-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const activitiesOver = (mailer: Mailer, sentLog: SentLog, clock?: () => Date) =>
  createActivities({ mailer, sentLog, directory, ...(clock === undefined ? {} : { clock }) });

/** Runs the batch `attempts` times as Temporal's retries would, each failure retried. */
async function retried(run: () => Promise<SendNotificationsResult>, attempts: number): Promise<unknown[]> {
  const failures: unknown[] = [];
  for (let i = 0; i < attempts; i += 1) {
    try {
      await run();
      return failures;
    } catch (err) {
      failures.push(err);
    }
  }
  return failures;
}

describe('a sent log that cannot be written', () => {
  it('sends nothing while it cannot be written (not 21 deliveries of 7), then each notification once', async () => {
    const mailer = new CountingMailer();
    // A file below a file: no user, root included, can create it.
    const blocker = path.join(dir, 'not-a-folder');
    await writeFile(blocker, '');
    const broken = activitiesOver(mailer, new FileSentLog(path.join(blocker, 'sent.jsonl')));
    const failures = await retried(() => broken.sendNotifications({ notifications: batch }), 3);
    expect(failures).toHaveLength(3);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect((failure as ApplicationFailure).type).toBe('SentLogUnavailable');
      expect((failure as ApplicationFailure).nonRetryable).toBe(false);
      expect((failure as ApplicationFailure).message).toMatch(/^nothing sent: the sent log .* cannot be written/);
    }
    expect(mailer.messageIds).toEqual([]);
    // Fixed (the folder is writable again): the next retry sends each once.
    const fixed = activitiesOver(mailer, new FileSentLog(path.join(dir, 'fixed', 'sent.jsonl')));
    const result = await fixed.sendNotifications({ notifications: batch });
    expect(result.deliveries.map((d) => d.status)).toEqual(Array(7).fill('sent'));
    expect(new Set(mailer.messageIds).size).toBe(7);
    expect(mailer.messageIds).toHaveLength(7);
  });

  it('stops the batch at a delivery it cannot record, never sends that one again, and records it once it can', async () => {
    const mailer = new CountingMailer();
    const claims = new InMemorySentLog();
    let broken = true;
    // Claims can be written; records cannot (the disk filled between the two), until it is fixed.
    const log: SentLog = {
      claim: (id, token, now) => claims.claim(id, token, now),
      release: (id, token) => claims.release(id, token),
      find: (id) => claims.find(id),
      record: (entry: SentRecord) => (broken ? Promise.reject(new Error('ENOSPC')) : claims.record(entry)),
    };
    const activities = activitiesOver(mailer, log);
    const failures = await retried(() => activities.sendNotifications({ notifications: batch }), 3);
    expect(failures.map((f) => (f as ApplicationFailure).type)).toEqual(Array(3).fill('SentLogUnavailable'));
    expect(mailer.messageIds).toHaveLength(1);
    broken = false;
    const result = await activities.sendNotifications({ notifications: batch });
    expect(result.deliveries.map((d) => d.status)).toEqual(['already-sent', ...Array(6).fill('sent')]);
    expect(mailer.messageIds).toHaveLength(7);
    expect(new Set(mailer.messageIds).size).toBe(7);
    expect((await claims.find(batch[0].notificationId))?.messageId).toBe(mailer.messageIds[0]);
  }, 60_000);
});

/** The test PostgreSQL's URL; the suite says why it cannot run when there is none. */
const postgres = testPostgres();
const withPostgres = postgres.url === undefined ? describe.skip : describe;
if (postgres.url === undefined) console.warn(`skipping the PostgreSQL sent log tests: ${postgres.why}`);

withPostgres('a sent log shared by several workers (PostgreSQL)', () => {
  const logs: PostgresSentLog[] = [];
  const logFor = (namespaceId: string) => {
    const log = new PostgresSentLog({ connectionString: postgres.url }, namespaceId);
    logs.push(log);
    return log;
  };
  afterAll(async () => {
    for (const log of logs) await log.close();
  });

  it('two workers running the same batch at once send each notification once', async () => {
    const namespaceId = `ns-${Date.now()}-a`;
    const mailer = new CountingMailer();
    const [one, two] = [activitiesOver(mailer, logFor(namespaceId)), activitiesOver(mailer, logFor(namespaceId))];
    const results = await Promise.allSettled([
      retried(() => one.sendNotifications({ notifications: batch }), 5),
      retried(() => two.sendNotifications({ notifications: batch }), 5),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(mailer.messageIds).toHaveLength(7);
    expect(new Set(mailer.messageIds).size).toBe(7);
    // A third worker, later, finds every one already sent.
    const third = await activitiesOver(mailer, logFor(namespaceId)).sendNotifications({ notifications: batch });
    expect(third.deliveries.map((d) => d.status)).toEqual(Array(7).fill('already-sent'));
  });

  it('a database that cannot be reached sends nothing', async () => {
    const mailer = new CountingMailer();
    const unreachable = new PostgresSentLog({ connectionString: 'postgres://cpflow@127.0.0.1:1/postgres' }, 'ns-x');
    logs.push(unreachable);
    const failures = await retried(
      () => activitiesOver(mailer, unreachable).sendNotifications({ notifications: batch }),
      2,
    );
    expect(failures.map((f) => (f as ApplicationFailure).type)).toEqual(['SentLogUnavailable', 'SentLogUnavailable']);
    expect((failures[0] as Error).message).not.toContain('postgres://');
    expect(mailer.messageIds).toEqual([]);
  });

  it('a worker killed (SIGKILL) between sending and recording: only that one may go again, after the lease, same Message-ID', async () => {
    const namespaceId = `ns-${Date.now()}-k`;
    const mailbox = Mailbox.inDataDir(path.join(dir, 'kill'));
    const sink: SmtpSink = await startSmtpSink({ mailbox, port: 0 });
    try {
      const victim = batch[3];
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'send-then-die.ts')], {
        env: {
          ...process.env,
          SENT_LOG_URL: postgres.url,
          SMTP_PORT: String(sink.port),
          NAMESPACE_ID: namespaceId,
          NOTIFICATIONS: JSON.stringify(batch),
          DIE_AFTER: messageIdPart(victim.notificationId),
        },
        stdio: 'ignore',
      });
      const [, signal] = (await once(child, 'exit')) as [number | null, string | null];
      expect(signal).toBe('SIGKILL');
      expect(await mailbox.list()).toHaveLength(4); // the first four went, the fourth unrecorded

      const transport = createSmtpTransport({ host: sink.host, port: sink.port, secure: false, from: 'cpflow <c@x>' });
      const restarted = activitiesOver(transport, logFor(namespaceId));
      // Within the lease the dead worker's claim still holds: the others go, that one waits.
      await expect(restarted.sendNotifications({ notifications: batch })).rejects.toMatchObject({
        type: 'DeliveryInProgress',
      });
      expect(await mailbox.list()).toHaveLength(7);
      // The lease runs on the database's clock: let it lapse by moving the dead worker's claim back in time.
      const db = new Client({ connectionString: postgres.url });
      await db.connect();
      await db.query(
        `UPDATE ${SENT_LOG_TABLE} SET claimed_at = claimed_at - $2 * interval '1 millisecond' WHERE namespace_id = $1`,
        [namespaceId, CLAIM_LEASE_MS + 1_000],
      );
      await db.end();
      const done = await restarted.sendNotifications({ notifications: batch });
      expect(done.deliveries.map((d) => d.status)).toEqual([
        'already-sent',
        'already-sent',
        'already-sent',
        'sent',
        'already-sent',
        'already-sent',
        'already-sent',
      ]);
      const received = await mailbox.list();
      expect(received).toHaveLength(8);
      const byMessageId = new Map<string, number>();
      for (const m of received) byMessageId.set(m.messageId ?? '', (byMessageId.get(m.messageId ?? '') ?? 0) + 1);
      expect([...byMessageId.values()].sort()).toEqual([1, 1, 1, 1, 1, 1, 2]);
      transport.close();
    } finally {
      await sink.stop();
    }
  }, 60_000);
});

/** The part of a notification's Message-ID that names it (the fixture matches it). */
function messageIdPart(notificationId: string): string {
  return messageIdFor(notificationId).slice(1, 41);
}
