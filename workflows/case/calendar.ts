/**
 * Growing a case's calendar: when the case asks for more years of holidays (`Decision.calendarWanted`), one
 * activity loads them and the case applies them as an `extend-calendar` command. The activity is retried until it
 * answers; the case goes on planning with the years it has meanwhile.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { CpflowActivities } from '../../activities';
import type { CaseCommand, YearRange } from '../../domain/case-process';

const { loadHolidayYears } = proxyActivities<CpflowActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

/** Loads the years the case asked for and returns the command that adds them. */
export async function calendarGrowth(range: YearRange): Promise<CaseCommand> {
  const holidays = await loadHolidayYears(range);
  return { type: 'extend-calendar', toYear: range.toYear, holidays };
}
