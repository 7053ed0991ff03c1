/**
 * England & Wales bank holidays computed by rule with the `date-holidays` package, for years the gov.uk
 * snapshot does not cover. Only public holidays: without `types: ['public']` the package also returns
 * observances (Mother's Day…), which are not days off. Weekend dates are dropped, as in the gov.uk feed,
 * which lists the days off (a substitute Monday, not the Saturday it replaces).
 */
import { createRequire } from 'node:module';
import type DateHolidays from 'date-holidays';
import { type Holiday, parseIsoDate, weekdayOf } from '../domain/calendar';

// date-holidays (with moment-timezone) takes ~100 ms to load, and the gov.uk snapshot covers the years most
// callers ask for (the CLI's `overdue`, a referral refused by validation): loaded on first use only.
const requireLazily = createRequire(__filename);
let holidaysClass: typeof DateHolidays | undefined;
function dateHolidays(): typeof DateHolidays {
  holidaysClass ??= requireLazily('date-holidays') as typeof DateHolidays;
  return holidaysClass;
}

/** `source` tag of holidays computed by `date-holidays`. */
export const DATE_HOLIDAYS_SOURCE = 'date-holidays';

/** The bank holidays (weekdays off) in England & Wales in `year`, computed by rule. */
export function ruleBasedHolidays(year: number): Holiday[] {
  const Holidays = dateHolidays();
  const calendar = new Holidays('GB', 'ENG', { types: ['public'] });
  return calendar
    .getHolidays(year)
    .filter((h) => h.type === 'public')
    .map((h) => ({
      date: parseIsoDate(h.date.slice(0, 10), 'date-holidays date'),
      name: h.name,
      source: DATE_HOLIDAYS_SOURCE,
    }))
    .filter((h) => weekdayOf(h.date) <= 5);
}
