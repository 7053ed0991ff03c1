/**
 * Notices that could not be delivered for good (a recipient missing from the staff directory, an address the
 * mail server refuses): a case never lets one go silently. It is shown on the case, logged, escalated once to the
 * team manager (the service manager when the team manager is the one who cannot be reached), and tried again
 * each working day at the notification hour, so it goes out once the directory is fixed — for up to
 * {@link UNDELIVERED_RETRY_DAYS} working days, after which the case log says it was given up.
 */
import { type IsoDate, ukDateOf, ukInstant, type WorkingDayCalendar } from '../calendar';
import { line } from './apply';
import type { Assignment } from './assignment';
import type { NoticeOutcome } from './decide';
import { NOTIFY_HOUR } from './delivery';
import { logKindOf, type Notice, noticeFor, recipientFor } from './notices';
import type { Delivery } from './state';
import type { CaseLogEntry } from './types';

/** A notice not delivered yet after a permanent failure. */
export interface UndeliveredNotice {
  readonly notice: Notice;
  /** Failure type and message of the last attempt (no personal data: the activity never puts any in). */
  readonly failure: string;
  /** When it first failed (ISO instant). */
  readonly since: string;
  /** Attempts that failed so far. */
  readonly attempts: number;
  /** The working day it is tried again on, at the notification hour. */
  readonly retryOn: IsoDate;
}

/** Working days an undelivered notice is tried again before the case gives up on it. */
export const UNDELIVERED_RETRY_DAYS = 20;

/** The failed notice after one more failed attempt at `at`; undefined once it is given up. */
export function afterFailure(
  previous: UndeliveredNotice | undefined,
  notice: Notice,
  failure: string,
  at: string,
  calendar: WorkingDayCalendar,
): UndeliveredNotice | undefined {
  const attempts = (previous?.attempts ?? 0) + 1;
  if (attempts > UNDELIVERED_RETRY_DAYS) return undefined;
  return {
    notice,
    failure,
    since: previous?.since ?? at,
    attempts,
    retryOn: calendar.addWorkingDays(ukDateOf(Date.parse(at)), 1),
  };
}

/** The instant an undelivered notice is tried again. */
export function retryAt(undelivered: UndeliveredNotice): number {
  return ukInstant(undelivered.retryOn, NOTIFY_HOUR);
}

/**
 * The escalation of a notice that could not be delivered: to the team manager, or to the service manager when the
 * team manager's is the one that failed. An escalation that fails to the service manager goes no further.
 */
export function deliveryFailedNotice(failed: Notice, assignment: Assignment): Notice | undefined {
  const teamManager = recipientFor('team-manager', assignment);
  const serviceManager = recipientFor('service-manager', assignment);
  if (failed.kind === 'delivery-failed' && failed.recipient === serviceManager) return undefined;
  const recipient = failed.recipient === teamManager ? serviceManager : teamManager;
  return noticeFor(
    {
      caseReference: failed.caseReference,
      stepId: failed.stepId,
      stepTitle: failed.stepTitle,
      dueDate: failed.dueDate,
      kind: 'delivery-failed',
      recipient,
    },
    // One escalation per failed notice: its id names the notice it is about.
    `undelivered:${failed.notificationId.replace(/[^\x21-\x7e]/g, '')}`,
  );
}

/** A delivery after a batch settled, the lines to log and the escalations to send now. */
export interface Settled<D extends Delivery> {
  readonly delivery: D;
  readonly lines: readonly CaseLogEntry[];
  readonly escalations: readonly Notice[];
}

/**
 * Settles a batch's outcomes into a delivery: delivered notices are done; failed ones are kept to try again (or
 * given up after {@link UNDELIVERED_RETRY_DAYS}), escalated on their first failure. `prefix` starts each log line
 * (`forensic: ` for the forensic wait's own log).
 */
export function settleOutcomes<D extends Delivery>(
  delivery: D,
  outcomes: readonly NoticeOutcome[],
  context: { readonly at: string; readonly calendar: WorkingDayCalendar; readonly assignment: Assignment },
  prefix = '',
): Settled<D> {
  const { at } = context;
  const settled = new Set(outcomes.map((o) => o.notice.notificationId));
  const before = new Map((delivery.undelivered ?? []).map((u) => [u.notice.notificationId, u]));
  const undelivered = new Map([...before].filter(([id]) => !settled.has(id)));
  const lines: CaseLogEntry[] = [];
  const escalations: Notice[] = [];
  for (const o of outcomes) {
    const n = o.notice;
    const what = `${prefix}${n.kind} to ${n.recipient} (due ${n.dueDate})`;
    if (o.status !== 'failed') {
      lines.push(line(at, logKindOf(n.kind), `${what} ${o.status}`, n.stepId));
      continue;
    }
    const failure = o.failure ?? 'unknown';
    const previous = before.get(n.notificationId);
    const next = afterFailure(previous, n, failure, at, context.calendar);
    if (next === undefined) {
      const said = `${what} failed: ${failure}; given up after ${previous?.attempts ?? 0} attempts`;
      lines.push(line(at, 'notification-failed', said, n.stepId));
      continue;
    }
    undelivered.set(n.notificationId, next);
    lines.push(line(at, 'notification-failed', `${what} failed: ${failure}; tried again on ${next.retryOn}`, n.stepId));
    const escalation = previous === undefined ? deliveryFailedNotice(n, context.assignment) : undefined;
    if (escalation !== undefined) escalations.push(escalation);
  }
  const { undelivered: _old, ...rest } = delivery;
  return {
    delivery: {
      ...rest,
      done: [...delivery.done, ...[...settled].filter((id) => !undelivered.has(id))],
      inFlight: delivery.inFlight.filter((id) => !settled.has(id)),
      ...(undelivered.size === 0 ? {} : { undelivered: [...undelivered.values()] }),
    } as unknown as D,
    lines,
    escalations,
  };
}

/** The undelivered notices due to be tried again at `now` and not in flight. */
export function retriesDue(
  undelivered: readonly UndeliveredNotice[] | undefined,
  inFlight: readonly string[],
  now: number,
): Notice[] {
  return (undelivered ?? [])
    .filter((u) => retryAt(u) <= now && !inFlight.includes(u.notice.notificationId))
    .map((u) => u.notice);
}

/** The earliest retry of an undelivered notice after `now`. */
export function nextRetryAt(undelivered: readonly UndeliveredNotice[] | undefined, now: number): number | undefined {
  const later = (undelivered ?? []).map(retryAt).filter((at) => at > now);
  return later.length === 0 ? undefined : Math.min(...later);
}

/** Notice ids a process must not hand over again as new: delivered, in flight, or waiting for their retry. */
export function handledIds(delivery: Delivery): Set<string> {
  return new Set([
    ...delivery.done,
    ...delivery.inFlight,
    ...(delivery.undelivered ?? []).map((u) => u.notice.notificationId),
  ]);
}
