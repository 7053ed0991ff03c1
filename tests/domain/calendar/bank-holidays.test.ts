import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidBankHolidayFeedError, parseBankHolidayDivision, yearsCovered } from '../../../config/bank-holiday-feed';
import {
  BankHolidaySnapshotError,
  DEFAULT_SNAPSHOT_PATH,
  readSnapshot,
  snapshotSourceLabel,
} from '../../../config/bank-holiday-snapshot';
import { InvalidYearRangeError, loadCalendarData, loadHolidays } from '../../../config/holidays';
import { DATE_HOLIDAYS_SOURCE, ruleBasedHolidays } from '../../../config/rule-based-holidays';
import {
  CalendarCoverageError,
  fromEpochDay,
  parseIsoDate,
  toEpochDay,
  WorkingDayCalendar,
} from '../../../domain/calendar';
import { EXPECTED_BANK_HOLIDAYS, WEEKDAYS_IN_YEAR } from './expected-bank-holidays';

const YEARS = [2025, 2026, 2027, 2028, 2029];

describe('England & Wales bank holidays 2025–2029', () => {
  const holidays = loadHolidays({ fromYear: 2025, toYear: 2029 });
  const calendar = new WorkingDayCalendar(holidays);

  it.each(YEARS)('lists exactly the published days off in %i', (year) => {
    expect(calendar.holidaysIn(year).map((h) => h.date)).toEqual(EXPECTED_BANK_HOLIDAYS[year]);
  });

  it.each(YEARS)('makes every other weekday of %i a working day', (year) => {
    const off = new Set(EXPECTED_BANK_HOLIDAYS[year]);
    const first = toEpochDay(parseIsoDate(`${year}-01-01`, 'first'));
    const last = toEpochDay(parseIsoDate(`${year}-12-31`, 'last'));
    let working = 0;
    for (let day = first; day <= last; day += 1) {
      const date = fromEpochDay(day);
      const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
      const expected = weekday !== 0 && weekday !== 6 && !off.has(date);
      expect(calendar.isWorkingDay(date), date).toBe(expected);
      if (expected) working += 1;
    }
    expect(working).toBe(WEEKDAYS_IN_YEAR[year] - 8);
  });

  it('names the substitute days', () => {
    const byDate = new Map(holidays.map((h) => [h.date as string, h.name]));
    expect(byDate.get('2026-12-28')).toMatch(/Boxing Day.*substitute/i);
    expect(byDate.get('2027-12-27')).toMatch(/Christmas Day.*substitute/i);
    expect(byDate.get('2027-12-28')).toMatch(/Boxing Day.*substitute/i);
    expect(byDate.get('2028-01-03')).toMatch(/New Year.*substitute/i);
  });
});

describe('loadHolidays', () => {
  it('takes snapshot years from the snapshot (labelled by its provenance) and the rest from date-holidays', () => {
    const snapshotYears = yearsCovered(readSnapshot());
    const label = snapshotSourceLabel();
    const holidays = loadHolidays({ fromYear: 2020, toYear: 2032 });
    for (const h of holidays) {
      const year = Number(h.date.slice(0, 4));
      expect(h.source, h.date).toBe(snapshotYears.includes(year) ? label : DATE_HOLIDAYS_SOURCE);
    }
    expect(new Set(holidays.map((h) => Number(h.date.slice(0, 4))))).toEqual(
      new Set([2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031, 2032]),
    );
    expect(holidays.map((h) => h.date)).toEqual([...holidays.map((h) => h.date)].sort());
  });

  it('lets the snapshot override the rules for a year it covers (a one-off holiday is kept)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpflow-holidays-'));
    const snapshotPath = join(dir, 'england-and-wales.json');
    const snapshot = JSON.parse(readFileSync(DEFAULT_SNAPSHOT_PATH, 'utf8')) as { events: unknown[] };
    snapshot.events.push({ title: 'Bank holiday for a state occasion', date: '2026-06-08', notes: '', bunting: true });
    writeFileSync(snapshotPath, JSON.stringify(snapshot));
    const dates = loadHolidays({ fromYear: 2026, toYear: 2026, snapshotPath }).map((h) => h.date);
    expect(dates).toContain('2026-06-08');
    expect(ruleBasedHolidays(2026).map((h) => h.date)).not.toContain('2026-06-08');
  });

  it('leaves out observances and weekend dates from the rule-based years', () => {
    const names = ruleBasedHolidays(2030).map((h) => h.name);
    expect(names.some((n) => /mother|father|halloween|valentine/i.test(n))).toBe(false);
    // 2028: 1 January is a Saturday; only the Monday substitute is a day off.
    expect(ruleBasedHolidays(2028).map((h) => h.date)).not.toContain('2028-01-01');
  });

  it('agrees with date-holidays for every year the snapshot covers', () => {
    for (const year of yearsCovered(readSnapshot())) {
      expect(
        loadHolidays({ fromYear: year, toYear: year }).map((h) => h.date),
        String(year),
      ).toEqual(ruleBasedHolidays(year).map((h) => h.date));
    }
  });

  it('rejects a bad year range', () => {
    expect(() => loadHolidays({ fromYear: 2027, toYear: 2026 })).toThrow(InvalidYearRangeError);
    expect(() => loadHolidays({ fromYear: 2026.5, toYear: 2027 })).toThrow(/whole years/);
    expect(() => loadHolidays({ fromYear: 2000, toYear: 2300 })).toThrow(/at most 200 years/);
  });

  it('gives calendar data whose coverage refuses dates outside the loaded years', () => {
    const calendar = WorkingDayCalendar.fromData(loadCalendarData({ fromYear: 2026, toYear: 2027 }));
    expect(calendar.addWorkingDays(parseIsoDate('2027-12-24', 'd'), 1)).toBe('2027-12-29');
    expect(() => calendar.addWorkingDays(parseIsoDate('2027-12-24', 'd'), 10)).toThrow(CalendarCoverageError);
    expect(() => calendar.isWorkingDay(parseIsoDate('2025-06-02', 'd'))).toThrow(/year 2025 is outside/);
  });

  it('survives a JSON round trip (the shape an activity returns to a workflow)', () => {
    const data = loadCalendarData({ fromYear: 2026, toYear: 2028 });
    const restored = WorkingDayCalendar.fromData(JSON.parse(JSON.stringify(data)));
    expect(restored.toData()).toEqual(WorkingDayCalendar.fromData(data).toData());
    expect(restored.addWorkingDays(parseIsoDate('2026-08-29', 'd'), 1)).toBe('2026-09-01');
  });
});

describe('the committed snapshot', () => {
  it('keeps the feed shape and passes validation', () => {
    const raw = JSON.parse(readFileSync(DEFAULT_SNAPSHOT_PATH, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(raw)).toEqual(['division', 'events']);
    expect(raw.division).toBe('england-and-wales');
    const division = readSnapshot();
    for (const e of division.events) expect(Object.keys(e)).toEqual(['title', 'date', 'notes', 'bunting']);
    expect(yearsCovered(division)).toEqual([2024, 2025, 2026, 2027]);
  });

  it('has provenance saying where and when it was obtained, and labels its holidays by it', () => {
    const provenance = JSON.parse(
      readFileSync(DEFAULT_SNAPSHOT_PATH.replace(/\.json$/, '.provenance.json'), 'utf8'),
    ) as Record<string, unknown>;
    // Constructed offline until `cpflow calendar refresh` can reach gov.uk: it must not claim to be the feed.
    expect(provenance.sourceLabel).toBe('offline-snapshot');
    expect(String(provenance.source)).toMatch(/date-holidays/);
    expect(snapshotSourceLabel()).toBe('offline-snapshot');
    expect(Number.isNaN(Date.parse(String(provenance.obtainedAt)))).toBe(false);
    expect(provenance.coversYears).toEqual({ from: 2024, to: 2027 });
  });

  it('refuses a malformed snapshot with a named error', () => {
    expect(() => parseBankHolidayDivision({ division: 'scotland', events: [] })).toThrow(InvalidBankHolidayFeedError);
    expect(() =>
      parseBankHolidayDivision({
        division: 'england-and-wales',
        events: [{ title: 'Boxing Day', date: '2026-02-30', notes: '', bunting: true }],
      }),
    ).toThrow(/events\.0\.date: date must be a real date/);
    expect(() => readSnapshot(join(tmpdir(), 'no-such-snapshot.json'))).toThrow(BankHolidaySnapshotError);
  });
});
