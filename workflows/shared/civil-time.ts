/**
 * The times of day at which cases act, in UK civil time (the conversions live in `domain/calendar`):
 * - {@link NOTIFY_HOUR} 09:00 UK time: reminders and escalations of a date are sent then;
 * - midnight (00:00 UK time) of the day after a due date: the case wakes to mark the step overdue in its
 *   search attributes, so lists are right from the start of that day.
 * These are documented constants, not policy settings.
 */
import { addDays, type IsoDate, ukInstant } from '../../domain/calendar';

export { ukDateOf, ukInstant } from '../../domain/calendar';

/** Hour of the day (UK civil time) at which the reminders and escalations of a date are sent. */
export const NOTIFY_HOUR = 9;

/** The instant of the start (00:00 UK time) of the day after `date`. */
export function startOfDayAfter(date: IsoDate): number {
  return ukInstant(addDays(date, 1), 0);
}
