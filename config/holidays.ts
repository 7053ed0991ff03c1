/**
 * England & Wales holidays for the working-day calendar (the I/O side of `domain/calendar`): the gov.uk
 * snapshot is authoritative for every year it covers; other years are computed by rule with `date-holidays`.
 * Each holiday carries its source. The result is plain data, so a workflow can receive it from an activity.
 */
import type { CalendarData, Holiday } from '../domain/calendar';
import { holidaysFromDivision, yearsCovered } from './bank-holiday-feed';
import { DEFAULT_SNAPSHOT_PATH, readSnapshot, snapshotSourceLabel } from './bank-holiday-snapshot';
import { ruleBasedHolidays } from './rule-based-holidays';

/** Options of {@link loadHolidays}. */
export interface LoadHolidaysOptions {
  /** First year wanted (inclusive). */
  readonly fromYear: number;
  /** Last year wanted (inclusive). */
  readonly toYear: number;
  /** The gov.uk snapshot to use (default: the committed one under data/bank-holidays/). */
  readonly snapshotPath?: string;
}

/** The requested year range is not a range of whole years. */
export class InvalidYearRangeError extends Error {
  override readonly name = 'InvalidYearRangeError';
}

/** Widest range one call may ask for; rule-based years are computed one by one. */
const MAX_YEARS = 200;

/**
 * The holidays of `fromYear`…`toYear`, sorted by date: snapshot years from the gov.uk feed (source `gov.uk`),
 * the rest by rule (source `date-holidays`).
 * @throws InvalidYearRangeError for a bad range; BankHolidaySnapshotError / InvalidBankHolidayFeedError for a bad snapshot.
 */
export function loadHolidays(options: LoadHolidaysOptions): Holiday[] {
  const { fromYear, toYear } = options;
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear) || fromYear < 1 || toYear > 9999) {
    throw new InvalidYearRangeError('fromYear and toYear must be whole years between 1 and 9999');
  }
  if (fromYear > toYear) throw new InvalidYearRangeError('fromYear must not be after toYear');
  if (toYear - fromYear + 1 > MAX_YEARS) {
    throw new InvalidYearRangeError(`at most ${MAX_YEARS} years can be loaded at once`);
  }
  const snapshotPath = options.snapshotPath ?? DEFAULT_SNAPSHOT_PATH;
  const snapshot = readSnapshot(snapshotPath);
  const snapshotYears = new Set(yearsCovered(snapshot));
  const fromSnapshot = holidaysFromDivision(snapshot, snapshotSourceLabel(snapshotPath)).filter((h) => {
    const year = Number(h.date.slice(0, 4));
    return year >= fromYear && year <= toYear;
  });
  const byRule: Holiday[] = [];
  for (let year = fromYear; year <= toYear; year += 1) {
    if (!snapshotYears.has(year)) byRule.push(...ruleBasedHolidays(year));
  }
  return [...fromSnapshot, ...byRule].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * The holidays of `fromYear`…`toYear` with that range recorded as the calendar's coverage, ready for
 * `WorkingDayCalendar.fromData` (dates outside the range are then refused rather than silently miscounted).
 */
export function loadCalendarData(options: LoadHolidaysOptions): CalendarData {
  return { holidays: loadHolidays(options), coveredYears: { from: options.fromYear, to: options.toYear } };
}
