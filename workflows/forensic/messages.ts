/**
 * The forensic-wait child workflow's contract (workflow id `${caseReference}-forensic`, started by the case
 * when devices are seized or bail is granted). Node-free.
 *
 * Design: the child plans the `forensic` track of the case's timeline itself (same planner, policy and
 * calendar), from the referral and the events the case forwards (`caseMessage` signal over the case's channel: one
 * event, or the whole list after a correction: the police's events — seizures, bail, release under investigation,
 * forensic updates and results, the police's decision — reassignments, extensions/not-required marks, closure). It sends the police-update reminders (to the assigned
 * practitioner, who asks the police liaison officer — the policy's recipient roles have no police role) and the
 * reminders before each bail end date. It keeps the outcome of each in its own log (`forensicLog` query; readers
 * merge it with the case log). It ends when the police decide (charge or no further action) — the case's
 * closure does not end it; the case, not the child, replans after serious results (§2.18: a new enquiry). It
 * never holds back the child-protection steps (§2.17): those stay with the case's own loop.
 */
import { defineQuery } from '@temporalio/workflow';
import type { CalendarData } from '../../domain/calendar';
import type { CaseEvent, Referral } from '../../domain/case';
import type { ProcedurePolicy } from '../../domain/policy';
import type { Timeline, TimelineStep } from '../../domain/planner';
import type { CaseLogEntry, RunLimits } from '../case/messages';
import type { CarriedForensicState, ForensicOutcome } from '../../domain/case-process';

export type { CarriedForensicState } from '../../domain/case-process';

/** Input of `forensicWaitWorkflow`. */
export interface ForensicWaitInput {
  readonly referral: Referral;
  readonly policy: ProcedurePolicy;
  readonly calendar: CalendarData;
  /** The case's events that concern the wait, as of the start (or of the continue-as-new). */
  readonly events: readonly CaseEvent[];
  readonly frozen?: Timeline;
  readonly limits?: RunLimits;
  readonly carried?: CarriedForensicState;
  /** The key of the case's channel: messages without it are dropped (domain/case-process/child-channel). */
  readonly channel: string;
}

/** What the forensic wait returns. */
export type ForensicWaitResult = ForensicOutcome;

/** The forensic track's open steps (police updates, bail milestones) today. */
export const forensicStepsQuery = defineQuery<TimelineStep[]>('forensicSteps');
/**
 * The forensic wait's own lines for the case log, chronological: each reminder sent (or failed). Lines are
 * written as the case would log them (`forensic: …`), so a reader merges them with the case's `caseLog` by time.
 */
export const forensicLogQuery = defineQuery<CaseLogEntry[]>('forensicLog');
