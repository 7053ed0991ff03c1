/**
 * When a case sends and wakes: the window of dates whose notices are due now, the escalations overdue steps are
 * still owed after days without a worker, and the next instant worth waking for. Reminders and escalations of a
 * date go at {@link NOTIFY_HOUR} UK time. Pure.
 */
import { type IsoDate, ukDateOf, ukInstant, type WorkingDayCalendar } from '../calendar';
import { pendingNotifications, scheduleNotifications, type Timeline, type TimelineStep } from '../planner';
import type { ProcedurePolicy } from '../policy';
import { dayAfter, dayBefore, type StepTrack } from './notices';

/** Hour of the day (UK civil time) at which the reminders and escalations of a date are sent. */
export const NOTIFY_HOUR = 9;

/** A date before any case: "from the beginning". */
export const BEGINNING = '0001-01-01' as IsoDate;

/** The dates whose notices are due at `now`, given the last date already handled. */
export interface NotificationWindow {
  readonly from: IsoDate;
  readonly through: IsoDate;
}

/** The last date whose notices are due at `now`: today from 09:00 UK time, else yesterday. */
export function dueThrough(now: number): IsoDate {
  const today = ukDateOf(now);
  return now >= ukInstant(today, NOTIFY_HOUR) ? today : dayBefore(today);
}

/**
 * The "last date handled" a case starts with at `now`: yesterday, or today when it starts before 09:00 (so the
 * first notices sent are those of its first 09:00, never older ones).
 */
export function initialNotifiedThrough(now: number): IsoDate {
  const through = dueThrough(now);
  return through === ukDateOf(now) ? dayBefore(through) : ukDateOf(now);
}

/**
 * The dates to send for at `now` (undefined when nothing new is due). When `catchUp` (woken at or after the
 * planned wake-up, e.g. late after a worker outage), from the day after the last date handled; otherwise (woken
 * early by a command: by construction nothing planned was due in between) only the last due date itself — new
 * notices of the day, already delivered ones being skipped by id. A step created today never gets the reminders
 * dated before today.
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
 * Whether an open step turns overdue by the calendar alone once its due date has passed: a due step (a step
 * waiting for its anchor has no due date).
 */
export function turnsOverdueByDate(step: TimelineStep): boolean {
  return step.status === 'due' && step.dueDate !== undefined;
}

/** The next instant after `now` worth waking for: the send time of the next notification of the given tracks. */
export function nextWakeAt(timeline: Timeline, now: number, tracks: readonly StepTrack[]): number | undefined {
  let next: number | undefined;
  const trackOf = new Map(timeline.steps.map((s) => [s.id, s.track]));
  for (const n of pendingNotifications(timeline)) {
    const track = trackOf.get(n.stepId);
    if (track === undefined || !tracks.includes(track)) continue;
    const instant = ukInstant(n.date, NOTIFY_HOUR);
    if (instant > now && (next === undefined || instant < next)) next = instant;
  }
  return next;
}

/**
 * The escalations still owed (as a timeline of those steps only) for the steps overdue on `timeline` of the
 * given tracks: for each, the escalation of each role of its chain dated after `after` and on or before
 * `through`. What a case sends on opening (`after` = {@link BEGINNING}) and when it catches up after days
 * without a worker, instead of every stale reminder: one message per step and role, so managers learn of the
 * overdue work at once. Recurring steps are found by their series in the policy (`visit-3` → `visit`).
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
    .filter((s) => s.status === 'overdue' && s.dueDate !== undefined && tracks.includes(s.track))
    .flatMap((s) => {
      const step = policy.steps.find((p) => p.id === (s.series ?? s.id));
      if (step === undefined || s.dueDate === undefined) return [];
      const { escalations } = scheduleNotifications(s.id, s.dueDate, step, policy, calendar, BEGINNING);
      return [{ ...s, reminders: [], escalations: escalations.filter((n) => n.date > after && n.date <= through) }];
    });
  return { ...timeline, steps };
}
