/**
 * The batch notification activity (`sendNotifications`, one call per instant in runs that send in batches):
 * each notification of the batch is delivered at most once, a recipient refused for good fails only its own
 * entry, and a retry after a mail server outage sends only what the failed attempt did not deliver.
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import {
  createActivities,
  type Mailer,
  type SendNotificationInput,
  type SendNotificationsResult,
} from '../../activities';
import { notificationIdFor } from '../../domain/notifications';
import { InMemorySentLog } from '../../mail/sent-log';
import { InMemoryStaffDirectory } from '../../mail/staff-directory';

const directory = new InMemoryStaffDirectory({
  staff: { 'sw-0123': 'p123@council.example', 'tm-0007': 'm7@council.example', 'sm-0001': 's1@council.example' },
  teams: { 'team-north': { manager: 'tm-0007' } },
  serviceManager: 'sm-0001',
  lado: 'lado@council.example',
});

/** A notification of the batch for `recipient`. */
function notification(
  recipient: SendNotificationInput['recipient'],
  kind: SendNotificationInput['kind'] = 'reminder',
): SendNotificationInput {
  const facts = {
    caseReference: 'CP-2027-000001',
    stepId: 'icpc',
    stepTitle: 'Initial child protection conference',
    dueDate: '2027-01-25',
    kind,
    recipient,
  };
  return { ...facts, notificationId: `${notificationIdFor(facts)}@2027-01-25` };
}

/** A mailer that accepts `capacity` messages, then refuses connections until `capacity` is raised. */
class FlakyMailer implements Mailer {
  readonly delivered: string[] = [];
  constructor(public capacity = Number.POSITIVE_INFINITY) {}
  sendMail(message: { to: string }): Promise<unknown> {
    if (this.delivered.length >= this.capacity) {
      return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ECONNREFUSED' }));
    }
    this.delivered.push(message.to);
    return Promise.resolve({ accepted: [message.to] });
  }
}

describe('sendNotifications (one batch per instant)', () => {
  it('reports each notification, failing only the one whose recipient is unknown', async () => {
    const mailer = new FlakyMailer();
    const activities = createActivities({ mailer, sentLog: new InMemorySentLog(), directory });
    const batch = [
      notification('practitioner:sw-0123'),
      notification('practitioner:sw-0404'),
      notification('team-manager:team-north', 'overdue-escalation'),
    ];
    const result = (await new MockActivityEnvironment().run(activities.sendNotifications, {
      notifications: batch,
    })) as SendNotificationsResult;
    expect(result.deliveries.map((d) => [d.notificationId, d.status])).toEqual([
      [batch[0].notificationId, 'sent'],
      [batch[1].notificationId, 'failed'],
      [batch[2].notificationId, 'sent'],
    ]);
    expect(result.deliveries[1]).toMatchObject({ failure: expect.stringMatching(/^UnknownRecipient: /) });
    expect(mailer.delivered).toEqual(['p123@council.example', 'm7@council.example']);
  });

  it('is retried after an outage without sending again what was delivered', async () => {
    const mailer = new FlakyMailer(1);
    const activities = createActivities({ mailer, sentLog: new InMemorySentLog(), directory });
    const batch = [
      notification('practitioner:sw-0123'),
      notification('team-manager:team-north', 'overdue-escalation'),
      notification('service-manager', 'overdue-escalation'),
    ];
    const failure = await new MockActivityEnvironment()
      .run(activities.sendNotifications, { notifications: batch })
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'SmtpUnavailable', nonRetryable: false });
    mailer.capacity = Number.POSITIVE_INFINITY;
    const retry = (await new MockActivityEnvironment().run(activities.sendNotifications, {
      notifications: batch,
    })) as SendNotificationsResult;
    expect(retry.deliveries.map((d) => d.status)).toEqual(['already-sent', 'sent', 'sent']);
    expect(mailer.delivered).toEqual(['p123@council.example', 'm7@council.example', 's1@council.example']);
  });

  it('refuses a batch that is not a list, for good', async () => {
    const activities = createActivities({ mailer: new FlakyMailer(), sentLog: new InMemorySentLog(), directory });
    const failure = await new MockActivityEnvironment()
      .run(activities.sendNotifications, { notifications: 'x' } as never)
      .catch((err: unknown) => err);
    expect(failure).toMatchObject({
      type: 'InvalidNotification',
      nonRetryable: true,
      message: expect.stringContaining('notifications: must be a list'),
    });
  });
});
