import { describe, expect, it } from 'vitest';
import {
  CalendarCoverageError,
  type Holiday,
  InvalidCountingError,
  InvalidDateError,
  InvalidDayCountError,
  InvalidHolidayError,
  type IsoDate,
  parseIsoDate,
  WorkingDayCalendar,
} from '../../../domain/calendar';
import { EXPECTED_BANK_HOLIDAYS } from './expected-bank-holidays';

const d = (value: string): IsoDate => parseIsoDate(value, 'test');
const holidays: Holiday[] = Object.values(EXPECTED_BANK_HOLIDAYS)
  .flat()
  .map((date) => ({ date: d(date), name: 'Bank holiday', source: 'published' }));
const calendar = new WorkingDayCalendar(holidays);

describe('addWorkingDays — "within N working days of D" (anchor is day 0, the default)', () => {
  it('timescales.md example: Saturday 2026-08-29 + 1 → Tuesday 2026-09-01 (31 August is a bank holiday)', () => {
    expect(calendar.addWorkingDays(d('2026-08-29'), 1)).toBe('2026-09-01');
  });

  it.each([
    // weekday anchors
    ['2026-09-07', 1, '2026-09-08'], // Monday → Tuesday
    ['2026-09-11', 1, '2026-09-14'], // Friday → Monday
    ['2026-09-07', 5, '2026-09-14'],
    ['2026-09-07', 15, '2026-09-28'], // ICPC: 15 working days
    // weekend anchors
    ['2026-09-05', 1, '2026-09-07'], // Saturday → Monday
    ['2026-09-06', 1, '2026-09-07'], // Sunday → Monday
    ['2026-09-06', 10, '2026-09-18'],
    // holiday anchors
    ['2026-08-31', 1, '2026-09-01'], // bank holiday Monday → Tuesday
    ['2026-04-03', 1, '2026-04-07'], // Good Friday → Tuesday after Easter Monday
    ['2026-04-02', 1, '2026-04-07'], // Thursday before Easter → Tuesday
    // across Christmas and New Year
    ['2026-12-24', 1, '2026-12-29'], // 25th and substitute 28th are off
    ['2026-12-24', 3, '2026-12-31'],
    ['2026-12-24', 4, '2027-01-04'], // 1 January is off
    ['2027-12-24', 1, '2027-12-29'], // 27th and 28th are substitutes
    ['2027-12-31', 1, '2028-01-04'], // 3 January 2028 is the substitute New Year's Day
    // leap year
    ['2028-02-28', 1, '2028-02-29'],
    ['2028-02-25', 2, '2028-02-29'],
    // 45 working days for a child and family assessment
    ['2026-03-02', 45, '2026-05-07'],
  ])('%s + %i working days = %s', (from, n, expected) => {
    expect(calendar.addWorkingDays(d(from), n)).toBe(expected);
  });

  it('gives the anchor itself for 0 working days (same-day rules), even on a weekend', () => {
    expect(calendar.addWorkingDays(d('2026-09-07'), 0)).toBe('2026-09-07');
    expect(calendar.addWorkingDays(d('2026-08-29'), 0)).toBe('2026-08-29');
  });
});

describe("addWorkingDays with counting 'anchor-is-day-1'", () => {
  it('counts a working anchor as day 1', () => {
    expect(calendar.addWorkingDays(d('2026-09-07'), 1, 'anchor-is-day-1')).toBe('2026-09-07');
    expect(calendar.addWorkingDays(d('2026-09-07'), 15, 'anchor-is-day-1')).toBe('2026-09-25');
    expect(calendar.addWorkingDays(d('2026-12-24'), 2, 'anchor-is-day-1')).toBe('2026-12-29');
  });

  it('agrees with day 0 when the anchor is a weekend or holiday', () => {
    expect(calendar.addWorkingDays(d('2026-08-29'), 1, 'anchor-is-day-1')).toBe('2026-09-01');
    expect(calendar.addWorkingDays(d('2026-08-31'), 3, 'anchor-is-day-1')).toBe('2026-09-03');
  });

  it('rejects an unknown convention', () => {
    expect(() => calendar.addWorkingDays(d('2026-09-07'), 1, 'anchor-is-day-2' as never)).toThrow(InvalidCountingError);
  });
});

describe('addCalendarMonths — "within N months of D"', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-27'], // clamped to Sat 28 Feb → previous working day Fri 27
    ['2028-01-31', 1, '2028-02-29'], // leap year: Tuesday 29 February
    ['2026-08-31', 6, '2027-02-26'], // clamped to Sun 28 Feb 2027 → Fri 26
    ['2027-08-31', 6, '2028-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-06-15', 3, '2026-09-15'], // first review conference: 3 months
    ['2026-09-25', 3, '2026-12-24'], // 25 December → Thursday 24th
    ['2026-10-28', 2, '2026-12-24'], // substitute Monday 28th → Thursday 24th
    ['2026-03-01', 6, '2026-09-01'],
    ['2026-02-28', 6, '2026-08-28'], // Friday before the August bank holiday
    ['2026-03-31', 5, '2026-08-28'], // clamped to Mon 31 Aug, a bank holiday → Fri 28
    ['2026-07-05', 0, '2026-07-03'], // 0 months from a Sunday: the previous working day
  ])('%s + %i months = %s', (from, n, expected) => {
    expect(calendar.addCalendarMonths(d(from), n)).toBe(expected);
  });
});

describe('other helpers', () => {
  it('adds calendar days and weeks without working-day adjustment', () => {
    expect(calendar.addCalendarDays(d('2026-12-20'), 8)).toBe('2026-12-28');
    expect(calendar.addWeeks(d('2026-09-07'), 6)).toBe('2026-10-19');
    expect(calendar.addWeeks(d('2028-02-01'), 4)).toBe('2028-02-29');
  });

  it('finds the next and previous working days strictly after/before', () => {
    expect(calendar.nextWorkingDay(d('2026-12-24'))).toBe('2026-12-29');
    expect(calendar.nextWorkingDay(d('2026-09-07'))).toBe('2026-09-08');
    expect(calendar.previousWorkingDay(d('2026-12-29'))).toBe('2026-12-24');
    expect(calendar.previousWorkingDay(d('2026-09-01'))).toBe('2026-08-28');
    expect(calendar.previousWorkingDay(d('2026-09-08'))).toBe('2026-09-07');
    expect(calendar.previousWorkingDay(d('2028-01-04'))).toBe('2027-12-31');
  });

  it('moves to a working day on or before/after', () => {
    expect(calendar.workingDayOnOrBefore(d('2026-09-07'))).toBe('2026-09-07');
    expect(calendar.workingDayOnOrBefore(d('2026-08-31'))).toBe('2026-08-28');
    expect(calendar.workingDayOnOrAfter(d('2026-08-29'))).toBe('2026-09-01');
    expect(calendar.workingDayOnOrAfter(d('2026-09-07'))).toBe('2026-09-07');
  });

  it('counts working days in (from, to]', () => {
    expect(calendar.workingDaysBetween(d('2026-08-29'), d('2026-09-01'))).toBe(1);
    expect(calendar.workingDaysBetween(d('2026-01-01'), d('2026-12-31'))).toBe(253);
    expect(calendar.workingDaysBetween(d('2026-12-24'), d('2027-01-04'))).toBe(4);
    expect(calendar.workingDaysBetween(d('2026-09-07'), d('2026-09-07'))).toBe(0);
    expect(calendar.workingDaysBetween(d('2026-09-14'), d('2026-09-07'))).toBe(-5);
  });

  it('knows working days', () => {
    expect(calendar.isWorkingDay(d('2026-08-31'))).toBe(false);
    expect(calendar.isWorkingDay(d('2026-08-29'))).toBe(false);
    expect(calendar.isWorkingDay(d('2026-09-01'))).toBe(true);
  });
});

describe('a newly announced holiday', () => {
  it('moves deadlines computed afterwards; values computed before keep their dates', () => {
    const before = calendar.addWorkingDays(d('2026-06-05'), 1);
    const announced = calendar.withHolidays([
      { date: d('2026-06-08'), name: 'Bank holiday for a state occasion', source: 'announced' },
    ]);
    expect(before).toBe('2026-06-08');
    expect(announced.addWorkingDays(d('2026-06-05'), 1)).toBe('2026-06-09');
    expect(announced.holidaysIn(2026).map((h) => h.date)).toContain('2026-06-08');
    expect(calendar.isWorkingDay(d('2026-06-08'))).toBe(true);
    expect(announced.holidaysIn(2026).find((h) => h.date === '2026-06-08')?.source).toBe('announced');
  });

  it('keeps the existing entry when the date is already a holiday', () => {
    const again = calendar.withHolidays([{ date: d('2026-08-31'), name: 'Duplicate', source: 'announced' }]);
    expect(again.holidaysIn(2026)).toEqual(calendar.holidaysIn(2026));
  });
});

describe('bad input', () => {
  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3' as unknown as number])(
    'rejects %p working days with InvalidDayCountError',
    (n) => {
      expect(() => calendar.addWorkingDays(d('2026-09-07'), n)).toThrow(InvalidDayCountError);
      expect(() => calendar.addWorkingDays(d('2026-09-07'), n)).toThrow(
        /workingDays: must be a whole number, zero or more/,
      );
    },
  );

  it('rejects negative day, week and month counts', () => {
    expect(() => calendar.addCalendarDays(d('2026-09-07'), -2)).toThrow(/days: must be a whole number/);
    expect(() => calendar.addWeeks(d('2026-09-07'), 0.5)).toThrow(/weeks: must be a whole number/);
    expect(() => calendar.addCalendarMonths(d('2026-09-07'), -3)).toThrow(/months: must be a whole number/);
  });

  it('rejects a string that is not a date even when the type was forced', () => {
    expect(() => calendar.addWorkingDays('2026-02-30' as IsoDate, 1)).toThrow(InvalidDateError);
    expect(() => calendar.isWorkingDay('tomorrow' as IsoDate)).toThrow(/date: must be a date in the form YYYY-MM-DD/);
    expect(() => calendar.workingDaysBetween(d('2026-01-01'), '2026-13-01' as IsoDate)).toThrow(/^to: month/);
  });

  it('rejects malformed holiday entries, naming their position', () => {
    expect(() => new WorkingDayCalendar([{ date: '2026-02-30' as IsoDate, name: 'x', source: 'y' }])).toThrow(
      InvalidHolidayError,
    );
    expect(() => new WorkingDayCalendar([{ date: d('2026-06-08'), name: '', source: 'y' }])).toThrow(
      /holidays\[0\]\.name must be one line of 1–100 characters/,
    );
    // A holiday's name is bounded free text: no paragraph, no second line, and it is never repeated back.
    for (const name of ['x'.repeat(101), 'Boxing Day\nEmma Smith 2015-03-02']) {
      const attempt = () => new WorkingDayCalendar([{ date: d('2026-06-08'), name, source: 'y' }]);
      expect(attempt).toThrow(/^holidays\[0\]\.name must be one line of 1–100 characters$/);
    }
    expect(() => new WorkingDayCalendar([null as unknown as Holiday])).toThrow(/holidays\[0\] must be an object/);
    expect(() => new WorkingDayCalendar([], { coveredYears: { from: 2027, to: 2026 } })).toThrow(/coveredYears/);
  });

  it('refuses dates outside the covered years instead of miscounting them', () => {
    const covered = new WorkingDayCalendar(holidays, { coveredYears: { from: 2025, to: 2029 } });
    expect(covered.addWorkingDays(d('2029-12-21'), 4)).toBe('2029-12-31');
    expect(() => covered.addWorkingDays(d('2029-12-21'), 5)).toThrow(CalendarCoverageError);
    expect(() => covered.holidaysIn(2030)).toThrow(
      /year 2030 is outside the holiday data this calendar covers \(2025–2029\)/,
    );
    expect(() => covered.previousWorkingDay(d('2025-01-01'))).toThrow(CalendarCoverageError);
  });

  it('rejects a year that is not a whole year', () => {
    expect(() => calendar.holidaysIn(2026.5)).toThrow(/year: must be a whole year/);
  });
});
