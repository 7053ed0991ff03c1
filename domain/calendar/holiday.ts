/**
 * A holiday as the calendar receives it: plain data (not a file), so a workflow can receive the list through
 * an activity and later changes to the data file cannot break replay.
 */
import { InvalidHolidayError } from './errors';
import { type IsoDate, parseIsoDate } from './iso-date';

/** One non-working day other than a weekend. */
export interface Holiday {
  /** The date the holiday is observed (a substitute day carries its own date). */
  readonly date: IsoDate;
  /** Its name as published, e.g. "Boxing Day (substitute day)". */
  readonly name: string;
  /** Where it came from, e.g. 'gov.uk', 'date-holidays', 'announced'. */
  readonly source: string;
}

/** The calendar's holidays plus the years they cover, in a form that serialises as JSON. */
export interface CalendarData {
  readonly holidays: readonly Holiday[];
  /** Inclusive range of years the holiday list is complete for; dates outside it are refused. */
  readonly coveredYears?: { readonly from: number; readonly to: number };
}

/**
 * Checks one holiday entry received as plain data.
 * @throws InvalidHolidayError naming the entry's position and the rule broken.
 */
export function validateHoliday(entry: unknown, position: number): Holiday {
  const where = `holidays[${position}]`;
  if (typeof entry !== 'object' || entry === null) {
    throw new InvalidHolidayError(`${where} must be an object with date, name and source`);
  }
  const { date, name, source } = entry as Record<string, unknown>;
  let parsedDate: IsoDate;
  try {
    parsedDate = parseIsoDate(date, `${where}.date`);
  } catch (err) {
    throw new InvalidHolidayError((err as Error).message);
  }
  // A holiday's name and source are one bounded line: they are shown, never sent by email or published.
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100 || /[\x00-\x1f\x7f]/.test(name)) {
    throw new InvalidHolidayError(`${where}.name must be one line of 1–100 characters`);
  }
  if (typeof source !== 'string' || source.trim() === '' || source.length > 200 || /[\x00-\x1f\x7f]/.test(source)) {
    throw new InvalidHolidayError(`${where}.source must be one line of 1–200 characters`);
  }
  return { date: parsedDate, name, source };
}
