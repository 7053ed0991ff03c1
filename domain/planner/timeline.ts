/**
 * The planner's output: plain, JSON-serialisable data a workflow can keep in its state, return from a query
 * or compare between runs.
 */
import type { IsoDate } from '../calendar';
import type { AnchorId, ProcedurePolicy, ProcedureStep, RecipientRole } from '../policy';
import type { RuleFinding } from '../rules';
import type { CaseEvent, Referral } from '../case';
import type { WorkingDayCalendar } from '../calendar';

/**
 * - `done`: the completing event is recorded.
 * - `due`: counts from a recorded event/fact and its due date has not passed.
 * - `overdue`: its due date has passed and it is not done.
 * - `not-required`: marked not required, or no longer applies (plan/forensic wait ended, case closed…).
 * - `waiting`: counts from an event not yet recorded (`waitsFor`), or its period (a plan) has not started. A
 *   waiting step has no due date, and so no reminder, escalation or overdue listing, until its anchor exists.
 */
export type StepStatus = 'done' | 'due' | 'overdue' | 'not-required' | 'waiting';

/** What a step's due date counts from. */
export interface CountsFrom {
  /** The event type or fact, e.g. `strategy-discussion`, `referral-received`. */
  readonly event: AnchorId;
  readonly date: IsoDate;
  /**
   * `recorded`: the event happened on `date`; `projected`: within a recurring series, the due date of an
   * occurrence marked not required, which the next occurrence counts from.
   */
  readonly basis: 'recorded' | 'projected';
  /** The step (or previous occurrence) whose date this is, when it is one. */
  readonly step?: string;
}

/** A reminder or escalation still to come. */
export interface ScheduledNotification {
  /** Stable identity for de-duplication: `<stepId>:<kind>:<to>:<date>`. */
  readonly key: string;
  readonly kind: 'reminder' | 'escalation';
  readonly stepId: string;
  readonly to: RecipientRole;
  readonly date: IsoDate;
  /** The due date it is about. */
  readonly dueDate: IsoDate;
}

/** A deadline extension applied to a step. */
export interface AppliedExtension {
  readonly originalDueDate: IsoDate;
  readonly newDueDate: IsoDate;
  readonly reason: string;
  readonly agreedBy: string;
  readonly agreedOn: IsoDate;
}

/** One step (or one occurrence of a recurring step) of the timeline. */
export interface TimelineStep {
  /** Step id, or occurrence id for recurring steps (`visit-3`, `first-core-group`, `rcpc-2`). */
  readonly id: string;
  readonly title: string;
  readonly track: ProcedureStep['track'];
  readonly status: StepStatus;
  /** Absent while the step waits for its anchor (`waitsFor`), or when it ended before it had one. */
  readonly dueDate?: IsoDate;
  /** What the due date counts from; absent with the due date. */
  readonly countsFrom?: CountsFrom;
  /** The event or fact a waiting step counts from, not yet recorded. */
  readonly waitsFor?: AnchorId;
  /** The § or source that sets this deadline (from the policy). */
  readonly rule: string;
  /** Where in the policy the deadline comes from, e.g. `steps[6].offset`, `steps[11].repeat.every`. */
  readonly policyKey: string;
  /** For recurring steps: the series id and the occurrence number (1-based). */
  readonly series?: string;
  readonly occurrence?: number;
  readonly completedOn?: IsoDate;
  /** Why the step is not required (a recorded reason, or e.g. `case-closed`, `no-child-protection-plan`). */
  readonly notRequiredReason?: string;
  readonly extension?: AppliedExtension;
  /** Reminders still to come (on or after `today`). */
  readonly reminders: readonly ScheduledNotification[];
  /** Escalations still to come (on or after `today`). */
  readonly escalations: readonly ScheduledNotification[];
}

/** A step with a due date: due, overdue, and any done or not-required step whose anchor was recorded. */
export type DatedStep = TimelineStep & { readonly dueDate: IsoDate; readonly countsFrom: CountsFrom };

/** Whether a step has a due date (its anchor is recorded). */
export function isDated(step: TimelineStep): step is DatedStep {
  return step.dueDate !== undefined && step.countsFrom !== undefined;
}

/** The plan of a case on a given day. */
export interface Timeline {
  readonly caseReference: string;
  readonly policyId: string;
  readonly today: IsoDate;
  readonly steps: readonly TimelineStep[];
  /** Findings of the procedure's rules, each citing its §. */
  readonly findings: readonly RuleFinding[];
}

/** Input to {@link planTimeline}. */
export interface PlanInput {
  readonly referral: Referral;
  /** Every event recorded on the case, in any order. */
  readonly events: readonly CaseEvent[];
  readonly policy: ProcedurePolicy;
  readonly calendar: WorkingDayCalendar;
  /** The date the plan is made for (the workflow's current date; never read from a clock here). */
  readonly today: IsoDate;
  /**
   * The timeline planned before (e.g. before a newly announced holiday reached the calendar). Due dates it had
   * already passed by `today` keep their dates when they count from the same date.
   */
  readonly previous?: Timeline;
}
