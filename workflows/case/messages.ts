/**
 * The contract of the case workflow: its input, the
 * updates that record commands, the queries that read the case, and the types they carry. Node-free (the CLI
 * and the workflow both import it). Extended only, never renamed.
 *
 * - Workflow type `caseWorkflow`, workflow id = the pseudonymous case reference (e.g. `CP-2026-000123`),
 *   task queue `CPFLOW_TASK_QUEUE` (workflows/task-queue.ts).
 * - A refused update throws an `ApplicationFailure` of type `CommandRefused` whose details hold the structured
 *   refusals (field, rule, section) and whose message says them in words; nothing changes.
 * - Instants (`at`, `acceptedAt`) are ISO-8601 UTC timestamps of **workflow time**; dates are `YYYY-MM-DD`
 *   civil dates in the UK (Europe/London).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CalendarData, Holiday } from '../../domain/calendar';
import type { CaseEvent, Referral } from '../../domain/case';
import type {
  AuditEntry,
  CaseLogEntry,
  CaseState,
  CaseStatus,
  ChildReportEnvelope,
  CommandReceipt,
  EventCorrection,
} from '../../domain/case-process';
import type { ProcedurePolicy } from '../../domain/policy';
import type { Timeline, TimelineStep } from '../../domain/planner';

export {
  type AuditEntry,
  CASE_LOG_KINDS,
  CASE_STAGES,
  type CaseLogEntry,
  type CaseLogKind,
  type CaseResult,
  type CaseStage,
  type CaseStatus,
  type ChildReport,
  type CommandReceipt,
  type DueDateChange,
  SYSTEM_ACTOR,
} from '../../domain/case-process';

/** Name of the case workflow type (the exported function `caseWorkflow`). */
export const CASE_WORKFLOW_TYPE = 'caseWorkflow';

/** `ApplicationFailure.type` of a refused command; its details hold the structured refusals (`Refusal[]`). */
export const COMMAND_REFUSED = 'CommandRefused';

/** `ApplicationFailure.type` with which a case whose opening input is refused fails (details: `Refusal[]`). */
export const CASE_OPENING_REFUSED = 'CaseOpeningRefused';

/** Argument of {@link applyHolidaysUpdate}: newly announced holidays (merged into the case's calendar). */
export interface ApplyHolidaysCommand {
  readonly holidays: readonly Holiday[];
  /** Staff id of who applied them (default the system actor). */
  readonly appliedBy?: string;
}

/** Limits of one run of a case (or forensic-wait) workflow. */
export interface RunLimits {
  /**
   * Continue-as-new once the run's history has this many events (default
   * {@link DEFAULT_HISTORY_LENGTH_LIMIT}), or earlier when the server suggests it.
   */
  readonly historyLength?: number;
}

/** Default history length after which a case or forensic-wait run continues as new. */
export const DEFAULT_HISTORY_LENGTH_LIMIT = 2000;

/** Input of `caseWorkflow`. The client loads policy and holidays and passes them in (replay-safe). */
export interface CaseWorkflowInput {
  readonly referral: Referral;
  readonly policy: ProcedurePolicy;
  readonly calendar: CalendarData;
  readonly limits?: RunLimits;
  /** Set only by continue-as-new: the case as the previous run left it. Refused on a first run. */
  readonly carried?: CaseState;
  /** Set only by continue-as-new: the key of the channel to the case's children. Refused on a first run. */
  readonly channel?: string;
}

/** Workflow id of a case: its pseudonymous reference. */
export function caseWorkflowId(caseReference: string): string {
  return caseReference;
}
/** Workflow id of the case's LADO child workflow. */
export function ladoWorkflowId(caseReference: string): string {
  return `${caseReference}-lado`;
}
/** Workflow id of the case's forensic-wait child workflow. */
export function forensicWorkflowId(caseReference: string): string {
  return `${caseReference}-forensic`;
}

/** Records one practitioner event (incl. reassignment, not-required, extension, closure). Validated. */
export const recordEventUpdate = defineUpdate<CommandReceipt, [CaseEvent]>('recordEvent');
/**
 * Corrects a recorded event: amends it (same type) or withdraws it, with a reason; the original stays in the audit
 * trail. Validated: refused when a later event would no longer make sense.
 */
export const correctEventUpdate = defineUpdate<CommandReceipt, [EventCorrection]>('correctEvent');
/** Applies newly announced holidays: only deadlines still to come move. Validated. */
export const applyHolidaysUpdate = defineUpdate<CommandReceipt, [ApplyHolidaysCommand]>('applyHolidays');

/** Reports from the case's child workflows over the case's channel (signal; dropped from anyone else). */
export const childReportSignal = defineSignal<[ChildReportEnvelope]>('childReport');

/**
 * The day a read is answered for: a query's optional `asOf` (the caller's date in England, `YYYY-MM-DD`). A case
 * only learns the date when it wakes, and it no longer wakes at midnight (overdue is read from due dates), so a
 * reader passes its own date; the case answers as of the later of that date and its own.
 */
export type AsOf = [asOf?: string];

/** The case's timeline today or as of `asOf` (recomputed by the planner, never stored). */
export const timelineQuery = defineQuery<Timeline, AsOf>('timeline');
/** Open steps (due, overdue or waiting on an earlier step), by due date. */
export const openStepsQuery = defineQuery<TimelineStep[], AsOf>('openSteps');
/** Overdue steps, most overdue first. */
export const overdueStepsQuery = defineQuery<TimelineStep[], AsOf>('overdueSteps');
/** Who recorded what, and when (workflow time). */
export const auditTrailQuery = defineQuery<AuditEntry[]>('auditTrail');
/** The chronological case log. */
export const caseLogQuery = defineQuery<CaseLogEntry[]>('caseLog');
/** Stage, assignment, next step and overdue steps in one read. */
export const caseStatusQuery = defineQuery<CaseStatus, AsOf>('caseStatus');

/** Everything a case page shows, in one read: each query is a round trip through the server and the worker. */
export interface CaseReading {
  readonly status: CaseStatus;
  readonly timeline: Timeline;
  readonly audit: readonly AuditEntry[];
}
/** Status, timeline and audit trail in one read. */
export const caseReadingQuery = defineQuery<CaseReading, AsOf>('caseReading');
