/**
 * Property tests: the calendar's indexed arithmetic against a naive day-by-day reference (written with the
 * platform's UTC dates, independent of the code under test), on the real holidays and on random dense ones.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadHolidays } from '../../../config/holidays';
import { type Holiday, type IsoDate, WorkingDayCalendar } from '../../../domain/calendar';

const DAY_MS = 86_400_000;
const FIRST = Date.UTC(2020, 0, 1) / DAY_MS;
const LAST = Date.UTC(2036, 11, 31) / DAY_MS;

const isoOf = (epochDay: number): IsoDate => new Date(epochDay * DAY_MS).toISOString().slice(0, 10) as IsoDate;
const epochOf = (date: IsoDate): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/** Working-day arithmetic by walking one day at a time. */
class NaiveCalendar {
  readonly #off: Set<string>;
  constructor(holidays: readonly Holiday[]) {
    this.#off = new Set(holidays.map((h) => h.date));
  }
  isWorkingDay(date: IsoDate): boolean {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6 && !this.#off.has(date);
  }
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    let day = epochOf(date);
    for (let left = n; left > 0;) {
      day += 1;
      if (this.isWorkingDay(isoOf(day))) left -= 1;
    }
    return isoOf(day);
  }
  previousWorkingDay(date: IsoDate): IsoDate {
    let day = epochOf(date) - 1;
    while (!this.isWorkingDay(isoOf(day))) day -= 1;
    return isoOf(day);
  }
}

const realHolidays = loadHolidays({ fromYear: 2019, toYear: 2040 });
const real = new WorkingDayCalendar(realHolidays);
const realNaive = new NaiveCalendar(realHolidays);

const anchor = fc.integer({ min: FIRST, max: LAST }).map(isoOf);
const count = fc.integer({ min: 0, max: 300 });

/** Random holiday sets, including long runs of consecutive holidays, within 2020–2036. */
const holidaySet = fc
  .array(fc.tuple(fc.integer({ min: FIRST, max: LAST }), fc.integer({ min: 1, max: 12 })), { maxLength: 60 })
  .map((runs) =>
    runs.flatMap(([start, length]) =>
      Array.from({ length }, (_, i) => ({ date: isoOf(start + i), name: 'Holiday', source: 'random' })),
    ),
  );

describe('addWorkingDays agrees with a day-by-day count', () => {
  it('on the real England & Wales holidays', () => {
    fc.assert(
      fc.property(anchor, count, (a, n) => {
        expect(real.addWorkingDays(a, n)).toBe(realNaive.addWorkingDays(a, n));
      }),
      { numRuns: 500 },
    );
  });

  it('on random, dense holiday sets (runs of up to 12 consecutive days)', () => {
    fc.assert(
      fc.property(holidaySet, anchor, fc.integer({ min: 0, max: 120 }), (holidays, a, n) => {
        const calendar = new WorkingDayCalendar(holidays);
        const naive = new NaiveCalendar(holidays);
        expect(calendar.addWorkingDays(a, n)).toBe(naive.addWorkingDays(a, n));
        expect(calendar.previousWorkingDay(a)).toBe(naive.previousWorkingDay(a));
        expect(calendar.isWorkingDay(a)).toBe(naive.isWorkingDay(a));
      }),
      { numRuns: 300 },
    );
  });
});

describe('laws of working-day arithmetic (anchor is day 0)', () => {
  it('never lands on a non-working day (n ≥ 1)', () => {
    fc.assert(
      fc.property(anchor, fc.integer({ min: 1, max: 2000 }), (a, n) => {
        expect(real.isWorkingDay(real.addWorkingDays(a, n))).toBe(true);
      }),
    );
  });

  it('is strictly increasing in n', () => {
    fc.assert(
      fc.property(anchor, count, count, (a, m, n) => {
        fc.pre(m !== n);
        const [small, large] = m < n ? [m, n] : [n, m];
        expect(real.addWorkingDays(a, small) < real.addWorkingDays(a, large)).toBe(true);
      }),
    );
  });

  it('is monotonic in the anchor', () => {
    fc.assert(
      fc.property(anchor, anchor, count, (a, b, n) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(real.addWorkingDays(early, n) <= real.addWorkingDays(late, n)).toBe(true);
      }),
    );
  });

  it('composes: add(add(a, m), n) = add(a, m + n)', () => {
    fc.assert(
      fc.property(anchor, fc.integer({ min: 1, max: 300 }), count, (a, m, n) => {
        expect(real.addWorkingDays(real.addWorkingDays(a, m), n)).toBe(real.addWorkingDays(a, m + n));
      }),
    );
  });

  it('is inverted by workingDaysBetween', () => {
    fc.assert(
      fc.property(anchor, fc.integer({ min: 0, max: 5000 }), (a, n) => {
        expect(real.workingDaysBetween(a, real.addWorkingDays(a, n))).toBe(n);
      }),
    );
  });

  it("'anchor-is-day-1' is one working day earlier exactly when the anchor is a working day", () => {
    fc.assert(
      fc.property(anchor, fc.integer({ min: 1, max: 300 }), (a, n) => {
        const day1 = real.addWorkingDays(a, n, 'anchor-is-day-1');
        const day0 = real.addWorkingDays(a, n);
        expect(day1).toBe(real.isWorkingDay(a) ? real.addWorkingDays(a, n - 1) : day0);
      }),
    );
  });

  it('addCalendarMonths lands on a working day on or before the clamped same-day date', () => {
    fc.assert(
      fc.property(anchor, fc.integer({ min: 0, max: 24 }), (a, n) => {
        const due = real.addCalendarMonths(a, n);
        expect(real.isWorkingDay(due)).toBe(true);
        const [y, m, dd] = a.split('-').map(Number);
        const target = new Date(Date.UTC(y, m - 1 + n, 1));
        const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
        const clamped = isoOf(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(dd, lastDay)) / DAY_MS);
        expect(due <= clamped).toBe(true);
        expect(due === clamped || real.workingDaysBetween(due, clamped) === 0).toBe(true);
      }),
    );
  });
});
