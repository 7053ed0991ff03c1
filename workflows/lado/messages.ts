/**
 * The LADO child workflow's contract (workflow id `${caseReference}-lado`, started by the case). Node-free.
 *
 * Interplay with the case (design):
 * - the case starts it the moment it learns (referral flags, §2.6 answer, §2.18 item) that the alleged person
 *   works or volunteers with children or holds a position of trust (`ladoTrigger_2_6_2_18`);
 * - the case forwards the events that concern it — `lado-referral-sent` (sent by hand),
 *   `lado-referral-acknowledged`, `lado-outcome`, `case-closed` — with the `caseEvent` signal;
 * - it reports back with the case's `childReport` signal: the referral email sent (the case then records
 *   `lado-referral-sent` as the system actor, completing the `lado-referral` step), each chase, the outcome.
 */
import { defineQuery } from '@temporalio/workflow';
import type { CalendarData, IsoDate } from '../../domain/calendar';

/** Input of `ladoWorkflow`. */
export interface LadoWorkflowInput {
  readonly caseReference: string;
  /** Date the case learned of the work with children / position of trust. */
  readonly knownOn: IsoDate;
  /** Due date of the `lado-referral` step (the policy's deadline, e.g. 1 working day). */
  readonly dueDate: IsoDate;
  /** Title of the `lado-referral` step (for the email). */
  readonly stepTitle: string;
  /** Set when the referral was already recorded as sent before the child started. */
  readonly referralSentOn?: IsoDate;
  /**
   * Acknowledgement chase, from the policy: the acknowledgement is expected `ackWithinWorkingDays` after the
   * referral is sent (the `lado-referral` step's own working-day offset); the LADO is chased that many working
   * days after that date for each entry of `chaseAfterWorkingDays` (the policy's escalation chain offsets).
   */
  readonly chase: { readonly ackWithinWorkingDays: number; readonly chaseAfterWorkingDays: readonly number[] };
  readonly calendar: CalendarData;
}

/** Where the LADO referral stands. */
export interface LadoStatus {
  readonly referralSentOn?: IsoDate;
  readonly acknowledgementDue?: IsoDate;
  readonly acknowledgedOn?: IsoDate;
  readonly outcome?: string;
  readonly chasesSent: number;
}

/** What the LADO workflow returns. */
export interface LadoResult extends LadoStatus {
  readonly endedBy: 'outcome' | 'case-closed';
}

/** The LADO referral's status. */
export const ladoStatusQuery = defineQuery<LadoStatus>('ladoStatus');

/** Step id and title of the acknowledgement chase emails. */
export const LADO_ACK_STEP = {
  id: 'lado-acknowledgement',
  title: 'Acknowledgement of the referral to the LADO',
} as const;
