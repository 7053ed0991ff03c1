/**
 * Sending notices from workflow code. Everything due at one instant goes in ONE `sendNotifications` activity. It is
 * a normal activity, not a local one: the workflow task that decided it completes at once, so a slow or silent
 * mail server never holds up the case's updates and queries — the email is sent by an activity task, on any
 * worker, while the case goes on answering. An SMTP outage delays notices and loses none; the processes never hand
 * the same notice over twice, and the activity's sent log and the notices' deterministic ids keep each from being
 * delivered twice.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { CpflowActivities, NotificationDelivery } from '../../activities';
import type { Notice, NoticeOutcome } from '../../domain/case-process';

/**
 * The batch of one instant's notices as one activity. An SMTP outage (retryable failure) is retried without limit,
 * backing off from 10 seconds to 1 hour; Temporal's server keeps the retry, so an outage survives a worker restart
 * and time-skipping tests skip the wait. The activity heartbeats while it runs, so a batch handed to a worker that
 * died is given to another within the heartbeat timeout. Permanent failures (unknown or refused recipient) are
 * reported per notice.
 */
const { sendNotifications } = proxyActivities<CpflowActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

/** Sends a batch of notices and resolves with each one's outcome. */
export async function sendNoticeBatch(notices: readonly Notice[]): Promise<NoticeOutcome[]> {
  try {
    const result = await sendNotifications({ notifications: notices });
    const byId = new Map(result.deliveries.map((d) => [d.notificationId, d]));
    return notices.map((notice) => outcomeOf(notice, byId.get(notice.notificationId)));
  } catch (err) {
    // Only a non-retryable failure of the whole batch ends up here (the retry policy never gives up on an outage).
    return notices.map((notice): NoticeOutcome => ({ notice, status: 'failed', failure: describeFailure(err) }));
  }
}

/** A notice's outcome from its entry in a batch's deliveries (missing: reported as failed, never retried). */
function outcomeOf(notice: Notice, delivery: NotificationDelivery | undefined): NoticeOutcome {
  if (delivery === undefined) {
    return { notice, status: 'failed', failure: 'MissingDelivery: the batch did not report this notification' };
  }
  if (delivery.status === 'failed') return { notice, status: 'failed', failure: delivery.failure };
  return { notice, status: delivery.status };
}

/** Failure type and message of a failed activity, without personal data (the activity never puts any in). */
function describeFailure(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return err instanceof Error ? err.message : 'unknown failure';
}
