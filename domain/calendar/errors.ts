/**
 * Named errors of the working-day calendar. Messages name the field and the rule that was broken; they never
 * repeat the offending value, because a date handed to the calendar may belong to a child's record.
 */

/** A value given as a date is not a real calendar date in the form YYYY-MM-DD. */
export class InvalidDateError extends Error {
  override readonly name = 'InvalidDateError';
  /** The field (or argument) that held the bad value. */
  readonly field: string;
  /** The rule that was broken, in plain words. */
  readonly rule: string;

  constructor(field: string, rule: string) {
    super(`${field}: ${rule}`);
    this.field = field;
    this.rule = rule;
  }
}

/** A count of days, weeks or months is not a non-negative whole number. */
export class InvalidDayCountError extends Error {
  override readonly name = 'InvalidDayCountError';
  /** The argument that held the bad count. */
  readonly field: string;

  constructor(field: string, rule: string) {
    super(`${field}: ${rule}`);
    this.field = field;
  }
}

/** An entry in a holiday list is malformed (bad date, empty name or source). */
export class InvalidHolidayError extends Error {
  override readonly name = 'InvalidHolidayError';

  constructor(message: string) {
    super(message);
  }
}

/**
 * A date falls outside the years the calendar's holiday list covers, so its working days cannot be known.
 * Raised only when the calendar was built with `coveredYears`.
 */
export class CalendarCoverageError extends Error {
  override readonly name = 'CalendarCoverageError';
  /** The year that was asked about. */
  readonly year: number;

  constructor(field: string, year: number, fromYear: number, toYear: number) {
    super(`${field}: year ${year} is outside the holiday data this calendar covers (${fromYear}–${toYear})`);
    this.year = year;
  }
}

/** A working-day counting convention is not one of `WORKING_DAY_COUNTINGS`. */
export class InvalidCountingError extends Error {
  override readonly name = 'InvalidCountingError';

  constructor(field: string) {
    super(`${field}: must be 'anchor-is-day-0' or 'anchor-is-day-1'`);
  }
}
