import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonthsClamped,
  fromEpochDay,
  InvalidDateError,
  InvalidDayCountError,
  isIsoDate,
  parseEpochDay,
  parseIsoDate,
  toEpochDay,
  weekdayOf,
} from '../../../domain/calendar';
import { thrownBy } from '../../support/thrown';

const d = (value: string) => parseIsoDate(value, 'test');

describe('parseIsoDate', () => {
  it('accepts real dates, including 29 February in a leap year', () => {
    expect(parseIsoDate('2026-08-29', 'referralDate')).toBe('2026-08-29');
    expect(parseIsoDate('2028-02-29', 'referralDate')).toBe('2028-02-29');
    expect(parseIsoDate('2000-02-29', 'referralDate')).toBe('2000-02-29');
  });

  it.each([
    ['2026-02-30', /referralDate: day must be between 01 and 28 \(February 2026 has 28 days\)/],
    ['2027-02-29', /February 2027 has 28 days/],
    ['1900-02-29', /February 1900 has 28 days/],
    ['2026-04-31', /April 2026 has 30 days/],
    ['2026-13-01', /referralDate: month must be between 01 and 12/],
    ['2026-00-10', /month must be between 01 and 12/],
    ['2026-01-00', /day must be between 01 and 31/],
    ['0000-01-01', /year must be between 0001 and 9999/],
    ['2026-8-29', /must be a date in the form YYYY-MM-DD/],
    ['29/08/2026', /must be a date in the form YYYY-MM-DD/],
    ['2026-08-29T00:00:00Z', /must be a date in the form YYYY-MM-DD/],
    ['', /must be a date in the form YYYY-MM-DD/],
  ])('rejects %j with InvalidDateError naming the field and the rule', (value, message) => {
    expect(() => parseIsoDate(value, 'referralDate')).toThrow(InvalidDateError);
    expect(() => parseIsoDate(value, 'referralDate')).toThrow(message);
  });

  it('rejects non-strings and keeps the field on the error', () => {
    for (const value of [20260829, null, undefined, new Date(0), { date: '2026-08-29' }]) {
      expect(() => parseIsoDate(value, 'icpcDate')).toThrow(/icpcDate: must be a date string/);
    }
    const error = thrownBy(InvalidDateError, () => parseIsoDate('2026-02-30', 'icpcDate'));
    expect(error.field).toBe('icpcDate');
    expect(error.name).toBe('InvalidDateError');
    expect(error.message).not.toContain('2026-02-30');
  });

  it('agrees with the platform calendar on which strings are real dates', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2200 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, day) => {
          const text = `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const utc = new Date(Date.UTC(y, m - 1, day));
          const real = m >= 1 && m <= 12 && day >= 1 && utc.getUTCMonth() === m - 1 && utc.getUTCDate() === day;
          expect(isIsoDate(text)).toBe(real);
        },
      ),
    );
  });
});

describe('parseEpochDay (the fast path)', () => {
  it('accepts exactly what parseIsoDate accepts, with the same error', () => {
    const digitsOrNot = fc.constantFrom(...'0123456789x-/ '.split(''));
    const candidate = fc.oneof(
      fc
        .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
        .map(
          ([y, m, day]) =>
            `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        ),
      fc.array(digitsOrNot, { minLength: 8, maxLength: 12 }).map((chars) => chars.join('')),
    );
    fc.assert(
      fc.property(candidate, (text) => {
        let expected: number | string;
        try {
          expected = toEpochDay(parseIsoDate(text, 'f'));
        } catch (err) {
          expected = (err as Error).message;
        }
        let actual: number | string;
        try {
          actual = parseEpochDay(text, 'f');
        } catch (err) {
          actual = (err as Error).message;
        }
        expect(actual).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('epoch days', () => {
  it('numbers days from 1970-01-01 and agrees with the platform calendar', () => {
    expect(toEpochDay(d('1970-01-01'))).toBe(0);
    expect(toEpochDay(d('2026-08-29'))).toBe(Date.UTC(2026, 7, 29) / 86_400_000);
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (epochDay) => {
        const expected = new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
        expect(fromEpochDay(epochDay)).toBe(expected);
        expect(toEpochDay(fromEpochDay(epochDay))).toBe(epochDay);
      }),
    );
  });

  it('knows the weekday (1 = Monday … 7 = Sunday)', () => {
    expect(weekdayOf(d('2026-08-29'))).toBe(6);
    expect(weekdayOf(d('2026-08-31'))).toBe(1);
    expect(weekdayOf(d('1970-01-01'))).toBe(4);
    expect(weekdayOf(d('1969-12-28'))).toBe(7);
  });
});

describe('addMonthsClamped', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2027-08-31', 6, '2028-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-11-15', 3, '2027-02-15'],
    ['2028-02-29', 12, '2029-02-28'],
    ['2026-05-10', 0, '2026-05-10'],
  ])('%s + %i months = %s', (from, n, expected) => {
    expect(addMonthsClamped(d(from), n)).toBe(expected);
  });

  it('rejects negative or fractional month counts', () => {
    expect(() => addMonthsClamped(d('2026-01-31'), -1)).toThrow(InvalidDayCountError);
    expect(() => addMonthsClamped(d('2026-01-31'), 1.5)).toThrow(/months: must be a whole number, zero or more/);
  });
});
