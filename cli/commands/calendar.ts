/**
 * `cpflow calendar …`: the working-day calendar for practitioners and operators.
 *   show YEAR [--json]             the year's England & Wales bank holidays, each with its source
 *   refresh [--url URL] [--out P]  download the gov.uk feed and update the snapshot (atomic; offline → error)
 *   add-working-days DATE N        the due date of "within N working days of DATE"
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  DEFAULT_WORKING_DAY_COUNTING,
  parseIsoDate,
  weekdayOf,
  WORKING_DAY_COUNTINGS,
  WorkingDayCalendar,
  type WorkingDayCounting,
  yearOf,
} from '../../domain/calendar';
import type { BankHolidayEvent } from '../../config/bank-holiday-feed';
import { DEFAULT_SNAPSHOT_PATH, GOV_UK_BANK_HOLIDAYS_URL } from '../../config/locations';

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** Parses a whole year argument. */
function parseYear(value: string): number {
  if (!/^\d{4}$/.test(value)) throw new InvalidArgumentError('YEAR must be a four-digit year, e.g. 2026.');
  return Number(value);
}

/** Parses a whole, non-negative number of working days. */
function parseWorkingDays(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('N must be a whole number of working days, zero or more.');
  return Number(value);
}

/** Parses a download time limit in milliseconds. */
function parseTimeout(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new InvalidArgumentError('--timeout must be a whole number of milliseconds, 1 or more.');
  }
  return Number(value);
}

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

function describeEvent(e: BankHolidayEvent): string {
  return `${e.date} ${e.title}${e.notes.trim() === '' ? '' : ` (${e.notes.trim()})`}`;
}

/** Registers the `calendar` command group on the cpflow program. */
export function registerCalendarCommands(program: Command): void {
  const calendar = program
    .command('calendar')
    .description('England & Wales working-day calendar: bank holidays and working-day arithmetic');

  calendar
    .command('show')
    .description("List a year's bank holidays with the source of each (gov.uk snapshot or date-holidays rules)")
    .argument('<year>', 'calendar year, e.g. 2026', parseYear)
    .option('--json', 'print JSON instead of a table')
    .option('--snapshot <path>', 'gov.uk snapshot file to read', DEFAULT_SNAPSHOT_PATH)
    .action(async (year: number, options: { json?: boolean; snapshot: string }) => {
      // The holiday loaders (and date-holidays' rules) load only for the commands that read holidays.
      const { loadHolidays } = await import('../../config/holidays');
      const holidays = loadHolidays({ fromYear: year, toYear: year, snapshotPath: options.snapshot });
      if (options.json === true) {
        write(JSON.stringify(holidays, null, 2));
        return;
      }
      write(`England & Wales bank holidays in ${year}:`);
      const width = Math.max(...holidays.map((h) => h.name.length));
      for (const h of holidays) {
        write(`  ${h.date}  ${WEEKDAY_NAMES[weekdayOf(h.date) - 1]}  ${h.name.padEnd(width)}  [${h.source}]`);
      }
    });

  calendar
    .command('refresh')
    .description('Download the gov.uk bank-holiday feed, validate it and update the snapshot atomically')
    .option('--url <url>', 'feed address', GOV_UK_BANK_HOLIDAYS_URL)
    .option('--out <path>', 'snapshot file to write', DEFAULT_SNAPSHOT_PATH)
    .option('--timeout <ms>', 'give up the download after this many milliseconds', parseTimeout, 15_000)
    .action(async (options: { url: string; out: string; timeout: number }) => {
      const { refreshSnapshot } = await import('../../config/bank-holiday-snapshot');
      const report = await refreshSnapshot({ url: options.url, snapshotPath: options.out, timeoutMs: options.timeout });
      const { added, removed, changed } = report.changes;
      write(
        `Downloaded ${report.eventCount} England & Wales bank holidays (${report.coversYears.from}–${report.coversYears.to}) from ${report.url}`,
      );
      if (!report.snapshotChanged) {
        write(`No change: ${report.snapshotPath} already matches the feed.`);
      } else {
        write(`Wrote ${report.snapshotPath}`);
        for (const e of added) write(`  added    ${describeEvent(e)}`);
        for (const e of removed) write(`  removed  ${describeEvent(e)}`);
        for (const c of changed) write(`  changed  ${describeEvent(c.before)} → ${describeEvent(c.after)}`);
      }
      write(`Provenance recorded in ${report.provenancePath}`);
    });

  calendar
    .command('add-working-days')
    .description('The due date of "within N working days of DATE" (England & Wales working days)')
    .argument('<date>', 'anchor date, YYYY-MM-DD (may be a weekend or bank holiday)')
    .argument('<n>', 'number of working days', parseWorkingDays)
    .addOption(
      new Option('--counting <convention>', 'whether the anchor is day 0 or (when a working day) day 1')
        .choices(WORKING_DAY_COUNTINGS)
        .default(DEFAULT_WORKING_DAY_COUNTING),
    )
    .option('--snapshot <path>', 'gov.uk snapshot file to read', DEFAULT_SNAPSHOT_PATH)
    .action(async (dateArg: string, n: number, options: { counting: WorkingDayCounting; snapshot: string }) => {
      const { loadCalendarData } = await import('../../config/holidays');
      const date = parseIsoDate(dateArg, 'DATE');
      const fromYear = yearOf(date);
      // About 250 working days a year; one spare year either side covers any rounding.
      const toYear = Math.min(9999, fromYear + Math.ceil(n / 240) + 1);
      const data = loadCalendarData({ fromYear, toYear, snapshotPath: options.snapshot });
      const due = WorkingDayCalendar.fromData(data).addWorkingDays(date, n, options.counting);
      write(`${due} (${WEEKDAY_NAMES[weekdayOf(due) - 1]})`);
    });
}
