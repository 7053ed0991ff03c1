/**
 * Civil dates in England as ISO 'YYYY-MM-DD' strings, with plain integer arithmetic on epoch-day numbers
 * (days since 1970-01-01). No time zones and no `Date`: a deadline is a date on a calendar, not an instant.
 */
import { InvalidDateError, InvalidDayCountError } from './errors';

declare const isoDateBrand: unique symbol;

/** A real calendar date written 'YYYY-MM-DD' (years 0001–9999). Obtain one with {@link parseIsoDate}. */
export type IsoDate = string & { readonly [isoDateBrand]: 'IsoDate' };

/** Day of the week, ISO numbering: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const ISO_DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** True when `year` is a leap year in the proleptic Gregorian calendar. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Checks that `value` is a real date written 'YYYY-MM-DD' and returns it branded as an {@link IsoDate}.
 * @param field the name of the field or argument, used in the error message.
 * @throws InvalidDateError naming `field` and the rule broken (shape, month range, day beyond month end…).
 */
export function parseIsoDate(value: unknown, field: string): IsoDate {
  if (typeof value !== 'string') {
    throw new InvalidDateError(field, 'must be a date string in the form YYYY-MM-DD');
  }
  const match = ISO_DATE_SHAPE.exec(value);
  if (match === null) {
    throw new InvalidDateError(field, 'must be a date in the form YYYY-MM-DD');
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1) {
    throw new InvalidDateError(field, 'year must be between 0001 and 9999');
  }
  if (month < 1 || month > 12) {
    throw new InvalidDateError(field, 'month must be between 01 and 12');
  }
  const lastDay = daysInMonth(year, month);
  if (day < 1 || day > lastDay) {
    throw new InvalidDateError(
      field,
      `day must be between 01 and ${lastDay} (${MONTH_NAMES[month - 1]} ${year} has ${lastDay} days)`,
    );
  }
  return value as IsoDate;
}

/** The value of the ASCII digit at `index` of `text`, or -1 when it is not a digit. */
function digitAt(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48;
  return code >= 0 && code <= 9 ? code : -1;
}

/**
 * The epoch-day number of a date string, validated as strictly as {@link parseIsoDate} — the calendar's hot
 * path, reading character codes instead of a regular expression.
 * @throws InvalidDateError naming `field` (the message comes from {@link parseIsoDate}).
 */
export function parseEpochDay(value: unknown, field: string): number {
  if (typeof value === 'string' && value.length === 10 && value.charCodeAt(4) === 45 && value.charCodeAt(7) === 45) {
    const y0 = digitAt(value, 0);
    const y1 = digitAt(value, 1);
    const y2 = digitAt(value, 2);
    const y3 = digitAt(value, 3);
    const m0 = digitAt(value, 5);
    const m1 = digitAt(value, 6);
    const d0 = digitAt(value, 8);
    const d1 = digitAt(value, 9);
    if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) >= 0) {
      const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
      const month = m0 * 10 + m1;
      const day = d0 * 10 + d1;
      if (year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) {
        return epochDayFromParts(year, month, day);
      }
    }
  }
  parseIsoDate(value, field); // throws the precise error
  throw new InvalidDateError(field, 'must be a date in the form YYYY-MM-DD');
}

/** True when `value` is a real date written 'YYYY-MM-DD'. */
export function isIsoDate(value: unknown): value is IsoDate {
  try {
    parseIsoDate(value, 'value');
    return true;
  } catch {
    return false;
  }
}

/** Year, month (1–12) and day of an {@link IsoDate}. */
export function dateParts(date: IsoDate): { year: number; month: number; day: number } {
  return {
    year: Number(date.slice(0, 4)),
    month: Number(date.slice(5, 7)),
    day: Number(date.slice(8, 10)),
  };
}

/** The year of an {@link IsoDate}. */
export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** Epoch-day number (days since 1970-01-01) of a civil date; Howard Hinnant's days-from-civil. */
export function epochDayFromParts(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Epoch-day number (days since 1970-01-01) of an {@link IsoDate}. */
export function toEpochDay(date: IsoDate): number {
  const { year, month, day } = dateParts(date);
  return epochDayFromParts(year, month, day);
}

const MIN_EPOCH_DAY = epochDayFromParts(1, 1, 1);
const MAX_EPOCH_DAY = epochDayFromParts(9999, 12, 31);

/**
 * The {@link IsoDate} of an epoch-day number; Howard Hinnant's civil-from-days.
 * @throws InvalidDateError when the result would fall outside years 0001–9999.
 */
export function fromEpochDay(epochDay: number, field = 'date'): IsoDate {
  if (!Number.isInteger(epochDay) || epochDay < MIN_EPOCH_DAY || epochDay > MAX_EPOCH_DAY) {
    throw new InvalidDateError(field, 'result must fall between 0001-01-01 and 9999-12-31');
  }
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return formatIsoDate(year, month, day);
}

/** Formats year, month, day as an {@link IsoDate} (the caller guarantees they form a real date). */
function formatIsoDate(year: number, month: number, day: number): IsoDate {
  const yyyy = String(year).padStart(4, '0');
  const mm = month < 10 ? `0${month}` : String(month);
  const dd = day < 10 ? `0${day}` : String(day);
  return `${yyyy}-${mm}-${dd}` as IsoDate;
}

/** ISO weekday of an epoch-day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOfEpochDay(epochDay: number): IsoWeekday {
  return (((((epochDay + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: IsoDate): IsoWeekday {
  return weekdayOfEpochDay(toEpochDay(date));
}

/**
 * Checks that `n` is a whole number of days/weeks/months that is zero or more.
 * @throws InvalidDayCountError naming `field`.
 */
export function assertNonNegativeCount(n: unknown, field: string): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new InvalidDayCountError(field, 'must be a whole number, zero or more');
  }
}

/** The date `n` calendar days after `date` (n ≥ 0). */
export function addDays(date: IsoDate, n: number): IsoDate {
  assertNonNegativeCount(n, 'days');
  return fromEpochDay(toEpochDay(date) + n);
}

/**
 * The same day of the month `n` calendar months after `date`, clamped to the last day of a shorter month
 * (31 January + 1 month → 28 or 29 February). No working-day adjustment.
 */
export function addMonthsClamped(date: IsoDate, n: number): IsoDate {
  assertNonNegativeCount(n, 'months');
  const { year, month, day } = dateParts(date);
  const monthIndex = year * 12 + (month - 1) + n;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = (monthIndex % 12) + 1;
  if (targetYear > 9999) {
    throw new InvalidDateError('months', 'result must fall between 0001-01-01 and 9999-12-31');
  }
  return formatIsoDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** Compares two dates: negative when a is earlier, 0 when equal, positive when later. */
export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
