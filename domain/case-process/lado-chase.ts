/**
 * The LADO referral's acknowledgement and its chasing (§2.6, §2.18): when the acknowledgement is due, and on
 * which dates the LADO mailbox is chased while it has not come — decided here, carried out by the LADO workflow.
 */
import type { IsoDate, WorkingDayCalendar } from '../calendar';
import type { LadoStart } from './decide';

/** One chase of the LADO mailbox: the date it goes out and the acknowledgement due date it is about. */
export interface LadoChase {
  readonly on: IsoDate;
  readonly acknowledgementDue: IsoDate;
}

/** When the acknowledgement of a referral sent on `sentOn` is due. */
export function ladoAcknowledgementDue(start: LadoStart, sentOn: IsoDate, calendar: WorkingDayCalendar): IsoDate {
  return calendar.addWorkingDays(sentOn, start.chase.ackWithinWorkingDays);
}

/** The chases of a referral sent on `sentOn`, in date order, each the policy's working days after the due date. */
export function ladoChases(start: LadoStart, sentOn: IsoDate, calendar: WorkingDayCalendar): LadoChase[] {
  const acknowledgementDue = ladoAcknowledgementDue(start, sentOn, calendar);
  return start.chase.chaseAfterWorkingDays.map((days) => ({
    on: calendar.addWorkingDays(acknowledgementDue, days),
    acknowledgementDue,
  }));
}
