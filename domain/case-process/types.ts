/**
 * The vocabulary of a case as cpflow keeps it: where it stands, what was recorded and by whom, what it logged,
 * what it tells its children and what it returns. Plain, JSON-serialisable data.
 */
import type { Holiday, IsoDate } from '../calendar';
import type { CaseEvent } from '../case';

/**
 * Where a case stands in the procedure (search attribute `CpflowStage`), the furthest point reached:
 * - `referral`: received, no decision recorded yet;
 * - `strategy-discussion`: decided, awaiting the strategy discussion (§2.6);
 * - `section-47-enquiry`: strategy discussion held, S47 enquiry under way (interviews, partner first, §2.14–2.15);
 * - `assessment`: the interviews held (or marked not required), the assessment is being completed;
 * - `initial-conference`: assessment completed, awaiting the ICPC (§2.16);
 * - `child-protection-plan`: a plan is in force (core groups, visits, reviews);
 * - `forensic-wait`: nothing of the child-protection procedure is left, but the police investigation is still
 *   followed (§2.17): the case waits for the police's results or decision before it closes;
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
  'forensic-wait',
  'closure',
  'closed',
] as const;
/** Where a case stands in the procedure. */
export type CaseStage = (typeof CASE_STAGES)[number];

/** The actor id cpflow records its own events under (e.g. the LADO referral its LADO track sent). */
export const SYSTEM_ACTOR = 'sys-000';

/** The commands that change a case, as its audit trail names them. */
export type CaseCommandName = 'recordEvent' | 'applyHolidays' | 'correctEvent';

/** One command recorded on the case, as the audit trail shows it. */
export interface AuditEntry {
  /** 1-based position in the trail. */
  readonly seq: number;
  /** When the case accepted it (workflow time, ISO instant). */
  readonly at: string;
  /** Staff id of who recorded it (`recordedBy`/`appliedBy`), or {@link SYSTEM_ACTOR} for cpflow itself. */
  readonly recordedBy: string;
  readonly command: CaseCommandName;
  /** The event recorded (recordEvent). */
  readonly event?: CaseEvent;
  /** The holidays applied (applyHolidays). */
  readonly holidays?: readonly Holiday[];
  /** correctEvent: the audit position of the event corrected, how, and why (the original stays at its entry). */
  readonly correction?: {
    readonly corrects: number;
    readonly action: 'amend' | 'withdraw';
    readonly reason: string;
  };
}

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
  'allocation',
  'lado',
  'forensic',
  'rule-finding',
  'holidays-applied',
  'calendar-extended',
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
  readonly command: CaseCommandName;
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
  /** Steps (dated before and after) whose due date the command changed. */
  readonly changedDueDates: readonly DueDateChange[];
}

/** A summary of the case for lists and status lines. */
export interface CaseStatus {
  readonly caseReference: string;
  readonly stage: CaseStage;
  readonly open: boolean;
  readonly teamId: string;
  readonly practitionerId: string;
  /** The local authority the case belongs to. */
  readonly authority: string;
  /** The case has a LADO track (its LADO referral was triggered, §2.6, §2.18). */
  readonly ladoTrack: boolean;
  /** The date the status is read for (UK civil date). */
  readonly today: IsoDate;
  readonly nextStep?: { readonly id: string; readonly dueDate: IsoDate };
  /** `stepId@dueDate`, most overdue first. */
  readonly overdue: readonly string[];
  /** Steps waiting for an event not yet recorded, as `stepId→event` (no due date until it is). */
  readonly waitingFor: readonly string[];
  readonly eventCount: number;
  /** Extensions asked for and waiting for a manager other than the asker. */
  readonly extensionRequests: readonly ExtensionRequest[];
  /** Number of the run in the case's continue-as-new chain (1 for the first run). */
  readonly runNumber: number;
  /** Emails that could not be delivered and are tried again each working day, oldest first. */
  readonly undelivered: readonly UndeliveredEmail[];
}

/** An email of the case that could not be delivered (shown so someone fixes the staff directory). */
export interface UndeliveredEmail {
  readonly stepId: string;
  readonly kind: string;
  /** Who it is for, as a directory reference (`practitioner:sw-0042`). */
  readonly recipient: string;
  /** Why, in the activity's words (failure type and reason; no personal data). */
  readonly failure: string;
  /** When it first failed (ISO instant). */
  readonly since: string;
  /** The working day it is tried again. */
  readonly retryOn: IsoDate;
}

/** An extension asked for, waiting for a manager. */
export interface ExtensionRequest {
  readonly stepId: string;
  readonly newDueDate: IsoDate;
  readonly reason: string;
  readonly requestedBy: string;
  readonly requestedOn: IsoDate;
}

/** The child workflows of a case. */
export type ChildKind = 'lado' | 'forensic';

/**
 * What a child (LADO referral, forensic wait) reports to its case: a line for the case log and, for the LADO
 * referral email, the date it was sent (the case then records `lado-referral-sent` as {@link SYSTEM_ACTOR}).
 */
export interface ChildReport {
  readonly from: ChildKind;
  /** Workflow time of the child when it happened. */
  readonly at: string;
  readonly kind: CaseLogKind;
  readonly stepId?: string;
  readonly detail: string;
  readonly ladoReferralSentOn?: IsoDate;
  /** The child has finished. */
  readonly finished?: boolean;
}

/** What a case returns when it is closed. */
export interface CaseResult {
  readonly caseReference: string;
  readonly closedOn: IsoDate;
  readonly reason: string;
  /** Runs in the continue-as-new chain, this one included. */
  readonly runs: number;
}
