/**
 * Public API of the working-day calendar and of UK civil time. Pure: no I/O, no clock, no Node
 * built-ins — imported by Temporal workflow code. Holiday data is loaded on the I/O side by
 * `config/holidays.ts` and handed in as a plain list.
 */
export { DEFAULT_WORKING_DAY_COUNTING, WORKING_DAY_COUNTINGS, type WorkingDayCounting } from './counting';
export {
  CalendarCoverageError,
  InvalidCountingError,
  InvalidDateError,
  InvalidDayCountError,
  InvalidHolidayError,
} from './errors';
export { type CalendarData, type Holiday, validateHoliday } from './holiday';
export {
  addDays,
  addMonthsClamped,
  compareIsoDates,
  daysInMonth,
  fromEpochDay,
  isIsoDate,
  isLeapYear,
  type IsoDate,
  type IsoWeekday,
  parseEpochDay,
  parseIsoDate,
  toEpochDay,
  weekdayOf,
  dateParts,
  yearOf,
} from './iso-date';
export { ukDateOf, ukInstant, ukOffsetMs, ukWallClock, type UkWallClock } from './uk-civil-time';
export { WorkingDayCalendar, type WorkingDayCalendarOptions } from './working-day-calendar';
export { sharedCalendar } from './shared-calendar';
