/**
 * Sending notices from workflow code. Everything due at one instant goes in ONE `sendNotifications` local
 * activity: it runs inside the workflow task that decided it (no activity task, no extra workflow task), and each
 * retry waits on a workflow timer. An SMTP outage delays notices and loses none; the activity's sent log and the
 * notices' deterministic ids keep each from being delivered twice.
 */
import { ActivityFailure, ApplicationFailure, proxyLocalActivities } from '@temporalio/workflow';
import type { CpflowActivities, NotificationDelivery } from '../../activities';
import type { IsoDate } from '../../domain/calendar';
import { type Notice, type NoticeOutcome, sentForOf } from '../../domain/case-process';

/**
 * The batch of one instant's notices as one local activity. An SMTP outage (retryable failure) is retried without
 * limit, backing off from 1 minute to 1 hour; every retry waits on a workflow timer (`localRetryThreshold`), never
 * inside the worker, so an outage survives a worker restart and time-skipping tests skip the wait. Permanent
 * failures (unknown or refused recipient) are reported per notice.
 */
const { sendNotifications } = proxyLocalActivities<CpflowActivities>({
  startToCloseTimeout: '1 minute',
  localRetryThreshold: '1 second',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumInterval: '1 hour' },
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

/** Sends notices at most once each; holds the delivered ids (carried across continue-as-new). */
export class Notifier {
  readonly #done: Set<string>;
  /** In flight: each notice's place in its batch. */
  readonly #inFlight = new Map<string, InBatch>();
  readonly #onOutcome: (outcome: NoticeOutcome) => void;

  /** @param done ids already delivered or given up on; @param onOutcome called once per finished notice. */
  constructor(done: Iterable<string>, onOutcome: (outcome: NoticeOutcome) => void) {
    this.#done = new Set(done);
    this.#onOutcome = onOutcome;
  }

  /** Starts sending, as one batch, every notice not yet delivered nor in flight; returns how many were started. */
  dispatch(notices: readonly Notice[]): number {
    const fresh = notices.filter(
      (n, i) =>
        !this.#done.has(n.notificationId) &&
        !this.#inFlight.has(n.notificationId) &&
        notices.findIndex((o) => o.notificationId === n.notificationId) === i,
    );
    if (fresh.length > 0) void this.#sendBatch(fresh);
    return fresh.length;
  }

  /**
   * Sends one notice (or joins the send already in flight) and resolves with its outcome; an id already
   * delivered resolves `already-sent` without calling the activity.
   */
  send(notice: Notice): Promise<NoticeOutcome> {
    if (this.#done.has(notice.notificationId)) return Promise.resolve({ notice, status: 'already-sent' });
    const running = this.#inFlight.get(notice.notificationId);
    if (running !== undefined) return running.batch.then((outcomes) => outcomes[running.index]);
    return this.#sendBatch([notice]).then((outcomes) => outcomes[0]);
  }

  #sendBatch(notices: readonly Notice[]): Promise<readonly NoticeOutcome[]> {
    const finished = sendNoticeBatch(notices).then((outcomes) => {
      for (const outcome of outcomes) {
        this.#inFlight.delete(outcome.notice.notificationId);
        this.#done.add(outcome.notice.notificationId);
        this.#onOutcome(outcome);
      }
      return outcomes;
    });
    notices.forEach((notice, index) => this.#inFlight.set(notice.notificationId, { batch: finished, index }));
    return finished;
  }

  /** True when no notice is being sent. */
  get idle(): boolean {
    return this.#inFlight.size === 0;
  }

  /** Delivered ids for dates on or after `since` (older ones can never be asked for again). */
  doneSince(since: IsoDate | undefined): string[] {
    const all = [...this.#done];
    return since === undefined ? all : all.filter((id) => sentForOf(id) >= since);
  }
}

/** A notice's place in a batch sent by one local activity. */
interface InBatch {
  readonly batch: Promise<readonly NoticeOutcome[]>;
  readonly index: number;
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
