/**
 * When a workflow's timer loop sends and wakes: the window of dates whose notifications are due now, and the
 * next instant to wake (a notification date at {@link NOTIFY_HOUR}, or the start of the day after a due date,
 * when the step turns overdue). Pure.
 */
import type { IsoDate, WorkingDayCalendar } from '../../domain/calendar';
import { pendingNotifications, scheduleNotifications, type Timeline, type TimelineStep } from '../../domain/planner';
import type { ProcedurePolicy } from '../../domain/policy';
import { NOTIFY_HOUR, ukDateOf, ukInstant } from './civil-time';
import { dayAfter, dayBefore, type StepTrack } from './notifier';

/** The dates whose notifications are due at `now`, given the last date already handled. */
export interface NotificationWindow {
  readonly from: IsoDate;
  readonly through: IsoDate;
}

/**
 * The "last date handled" a workflow starts with at `now`: yesterday, or today when it starts before 09:00
 * (so the first notifications sent are those of its first 09:00, never older ones).
 */
export function initialNotifiedThrough(now: number): IsoDate {
  const through = dueThrough(now);
  return through === ukDateOf(now) ? dayBefore(through) : ukDateOf(now);
}

/**
 * The last date whose notifications are due at `now`: today from 09:00 UK time, else yesterday.
 */
export function dueThrough(now: number): IsoDate {
  const today = ukDateOf(now);
  return now >= ukInstant(today, NOTIFY_HOUR) ? today : dayBefore(today);
}

/**
 * The dates to send for at `now` (undefined before the first 09:00 of a workflow). When `catchUp` (the loop
 * woke at or after its planned wake-up, e.g. late after a worker outage), from the day after the last date
 * handled through {@link dueThrough}; otherwise (woken early by a command or signal: by construction nothing
 * planned was due in between) only {@link dueThrough} itself — new notifications of the day, already delivered
 * ones being skipped by id. A step created today never gets the reminders dated before today.
 */
export function notificationWindow(
  now: number,
  notifiedThrough: IsoDate,
  catchUp: boolean,
): NotificationWindow | undefined {
  const through = dueThrough(now);
  if (notifiedThrough > through) return undefined;
  const from = catchUp && notifiedThrough < through ? dayAfter(notifiedThrough) : through;
  return { from, through };
}

/**
 * Whether an open step turns overdue by the calendar alone, once its due date has passed: a due step, or one
 * waiting on a projected date that already has reminders or escalations. A step waiting on a period that has
 * not started (no reminders: the first visit before the ICPC) never does.
 */
export function turnsOverdueByDate(step: TimelineStep): boolean {
  return (
    step.status === 'due' || (step.status === 'waiting' && (step.reminders.length > 0 || step.escalations.length > 0))
  );
}

/**
 * The next instant after `now` worth waking for: the send time of the next notification of the given tracks.
 * Undefined when there is nothing to wait for. (Overdue needs no wake-up: readers compare published due dates
 * with their own today.)
 */
export function nextWakeAt(timeline: Timeline, now: number, tracks: readonly StepTrack[]): number | undefined {
  let next: number | undefined;
  const consider = (instant: number) => {
    if (instant > now && (next === undefined || instant < next)) next = instant;
  };
  const trackOf = new Map(timeline.steps.map((s) => [s.id, s.track]));
  for (const n of pendingNotifications(timeline)) {
    const track = trackOf.get(n.stepId);
    if (track !== undefined && tracks.includes(track)) consider(ukInstant(n.date, NOTIFY_HOUR));
  }
  return next;
}

/** A date before any case: "from the beginning". */
export const BEGINNING = '0001-01-01' as IsoDate;

/**
 * The escalations still owed (as a timeline of those steps only) for the steps overdue on `timeline` (planned today) of the given tracks: for each
 * such step, the escalation of each role of its chain whose date is after `after` and on or before `through`
 * (the planned timeline keeps only those still to come, so they are recomputed from the policy). What a case
 * sends on opening (`after` = {@link BEGINNING}) and when it catches up after days without a worker, instead of
 * every stale reminder: one message per step and role, so managers learn of the overdue work at once.
 */
export function overdueEscalationTimeline(
  timeline: Timeline,
  policy: ProcedurePolicy,
  calendar: WorkingDayCalendar,
  after: IsoDate,
  through: IsoDate,
  tracks: readonly StepTrack[],
): Timeline {
  const steps = timeline.steps
    .filter((s) => s.status === 'overdue' && tracks.includes(s.track))
    .flatMap((s) => {
      const step = policy.steps.find((p) => p.id === s.id);
      if (step === undefined) return [];
      const { escalations } = scheduleNotifications(s.id, s.dueDate, step, policy, calendar, BEGINNING);
      return [{ ...s, reminders: [], escalations: escalations.filter((n) => n.date > after && n.date <= through) }];
    });
  return { ...timeline, steps };
}
