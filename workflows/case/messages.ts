/**
 * The contract of the case workflow (see /work/notes/interfaces.md, "Case workflows"): its input, the
 * updates that record commands, the queries that read the case, and the types they carry. Node-free (the CLI
 * and the workflow both import it). Extended only, never renamed.
 *
 * - Workflow type `caseWorkflow`, workflow id = the pseudonymous case reference (e.g. `CP-2026-000123`),
 *   task queue `CPFLOW_TASK_QUEUE` (workflows/task-queue.ts).
 * - A refused update throws an `ApplicationFailure` of type {@link COMMAND_REFUSED} whose message names the
 *   field and the rule (e.g. `occurredOn: must not be in the future (case lifecycle)`); nothing changes.
 * - Instants (`at`, `acceptedAt`) are ISO-8601 UTC timestamps of **workflow time**; dates are `YYYY-MM-DD`
 *   civil dates in the UK (Europe/London).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CalendarData, Holiday, IsoDate } from '../../domain/calendar';
import type { CaseEvent, Referral } from '../../domain/case';
import type { ProcedurePolicy } from '../../domain/policy';
import type { Timeline, TimelineStep } from '../../domain/planner';

/** `ApplicationFailure.type` of a refused command. */
export const COMMAND_REFUSED = 'CommandRefused';

/** Name of the case workflow type (the exported function `caseWorkflow`). */
export const CASE_WORKFLOW_TYPE = 'caseWorkflow';

/**
 * Where a case stands in the procedure (search attribute `CpflowStage`), the furthest point reached:
 * - `referral`: received, no decision recorded yet;
 * - `strategy-discussion`: decided, awaiting the strategy discussion (§2.6);
 * - `section-47-enquiry`: strategy discussion held, S47 enquiry under way (interviews, partner first, §2.14–2.15);
 * - `assessment`: both interviews held, the assessment is being completed;
 * - `initial-conference`: assessment completed, awaiting the ICPC (§2.16);
 * - `child-protection-plan`: a plan is in force (core groups, visits, reviews);
 * - `closure`: nothing left but closing (no S47 enquiry, no ICPC needed, ICPC made no plan, or plan ended);
 * - `closed`: the case is closed.
 */
export const CASE_STAGES = [
  'referral',
  'strategy-discussion',
  'section-47-enquiry',
  'assessment',
  'initial-conference',
  'child-protection-plan',
  'closure',
  'closed',
] as const;
/** Where a case stands in the procedure. */
export type CaseStage = (typeof CASE_STAGES)[number];

/** One command recorded on the case, as the audit trail shows it. */
export interface AuditEntry {
  /** 1-based position in the trail. */
  readonly seq: number;
  /** When the workflow accepted it (workflow time, ISO instant). */
  readonly at: string;
  /** Staff id of who recorded it (`recordedBy`/`appliedBy`), or {@link SYSTEM_ACTOR} for cpflow itself. */
  readonly recordedBy: string;
  readonly command: 'recordEvent' | 'applyHolidays';
  /** The event recorded (recordEvent). */
  readonly event?: CaseEvent;
  /** The holidays applied (applyHolidays). */
  readonly holidays?: readonly Holiday[];
}

/** The actor id cpflow records its own events under (e.g. the LADO referral sent by the LADO child workflow). */
export const SYSTEM_ACTOR = 'sys-000';

/** Kinds of case log entry. */
export const CASE_LOG_KINDS = [
  'case-opened',
  'event-recorded',
  'stage-change',
  'reminder',
  'escalation',
  'email',
  'notification-failed',
  'lado-referral',
  'lado',
  'forensic',
  'rule-finding',
  'holidays-applied',
  'continued-as-new',
] as const;
/** Kind of case log entry. */
export type CaseLogKind = (typeof CASE_LOG_KINDS)[number];

/**
 * One line of the case log (what `cpflow simulate` prints): chronological, workflow time. `detail` is
 * procedural text only (step, dates, roles, staff ids) — never personal data.
 */
export interface CaseLogEntry {
  readonly at: string;
  readonly kind: CaseLogKind;
  readonly stepId?: string;
  readonly detail: string;
}

/** A due date that a command changed. */
export interface DueDateChange {
  readonly stepId: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
}

/** What an accepted command returns. */
export interface CommandReceipt {
  readonly caseReference: string;
  readonly command: 'recordEvent' | 'applyHolidays';
  /** Event type recorded, or `holidays`. */
  readonly recorded: string;
  /** Position of the command in the audit trail. */
  readonly auditSeq: number;
  /** Workflow time the command was accepted (ISO instant). */
  readonly acceptedAt: string;
  /** Stage after the command. */
  readonly stage: CaseStage;
  /** The open step due soonest after the command, if any. */
  readonly nextStep?: { readonly id: string; readonly dueDate: IsoDate };
  /** Steps (present before and after) whose due date the command changed. */
  readonly changedDueDates: readonly DueDateChange[];
}

/** Argument of {@link applyHolidaysUpdate}: newly announced holidays (merged into the case's calendar). */
export interface ApplyHolidaysCommand {
  readonly holidays: readonly Holiday[];
  /** Staff id of who applied them (default {@link SYSTEM_ACTOR}). */
  readonly appliedBy?: string;
}

/** A summary of the case for lists and status lines. */
export interface CaseStatus {
  readonly caseReference: string;
  readonly stage: CaseStage;
  readonly open: boolean;
  readonly teamId: string;
  readonly practitionerId: string;
  /** Today's date for the case (UK civil date of workflow time). */
  readonly today: IsoDate;
  readonly nextStep?: { readonly id: string; readonly dueDate: IsoDate };
  /** `stepId@dueDate`, most overdue first. */
  readonly overdue: readonly string[];
  readonly eventCount: number;
  /** Number of the run in the case's continue-as-new chain (1 for the first run). */
  readonly runNumber: number;
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

/** State carried from one run to the next by continue-as-new. */
export interface CarriedCaseState {
  readonly events: readonly CaseEvent[];
  readonly audit: readonly AuditEntry[];
  readonly log: readonly CaseLogEntry[];
  /** Notification ids already delivered (or given up on). */
  readonly sent: readonly string[];
  readonly stage: CaseStage;
  /** Due dates as they stood before, for the planner's `previous` mechanism after a holiday change. */
  readonly previousTimeline?: Timeline;
  /** Last UK civil date whose notifications have been handled. */
  readonly notifiedThrough?: IsoDate;
  readonly ladoStarted: boolean;
  readonly ladoDone: boolean;
  readonly forensicStarted: boolean;
  readonly forensicDone: boolean;
  readonly runNumber: number;
}

/** What a case workflow returns when the case is closed. */
export interface CaseResult {
  readonly caseReference: string;
  readonly closedOn: IsoDate;
  readonly reason: string;
  /** Runs in the continue-as-new chain, this one included. */
  readonly runs: number;
}

/**
 * What a child workflow (LADO, forensic wait) reports to its case, as a signal: a line for the case log and,
 * for the LADO referral email, the date it was sent (the case then records `lado-referral-sent` as
 * {@link SYSTEM_ACTOR}).
 */
export interface ChildReport {
  readonly from: 'lado' | 'forensic';
  /** Workflow time of the child when it happened. */
  readonly at: string;
  readonly kind: CaseLogKind;
  readonly stepId?: string;
  readonly detail: string;
  readonly ladoReferralSentOn?: IsoDate;
  /** The child has finished. */
  readonly finished?: boolean;
}

/** Input of `caseWorkflow`. The client loads policy and holidays and passes them in (replay-safe). */
export interface CaseWorkflowInput {
  readonly referral: Referral;
  readonly policy: ProcedurePolicy;
  readonly calendar: CalendarData;
  readonly limits?: RunLimits;
  /** Set only by continue-as-new (holidays applied so far are already merged into `calendar`). */
  readonly carried?: CarriedCaseState;
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
/** Applies newly announced holidays: only deadlines still to come move. Validated. */
export const applyHolidaysUpdate = defineUpdate<CommandReceipt, [ApplyHolidaysCommand]>('applyHolidays');

/** Reports from the case's child workflows (signal; not for clients). */
export const childReportSignal = defineSignal<[ChildReport]>('childReport');

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
