/**
 * Sending notifications from workflow code: turns the planner's scheduled reminders/escalations into activity
 * calls with deterministic ids, never blocking the timer loop (an SMTP outage delays notifications, loses
 * none), and remembers what was delivered so nothing is sent twice — across retries, worker restarts and
 * continue-as-new. Everything due at one instant goes in ONE `sendNotifications` local activity: it runs inside
 * the workflow task that decided it (no activity task, no extra workflow task), and each retry waits on a
 * workflow timer.
 */
import { ActivityFailure, ApplicationFailure, proxyLocalActivities } from '@temporalio/workflow';
import type { CpflowActivities, NotificationDelivery, SendNotificationInput } from '../../activities';
import { fromEpochDay, type IsoDate, toEpochDay } from '../../domain/calendar';
import { type NotificationKind, notificationIdFor, type RecipientRef } from '../../domain/notifications';
import { pendingNotifications, type ScheduledNotification, type Timeline } from '../../domain/planner';
import type { ProcedureStep, RecipientRole } from '../../domain/policy';

/** A step's track (`child-protection`, `lado`, `forensic`). */
export type StepTrack = ProcedureStep['track'];

/**
 * The batch of one instant's notifications as one local activity. An SMTP outage (retryable failure) is retried
 * without limit, backing off from 1 minute to 1 hour, so an outage delays notifications and loses none; every
 * retry waits on a workflow timer (`localRetryThreshold`), never inside the worker, so an outage survives a
 * worker restart and time-skipping tests skip the wait. Permanent failures (unknown or refused recipient) are
 * reported per notification.
 */
const { sendNotifications } = proxyLocalActivities<CpflowActivities>({
  startToCloseTimeout: '1 minute',
  localRetryThreshold: '1 second',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

/** One notification to send. */
export interface NotificationRequest {
  /** Deterministic id: the same notification always gets the same id. */
  readonly id: string;
  readonly input: SendNotificationInput;
  /** The scheduled reminder/escalation it implements, if any. */
  readonly scheduled?: ScheduledNotification;
}

/** How a notification ended. */
export interface NotificationOutcome {
  readonly request: NotificationRequest;
  readonly status: 'sent' | 'already-sent' | 'failed';
  /** Failure type and message (no personal data) when `failed`. */
  readonly failure?: string;
}

/** Who plays each role on the case right now. */
export interface Assignment {
  readonly practitionerId: string;
  readonly teamId: string;
}

/** The recipient reference for a policy role on the case's current assignment. */
export function recipientFor(role: RecipientRole, assignment: Assignment): RecipientRef {
  switch (role) {
    case 'practitioner':
      return `practitioner:${assignment.practitionerId}`;
    case 'team-manager':
      return `team-manager:${assignment.teamId}`;
    case 'service-manager':
      return 'service-manager';
  }
}

/** The email kind of a scheduled notification: a reminder on the due date is "due today". */
export function kindOf(n: ScheduledNotification): NotificationKind {
  if (n.kind === 'escalation') return 'overdue-escalation';
  return n.date === n.dueDate ? 'due-today' : 'reminder';
}

/** Email titles are one line of at most 120 characters. */
export function emailTitle(title: string): string {
  const line = title.replace(/[\r\n\t@]/g, ' ');
  return line.length <= 120 ? line : `${line.slice(0, 117)}...`;
}

/** Deterministic notification id: the planner's facts plus the date it is sent for. */
export function notificationId(input: Omit<SendNotificationInput, 'notificationId'>, date: IsoDate | string): string {
  return `${notificationIdFor(input)}@${date}`;
}

/** The date a notification id is for (the part after the last `@`). */
export function dateOfNotificationId(id: string): string {
  return id.slice(id.lastIndexOf('@') + 1);
}

/**
 * The scheduled notifications of `timeline` (planned from some earlier day) falling between `from` and
 * `through` inclusive, for steps on the given tracks, as requests to the current assignment.
 */
export function scheduledRequests(
  timeline: Timeline,
  from: IsoDate,
  through: IsoDate,
  tracks: readonly StepTrack[],
  assignment: Assignment,
): NotificationRequest[] {
  const steps = new Map(timeline.steps.map((s) => [s.id, s]));
  const out: NotificationRequest[] = [];
  for (const n of pendingNotifications(timeline)) {
    if (n.date < from || n.date > through) continue;
    const step = steps.get(n.stepId);
    if (step === undefined || !tracks.includes(step.track)) continue;
    const base = {
      caseReference: timeline.caseReference,
      stepId: n.stepId,
      stepTitle: emailTitle(step.title),
      dueDate: n.dueDate,
      kind: kindOf(n),
      recipient: recipientFor(n.to, assignment),
    };
    const id = notificationId(base, n.date);
    out.push({ id, input: { ...base, notificationId: id }, scheduled: n });
  }
  return out;
}

/** The day before a date. */
export function dayBefore(date: IsoDate): IsoDate {
  return fromEpochDay(toEpochDay(date) - 1);
}

/** The day after a date. */
export function dayAfter(date: IsoDate): IsoDate {
  return fromEpochDay(toEpochDay(date) + 1);
}

/** Sends notifications at most once each; holds the delivered ids (carried across continue-as-new). */
export class Notifier {
  readonly #done: Set<string>;
  /** In flight: each request's place in its batch. */
  readonly #inFlight = new Map<string, InBatch>();
  readonly #onOutcome: (outcome: NotificationOutcome) => void;

  /** @param done ids already delivered or given up on; @param onOutcome called once per finished notification. */
  constructor(done: Iterable<string>, onOutcome: (outcome: NotificationOutcome) => void) {
    this.#done = new Set(done);
    this.#onOutcome = onOutcome;
  }

  /** Starts sending, as one batch, every request not yet delivered nor in flight; returns how many were started. */
  dispatch(requests: readonly NotificationRequest[]): number {
    const fresh = requests.filter(
      (r, i) => !this.#done.has(r.id) && !this.#inFlight.has(r.id) && requests.findIndex((o) => o.id === r.id) === i,
    );
    if (fresh.length > 0) void this.#sendBatch(fresh);
    return fresh.length;
  }

  /**
   * Sends one notification (or joins the send already in flight) and resolves with its outcome; an id already
   * delivered resolves `already-sent` without calling the activity.
   */
  send(request: NotificationRequest): Promise<NotificationOutcome> {
    if (this.#done.has(request.id)) return Promise.resolve({ request, status: 'already-sent' });
    const running = this.#inFlight.get(request.id);
    if (running !== undefined) return running.batch.then((outcomes) => outcomes[running.index]);
    return this.#sendBatch([request]).then((outcomes) => outcomes[0]);
  }

  /** One local activity for the whole batch; each request's outcome as the activity reports it. */
  #sendBatch(requests: readonly NotificationRequest[]): Promise<readonly NotificationOutcome[]> {
    const settled = sendNotifications({ notifications: requests.map((r) => r.input) }).then(
      (result) => {
        const byId = new Map(result.deliveries.map((d) => [d.notificationId, d]));
        return requests.map((request) => outcomeOf(request, byId.get(request.id)));
      },
      // Only a non-retryable failure of the whole batch ends up here (the retry policy never gives up on an outage).
      (err: unknown) =>
        requests.map((request): NotificationOutcome => ({ request, status: 'failed', failure: describeFailure(err) })),
    );
    const finished = settled.then((outcomes) => {
      for (const outcome of outcomes) {
        this.#inFlight.delete(outcome.request.id);
        this.#done.add(outcome.request.id);
        this.#onOutcome(outcome);
      }
      return outcomes;
    });
    requests.forEach((request, index) => this.#inFlight.set(request.id, { batch: finished, index }));
    return finished;
  }

  /** True when no notification is being sent. */
  get idle(): boolean {
    return this.#inFlight.size === 0;
  }

  /** Whether a notification id was delivered (or given up on). */
  has(id: string): boolean {
    return this.#done.has(id);
  }

  /** Delivered ids for dates on or after `since` (older ones can never be asked for again). */
  doneSince(since: IsoDate | undefined): string[] {
    const all = [...this.#done];
    return since === undefined ? all : all.filter((id) => dateOfNotificationId(id) >= since);
  }
}

/** A request's place in a batch sent by one local activity. */
interface InBatch {
  readonly batch: Promise<readonly NotificationOutcome[]>;
  readonly index: number;
}

/** A request's outcome from its entry in a batch's deliveries (missing: reported as failed, never retried). */
function outcomeOf(request: NotificationRequest, delivery: NotificationDelivery | undefined): NotificationOutcome {
  if (delivery === undefined)
    return { request, status: 'failed', failure: 'MissingDelivery: the batch did not report this notification' };
  if (delivery.status === 'failed') return { request, status: 'failed', failure: delivery.failure };
  return { request, status: delivery.status };
}

/** Failure type and message of a failed activity, without personal data (the activity never puts any in). */
function describeFailure(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return err instanceof Error ? err.message : 'unknown failure';
}
