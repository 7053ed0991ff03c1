/**
 * The holidays a case needs as it runs on: a case's calendar grows with it, a few years at a time, so a case
 * that runs for many years keeps planning. Reads the bank-holiday snapshot and rules (config/holidays).
 */
import type { Holiday } from '../domain/calendar';
import { loadHolidays } from '../config/holidays';

/** Input of `loadHolidayYears`. */
export interface LoadHolidayYearsInput {
  readonly fromYear: number;
  readonly toYear: number;
}

/** The holiday activities. */
export interface HolidayActivities {
  /** England & Wales holidays of `fromYear`…`toYear` (gov.uk snapshot years, then by rule). */
  loadHolidayYears(input: LoadHolidayYearsInput): Promise<Holiday[]>;
}

/** What the holiday activities need: the gov.uk snapshot to read (default the committed one). */
export interface HolidayActivityDeps {
  readonly bankHolidaySnapshotPath?: string;
}

/** Creates the holiday activities. */
export function createHolidayActivities(deps: HolidayActivityDeps = {}): HolidayActivities {
  return {
    loadHolidayYears: (input) =>
      Promise.resolve(
        loadHolidays({
          fromYear: input.fromYear,
          toYear: input.toYear,
          ...(deps.bankHolidaySnapshotPath === undefined ? {} : { snapshotPath: deps.bankHolidaySnapshotPath }),
        }),
      ),
  };
}
