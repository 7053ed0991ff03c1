/**
 * The working-day calendar: Monday–Friday, excluding the holidays it was built with (timescales.md,
 * "Counting"). Pure and deterministic, safe inside Temporal workflow code.
 *
 * Arithmetic works on epoch-day numbers. Every day has a *working-day index* W(e) = weekdays up to e minus
 * weekday holidays up to e, both counted in O(1)/O(log h); moving n working days is a jump to the first day
 * whose index is W(d) + n, found by a binary search over the sorted weekday holidays — never a day-by-day loop.
 */
import { DEFAULT_WORKING_DAY_COUNTING, type WorkingDayCounting } from './counting';
import { CalendarCoverageError, InvalidCountingError, InvalidDateError, InvalidHolidayError } from './errors';
import { type CalendarData, type Holiday, validateHoliday } from './holiday';
import {
  addMonthsClamped,
  assertNonNegativeCount,
  fromEpochDay,
  type IsoDate,
  parseEpochDay,
  toEpochDay,
  weekdayOfEpochDay,
  yearOf,
} from './iso-date';

/** Options for {@link WorkingDayCalendar}. */
export interface WorkingDayCalendarOptions {
  /**
   * Inclusive range of years the holiday list is known to be complete for. When given, any date outside it
   * (argument or result) raises {@link CalendarCoverageError} instead of silently ignoring unknown holidays.
   */
  readonly coveredYears?: { readonly from: number; readonly to: number };
}

/** Days since Monday 1969-12-29 (the Monday on or before epoch day 0). */
const MONDAY_OFFSET = 3;

/** Number of weekdays (Mon–Fri) from Monday 1969-12-29 up to and including `epochDay` (negative before it). */
function weekdaysUpTo(epochDay: number): number {
  const sinceMonday = epochDay + MONDAY_OFFSET;
  const weeks = Math.floor(sinceMonday / 7);
  const dayInWeek = sinceMonday - weeks * 7;
  return weeks * 5 + Math.min(dayInWeek + 1, 5);
}

/** The epoch day of the weekday whose {@link weekdaysUpTo} count is `k` (inverse on weekdays). */
function weekdayWithCount(k: number): number {
  const weeks = Math.floor((k - 1) / 5);
  const dayInWeek = k - 1 - weeks * 5;
  return weeks * 7 + dayInWeek - MONDAY_OFFSET;
}

/** A Monday–Friday calendar less a list of holidays, with working-day arithmetic. */
export class WorkingDayCalendar {
  readonly #holidays: readonly Holiday[];
  readonly #holidayDays: ReadonlySet<number>;
  /** Sorted, distinct epoch days of holidays that fall Monday–Friday (the only ones that matter). */
  readonly #weekdayHolidays: Int32Array;
  readonly #coveredYears: { readonly from: number; readonly to: number } | undefined;
  #data: CalendarData | undefined;

  /**
   * Builds a calendar from plain holiday data. Entries are validated; a second entry on a date already listed
   * is ignored (the first one wins).
   * @throws InvalidHolidayError on a malformed entry or a bad `coveredYears` range.
   */
  constructor(holidays: readonly Holiday[], options: WorkingDayCalendarOptions = {}) {
    const byDate = new Map<string, Holiday>();
    holidays.forEach((entry, position) => {
      const holiday = validateHoliday(entry, position);
      if (!byDate.has(holiday.date)) byDate.set(holiday.date, holiday);
    });
    this.#holidays = Object.freeze(
      [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)).map((h) => Object.freeze({ ...h })),
    );
    const days = this.#holidays.map((h) => toEpochDay(h.date));
    this.#holidayDays = new Set(days);
    this.#weekdayHolidays = Int32Array.from(days.filter((e) => weekdayOfEpochDay(e) <= 5));
    const covered = options.coveredYears;
    if (covered !== undefined) {
      const { from, to } = covered;
      if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to > 9999 || from > to) {
        throw new InvalidHolidayError('coveredYears must be whole years with 1 ≤ from ≤ to ≤ 9999');
      }
      this.#coveredYears = Object.freeze({ from, to });
    }
  }

  /** Rebuilds a calendar from {@link CalendarData} (e.g. the result of an activity). */
  static fromData(data: CalendarData): WorkingDayCalendar {
    return new WorkingDayCalendar(data.holidays, { coveredYears: data.coveredYears });
  }

  /** The calendar as plain JSON-serialisable data (one frozen object per calendar); `fromData` restores it. */
  toData(): CalendarData {
    this.#data ??= Object.freeze(
      this.#coveredYears === undefined
        ? { holidays: this.#holidays }
        : { holidays: this.#holidays, coveredYears: this.#coveredYears },
    );
    return this.#data;
  }

  /** The inclusive year range the calendar vouches for, if one was given. */
  get coveredYears(): { readonly from: number; readonly to: number } | undefined {
    return this.#coveredYears;
  }

  /** Whether the working days around `date` are known: its year lies in the years the calendar vouches for. */
  covers(date: IsoDate): boolean {
    const covered = this.#coveredYears;
    const year = yearOf(date);
    return covered === undefined || (year >= covered.from && year <= covered.to);
  }

  /** Every holiday, sorted by date. */
  get holidays(): readonly Holiday[] {
    return this.#holidays;
  }

  /**
   * A new calendar with `extra` holidays added (a newly announced holiday, e.g. a coronation). Deadlines
   * computed afterwards move; dates already computed are values and keep theirs. Dates already listed keep
   * their existing entry.
   */
  withHolidays(extra: readonly Holiday[]): WorkingDayCalendar {
    return new WorkingDayCalendar([...this.#holidays, ...extra], { coveredYears: this.#coveredYears });
  }

  /**
   * A calendar vouching for more years: through `toYear`, with `holidays` (each in a year after the ones already
   * covered) added. The years already covered keep their holidays.
   * @throws InvalidHolidayError when this calendar vouches for no range, `toYear` is not later, or a holiday lies
   * outside the added years.
   */
  extendedThrough(toYear: number, holidays: readonly Holiday[]): WorkingDayCalendar {
    const covered = this.#coveredYears;
    if (covered === undefined) throw new InvalidHolidayError('coveredYears: the calendar vouches for no years');
    if (!Number.isInteger(toYear) || toYear <= covered.to || toYear > 9999) {
      throw new InvalidHolidayError('toYear: must be a whole year after the years already covered');
    }
    holidays.forEach((entry, i) => {
      const year = yearOf(validateHoliday(entry, i).date);
      if (year <= covered.to || year > toYear) {
        throw new InvalidHolidayError(`holidays[${i}].date: must lie in the years being added`);
      }
    });
    return new WorkingDayCalendar([...this.#holidays, ...holidays], {
      coveredYears: { from: covered.from, to: toYear },
    });
  }

  /** True when `date` is Monday–Friday and not a holiday. */
  isWorkingDay(date: IsoDate): boolean {
    return this.#isWorkingEpochDay(this.#epochDayOf(date, 'date'));
  }

  /** The holidays observed in `year`, sorted by date (weekend ones included, as listed). */
  holidaysIn(year: number): Holiday[] {
    if (!Number.isInteger(year) || year < 1 || year > 9999) {
      throw new InvalidDateError('year', 'must be a whole year between 1 and 9999');
    }
    this.#checkYear(year, 'year');
    const prefix = `${String(year).padStart(4, '0')}-`;
    return this.#holidays.filter((h) => h.date.startsWith(prefix));
  }

  /**
   * The due date of "within `n` working days of `date`" (timescales.md, "Counting").
   * Default convention: the Nth working day strictly after `date`, which may itself be a weekend or holiday
   * (Saturday 2026-08-29 + 1 → Tuesday 2026-09-01). With `'anchor-is-day-1'` a working `date` counts as day 1.
   * `n = 0` gives `date` itself.
   * @throws InvalidDayCountError when `n` is not a whole number ≥ 0; InvalidDateError for a bad date;
   *   InvalidCountingError for an unknown convention.
   */
  addWorkingDays(date: IsoDate, n: number, counting: WorkingDayCounting = DEFAULT_WORKING_DAY_COUNTING): IsoDate {
    assertNonNegativeCount(n, 'workingDays');
    const anchor = this.#epochDayOf(date, 'date');
    if (n === 0) return date;
    let steps = n;
    if (counting === 'anchor-is-day-1') {
      if (this.#isWorkingEpochDay(anchor)) steps -= 1;
      if (steps === 0) return date;
    } else if (counting !== 'anchor-is-day-0') {
      throw new InvalidCountingError('counting');
    }
    return this.#dateOf(this.#workingDayWithIndex(this.#workingDayIndex(anchor) + steps), 'result');
  }

  /**
   * The due date of "within `n` months of `date`": the same day of the month `n` months later, clamped to the
   * end of a shorter month, then moved back to the previous working day when it is not one.
   */
  addCalendarMonths(date: IsoDate, n: number): IsoDate {
    this.#epochDayOf(date, 'date');
    return this.workingDayOnOrBefore(addMonthsClamped(date, n));
  }

  /** The date `n` calendar days after `date` (no working-day adjustment). */
  addCalendarDays(date: IsoDate, n: number): IsoDate {
    assertNonNegativeCount(n, 'days');
    return this.#dateOf(this.#epochDayOf(date, 'date') + n, 'result');
  }

  /** The date `n` weeks (7n calendar days) after `date` (no working-day adjustment). */
  addWeeks(date: IsoDate, n: number): IsoDate {
    assertNonNegativeCount(n, 'weeks');
    return this.#dateOf(this.#epochDayOf(date, 'date') + 7 * n, 'result');
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate {
    const day = this.#epochDayOf(date, 'date');
    return this.#dateOf(this.#workingDayWithIndex(this.#workingDayIndex(day) + 1), 'result');
  }

  /** The last working day strictly before `date`. */
  previousWorkingDay(date: IsoDate): IsoDate {
    const day = this.#epochDayOf(date, 'date');
    return this.#dateOf(this.#workingDayWithIndex(this.#workingDayIndex(day - 1)), 'result');
  }

  /** `date` itself when it is a working day, otherwise the first working day after it. */
  workingDayOnOrAfter(date: IsoDate): IsoDate {
    const day = this.#epochDayOf(date, 'date');
    return this.#isWorkingEpochDay(day)
      ? date
      : this.#dateOf(this.#workingDayWithIndex(this.#workingDayIndex(day) + 1), 'result');
  }

  /** `date` itself when it is a working day, otherwise the last working day before it. */
  workingDayOnOrBefore(date: IsoDate): IsoDate {
    const day = this.#epochDayOf(date, 'date');
    return this.#isWorkingEpochDay(day)
      ? date
      : this.#dateOf(this.#workingDayWithIndex(this.#workingDayIndex(day)), 'result');
  }

  /**
   * The number of working days in (from, to]: so `workingDaysBetween(d, addWorkingDays(d, n)) === n`.
   * Negative when `to` is before `from`.
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    return this.#workingDayIndex(this.#epochDayOf(to, 'to')) - this.#workingDayIndex(this.#epochDayOf(from, 'from'));
  }

  #isWorkingEpochDay(day: number): boolean {
    return weekdayOfEpochDay(day) <= 5 && !this.#holidayDays.has(day);
  }

  /** Number of weekday holidays on or before `day`. */
  #weekdayHolidaysUpTo(day: number): number {
    const list = this.#weekdayHolidays;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid] <= day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** W(day): working days from the reference Monday up to and including `day`. */
  #workingDayIndex(day: number): number {
    return weekdaysUpTo(day) - this.#weekdayHolidaysUpTo(day);
  }

  /**
   * The working day whose index is `k` (the first day where W reaches k). It is the weekday with count k + i,
   * where i is the least holiday count such that the (i+1)th weekday holiday lies after it — a monotone
   * predicate, so a binary search over the holiday list finds i.
   */
  #workingDayWithIndex(k: number): number {
    const list = this.#weekdayHolidays;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid] > weekdayWithCount(k + mid)) hi = mid;
      else lo = mid + 1;
    }
    return weekdayWithCount(k + lo);
  }

  #epochDayOf(date: IsoDate, field: string): number {
    const day = parseEpochDay(date, field);
    if (this.#coveredYears !== undefined) this.#checkYear(yearOf(date), field);
    return day;
  }

  #dateOf(day: number, field: string): IsoDate {
    const date = fromEpochDay(day, field);
    if (this.#coveredYears !== undefined) this.#checkYear(yearOf(date), field);
    return date;
  }

  #checkYear(year: number, field: string): void {
    const covered = this.#coveredYears;
    if (covered !== undefined && (year < covered.from || year > covered.to)) {
      throw new CalendarCoverageError(field, year, covered.from, covered.to);
    }
  }
}
