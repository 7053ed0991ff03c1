/**
 * Working-day calendar benchmark: operations per second of the calendar's arithmetic on England & Wales
 * holidays 2000–2100 (snapshot + date-holidays). Target: addWorkingDays ≥ 1,000,000 ops/s.
 * Run: `npx tsx bench/calendar.bench.ts`.
 */
import { performance } from 'node:perf_hooks';
import { loadHolidays } from '../config/holidays';
import { fromEpochDay, type IsoDate, parseIsoDate, toEpochDay, WorkingDayCalendar } from '../domain/calendar';
import { seededRandom } from './support/random';

/** One measured operation. */
export interface CalendarBenchResult {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly nsPerOp: number;
}

const TARGET_OPS_PER_SECOND = 1_000_000;

/** Runs `op(i)` for about `ms` milliseconds after a warm-up and returns the best of three rounds. */
function measure(name: string, op: (i: number) => unknown, ms = 400): CalendarBenchResult {
  let sink = 0;
  for (let i = 0; i < 50_000; i += 1) sink ^= op(i) === undefined ? 0 : 1;
  let best = 0;
  for (let round = 0; round < 3; round += 1) {
    let ops = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < ms) {
      for (let i = 0; i < 10_000; i += 1) sink ^= op(ops + i) === undefined ? 0 : 1;
      ops += 10_000;
      elapsed = performance.now() - start;
    }
    best = Math.max(best, (ops / elapsed) * 1000);
  }
  if (sink === 42) process.stdout.write(''); // keep the results alive
  return { name, opsPerSecond: best, nsPerOp: 1e9 / best };
}

/** Measures the calendar's operations and returns the numbers. */
export function runCalendarBenchmarks(): CalendarBenchResult[] {
  const loadStart = performance.now();
  const holidays = loadHolidays({ fromYear: 2000, toYear: 2100 });
  const loadMs = performance.now() - loadStart;
  const buildStart = performance.now();
  const calendar = new WorkingDayCalendar(holidays);
  const buildMs = performance.now() - buildStart;

  const next = seededRandom(20260829);
  const first = toEpochDay(parseIsoDate('2020-01-01', 'first'));
  const SIZE = 4096;
  const anchors: IsoDate[] = Array.from({ length: SIZE }, () => fromEpochDay(first + Math.floor(next() * 365 * 20)));
  const small = Array.from({ length: SIZE }, () => 1 + Math.floor(next() * 45));
  const large = Array.from({ length: SIZE }, () => 1000 + Math.floor(next() * 9000));
  const months = Array.from({ length: SIZE }, () => Math.floor(next() * 24));
  const mask = SIZE - 1;

  const results = [
    measure('addWorkingDays, n = 1–45 (procedure deadlines)', (i) =>
      calendar.addWorkingDays(anchors[i & mask], small[i & mask]),
    ),
    measure('addWorkingDays, n = 1,000–10,000', (i) => calendar.addWorkingDays(anchors[i & mask], large[i & mask])),
    measure("addWorkingDays, n = 1–45, 'anchor-is-day-1'", (i) =>
      calendar.addWorkingDays(anchors[i & mask], small[i & mask], 'anchor-is-day-1'),
    ),
    measure('addCalendarMonths, n = 0–23', (i) => calendar.addCalendarMonths(anchors[i & mask], months[i & mask])),
    measure('workingDaysBetween', (i) => calendar.workingDaysBetween(anchors[i & mask], anchors[(i + 1) & mask])),
    measure('isWorkingDay', (i) => calendar.isWorkingDay(anchors[i & mask])),
  ];
  process.stdout.write(
    `Working-day calendar (${holidays.length} holidays 2000–2100; loading ${loadMs.toFixed(1)} ms, building ${buildMs.toFixed(2)} ms)\n`,
  );
  for (const r of results) {
    process.stdout.write(
      `  ${r.name.padEnd(48)} ${Math.round(r.opsPerSecond).toLocaleString('en-GB').padStart(12)} ops/s  ${r.nsPerOp.toFixed(0).padStart(5)} ns/op\n`,
    );
  }
  const headline = results[0].opsPerSecond;
  process.stdout.write(
    `Target addWorkingDays ≥ ${TARGET_OPS_PER_SECOND.toLocaleString('en-GB')} ops/s: ${headline >= TARGET_OPS_PER_SECOND ? 'met' : 'NOT met'}\n`,
  );
  return results;
}

if (require.main === module) {
  runCalendarBenchmarks();
}
