import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createActivities,
  type CpflowActivities,
  messageIdFor,
  type SendNotificationInput,
  type SendNotificationResult,
} from '../../activities';
import { Mailbox } from '../../mail/mailbox';
import { FileSentLog, InMemorySentLog, type SentLog } from '../../mail/sent-log';
import { startSmtpSink, type SmtpSink } from '../../mail/smtp-sink';
import { createSmtpTransport } from '../../mail/smtp-transport';
import { rejectionOf } from '../support/thrown';
import { testDirectory, testNotification } from '../support/notification-fixtures';

const directory = testDirectory;
const input: SendNotificationInput = testNotification();

let dataDir: string;
let mailbox: Mailbox;
let sink: SmtpSink | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-send-'));
  mailbox = Mailbox.inDataDir(dataDir);
});

afterEach(async () => {
  await sink?.stop();
  sink = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

function activitiesFor(port: number, sentLog: SentLog = new InMemorySentLog()): CpflowActivities {
  const mailer = createSmtpTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    from: 'cpflow <cpflow@council.example>',
  });
  return createActivities({
    mailer,
    sentLog,
    directory,
    caseUrl: (ref) => `https://cases.council.example/${ref}`,
    clock: () => new Date('2026-02-27T09:00:00Z'),
  });
}

/** Runs one attempt of sendNotification in Temporal's mock activity context. */
function attempt(
  n: number,
  activities: CpflowActivities,
  notification: SendNotificationInput,
): Promise<SendNotificationResult> {
  return new MockActivityEnvironment({ attempt: n }).run(
    activities.sendNotification,
    notification,
  ) as Promise<SendNotificationResult>;
}

/** The ApplicationFailure an activity call fails with. */
function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  return rejectionOf(ApplicationFailure, promise);
}

describe('sendNotification over a real SMTP sink', () => {
  it('delivers once even when the activity runs twice, with a Message-ID derived from the notification id', async () => {
    sink = await startSmtpSink({ mailbox });
    const activities = activitiesFor(sink.port);
    const first = await attempt(1, activities, input);
    const retry = await attempt(2, activities, input);

    expect(first).toEqual({
      status: 'sent',
      messageId: messageIdFor(input.notificationId),
      sentAt: '2026-02-27T09:00:00.000Z',
    });
    expect(retry).toEqual({ ...first, status: 'already-sent' });
    const received = await mailbox.list();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      to: ['p123@council.example'],
      subject: '[cpflow] Reminder: Strategy discussion due Tuesday, 3 March 2026 (case CP-2026-000042)',
      messageId: messageIdFor(input.notificationId),
    });
    const message = await mailbox.read(received[0].id);
    expect(message.text).toContain('Where to look:  https://cases.council.example/CP-2026-000042');
  });

  it('concurrent attempts of the same notification deliver once', async () => {
    sink = await startSmtpSink({ mailbox });
    const activities = activitiesFor(sink.port);
    const results = await Promise.all([activities.sendNotification(input), activities.sendNotification(input)]);
    expect(results.map((r) => r.messageId)).toEqual([
      messageIdFor(input.notificationId),
      messageIdFor(input.notificationId),
    ]);
    expect(await mailbox.list()).toHaveLength(1);
  });

  it('remembers deliveries across a worker restart through the file-backed sent log', async () => {
    sink = await startSmtpSink({ mailbox });
    const logFile = path.join(dataDir, 'sent-notifications.jsonl');
    await activitiesFor(sink.port, new FileSentLog(logFile)).sendNotification(input);
    const afterRestart = activitiesFor(sink.port, new FileSentLog(logFile));
    expect((await afterRestart.sendNotification(input)).status).toBe('already-sent');
    expect((await afterRestart.sendNotification(testNotification({ kind: 'due-today' }))).status).toBe('sent');
    expect(await mailbox.list()).toHaveLength(2);
  });

  it('an SMTP outage fails retryably, and the notification is delivered once when the server is back', async () => {
    sink = await startSmtpSink({ mailbox });
    const port = sink.port;
    await sink.stop();
    sink = undefined;
    const activities = activitiesFor(port);

    const failure = await failureOf(attempt(1, activities, input));
    expect(failure.type).toBe('SmtpUnavailable');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toMatch(/mail server unavailable .*will be retried/);

    sink = await startSmtpSink({ mailbox, port });
    const delivered = await attempt(2, activities, input);
    const again = await attempt(3, activities, input);
    expect([delivered.status, again.status]).toEqual(['sent', 'already-sent']);
    expect(await mailbox.list()).toHaveLength(1);
  });

  it('a permanently refused address fails non-retryably without naming the address', async () => {
    sink = await startSmtpSink({
      mailbox,
      rejectRecipient: (address) => (address.startsWith('gone@') ? 'mailbox unavailable' : undefined),
    });
    const sentLog = new InMemorySentLog();
    const activities = activitiesFor(sink.port, sentLog);
    const failure = await failureOf(
      activities.sendNotification(testNotification({ recipient: 'practitioner:sw-0999' })),
    );
    expect(failure.type).toBe('RecipientRejected');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('practitioner:sw-0999');
    expect(failure.message).toContain('SMTP 550');
    expect(failure.message).not.toContain('gone@');
    expect(sentLog.all()).toEqual([]);
    expect(await mailbox.list()).toEqual([]);
  });

  it('a recipient missing from the staff directory fails non-retryably', async () => {
    sink = await startSmtpSink({ mailbox });
    const activities = activitiesFor(sink.port);
    const failure = await failureOf(
      activities.sendNotification(testNotification({ recipient: 'team-manager:team-south' })),
    );
    expect(failure.type).toBe('UnknownRecipient');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe('recipient team-manager:team-south: team team-south is not in the staff directory');
  });

  it('escalations go to the team manager and LADO referrals to the LADO', async () => {
    sink = await startSmtpSink({ mailbox });
    const activities = activitiesFor(sink.port);
    await activities.sendNotification(
      testNotification({ kind: 'overdue-escalation', recipient: 'team-manager:team-north' }),
    );
    await activities.sendNotification(
      testNotification({
        stepId: 'lado-referral',
        stepTitle: 'Refer to the LADO',
        kind: 'lado-referral',
        recipient: 'lado',
      }),
    );
    const received = await mailbox.list();
    expect(received.map((m) => [m.to, m.subject.split(':')[0]])).toEqual([
      [['m7@council.example'], '[cpflow] Escalation'],
      [['lado@council.example'], '[cpflow] LADO referral needed by Tuesday, 3 March 2026 (case CP-2026-000042)'],
    ]);
  });

  it('refuses a malformed notification id non-retryably', async () => {
    const activities = activitiesFor(1);
    const failure = await failureOf(activities.sendNotification({ ...input, notificationId: 'has spaces in it' }));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/notificationId: must be printable ASCII without spaces/);
  });
});
