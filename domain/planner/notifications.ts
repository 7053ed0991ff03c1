/**
 * Reminders and escalations of a step, and the helpers a workflow's timer loop uses to know when to wake.
 */
import type { IsoDate, WorkingDayCalendar } from '../calendar';
import type { ProcedurePolicy, ProcedureStep } from '../policy';
import { workingDaysBefore } from './due-dates';
import type { ScheduledNotification, Timeline } from './timeline';

/**
 * The reminders (before/on the due date) and escalations (working days after it) of one open step, keeping
 * only those on or after `today`.
 */
export function scheduleNotifications(
  stepId: string,
  dueDate: IsoDate,
  step: ProcedureStep,
  policy: ProcedurePolicy,
  calendar: WorkingDayCalendar,
  today: IsoDate,
): { reminders: ScheduledNotification[]; escalations: ScheduledNotification[] } {
  const reminders: ScheduledNotification[] = [];
  for (const rule of step.reminders ?? policy.notifications.reminders) {
    const date = workingDaysBefore(dueDate, rule.workingDaysBeforeDue, calendar);
    if (date >= today)
      reminders.push({
        key: `${stepId}:reminder:${rule.to}:${date}`,
        kind: 'reminder',
        stepId,
        to: rule.to,
        date,
        dueDate,
      });
  }
  const escalations: ScheduledNotification[] = [];
  for (const rule of step.escalations ?? policy.notifications.escalations) {
    const date = calendar.addWorkingDays(dueDate, rule.workingDaysAfterDue, 'anchor-is-day-0');
    if (date >= today)
      escalations.push({
        key: `${stepId}:escalation:${rule.to}:${date}`,
        kind: 'escalation',
        stepId,
        to: rule.to,
        date,
        dueDate,
      });
  }
  return { reminders, escalations };
}

/** Every reminder and escalation still to come, by date then key. */
export function pendingNotifications(timeline: Timeline): ScheduledNotification[] {
  const all = timeline.steps.flatMap((s) => [...s.reminders, ...s.escalations]);
  return all.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The notifications to send on `date` (typically the timeline's `today`). */
export function notificationsOn(timeline: Timeline, date: IsoDate): ScheduledNotification[] {
  return pendingNotifications(timeline).filter((n) => n.date === date);
}

/**
 * The next date strictly after the timeline's `today` on which a reminder or escalation falls — when a
 * workflow should wake next — or undefined when nothing is scheduled.
 */
export function nextWakeUp(timeline: Timeline): IsoDate | undefined {
  let next: IsoDate | undefined;
  for (const step of timeline.steps) {
    for (const n of step.reminders) if (n.date > timeline.today && (next === undefined || n.date < next)) next = n.date;
    for (const n of step.escalations)
      if (n.date > timeline.today && (next === undefined || n.date < next)) next = n.date;
  }
  return next;
}
