/**
 * Deadline arithmetic under a policy's counting conventions (timescales.md, "Counting"), on the calendar
 * engineer's {@link WorkingDayCalendar}.
 */
import { addMonthsClamped, type IsoDate, type WorkingDayCalendar } from '../calendar';
import type { CaseEvent } from '../case';
import type { Offset, ProcedurePolicy } from '../policy';

/** A deadline's offset could not be applied (e.g. a review-date offset without an agreement). */
export class DeadlineComputationError extends Error {
  override readonly name = 'DeadlineComputationError';
}

/**
 * The due date `offset` after `from`: working days by the policy's convention; months and weeks on the same
 * day, moved to the previous (or next, per policy) working day when they land on a weekend or holiday; or the
 * review date recorded on the anchoring written agreement.
 */
export function dueDateAfter(
  from: IsoDate,
  offset: Offset,
  policy: ProcedurePolicy,
  calendar: WorkingDayCalendar,
  anchorEvent?: CaseEvent,
): IsoDate {
  if (offset.workingDays !== undefined)
    return calendar.addWorkingDays(from, offset.workingDays, policy.counting.workingDays);
  if (offset.calendarMonths !== undefined)
    return onWorkingDay(addMonthsClamped(from, offset.calendarMonths), policy, calendar);
  if (offset.weeks !== undefined) return onWorkingDay(calendar.addWeeks(from, offset.weeks), policy, calendar);
  if (anchorEvent?.type === 'written-agreement') return anchorEvent.reviewBy;
  throw new DeadlineComputationError('offset.recordedReviewDate: needs a recorded written agreement to count from');
}

/** Moves a months/weeks deadline off a weekend or holiday, as the policy says. */
function onWorkingDay(date: IsoDate, policy: ProcedurePolicy, calendar: WorkingDayCalendar): IsoDate {
  return policy.counting.calendarDeadlineOnNonWorkingDay === 'previous-working-day'
    ? calendar.workingDayOnOrBefore(date)
    : calendar.workingDayOnOrAfter(date);
}

/**
 * The working day `n` working days before `due`; n = 0 is `due` itself, or, when `due` is not a working day (a bail
 * period ends on the date the police set, a Saturday maybe), the last working day before it — nobody is at work to
 * read a "due today" on a Saturday.
 */
export function workingDaysBefore(due: IsoDate, n: number, calendar: WorkingDayCalendar): IsoDate {
  if (n === 0) return calendar.workingDayOnOrBefore(due);
  let date = due;
  for (let i = 0; i < n; i += 1) date = calendar.previousWorkingDay(date);
  return date;
}
