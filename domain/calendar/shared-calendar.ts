/**
 * One {@link WorkingDayCalendar} per distinct holiday list, shared by every case of a worker (see
 * domain/interning). Calendars are immutable, so sharing is invisible to the cases.
 */
import { ContentInterner } from '../interning';
import type { CalendarData } from './holiday';
import { WorkingDayCalendar } from './working-day-calendar';

const calendars = new ContentInterner<CalendarData, WorkingDayCalendar>((data) => WorkingDayCalendar.fromData(data));

/** The worker's shared calendar for `data` (equal holidays and coverage give the same instance). */
export function sharedCalendar(data: CalendarData): WorkingDayCalendar {
  const calendar = calendars.intern(data);
  // Workflows pass the shared calendar's data back in (inputs, continue-as-new, children): found by identity.
  calendars.remember(calendar.toData(), calendar);
  return calendar;
}
