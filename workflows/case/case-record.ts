/**
 * The state of a case as its workflow holds it — referral, recorded events, audit trail, case log, stage — and
 * everything derived from it (timeline, open/overdue steps, search attribute values), recomputed by the
 * planner rather than stored twice. Pure: no Temporal API, so it is unit-testable and replay-safe.
 */
import { type SearchAttributeUpdatePair } from '@temporalio/common';
import {
  type CalendarData,
  type Holiday,
  type IsoDate,
  sharedCalendar,
  type WorkingDayCalendar,
} from '../../domain/calendar';
import type { CaseEvent, Referral } from '../../domain/case';
import type { ProcedurePolicy } from '../../domain/policy';
import { planTimeline, type Timeline, type TimelineStep } from '../../domain/planner';
import type { RuleFinding } from '../../domain/rules';
import {
  CPFLOW_ASSIGNEE,
  CPFLOW_CASE_OPEN,
  CPFLOW_EARLIEST_DUE,
  CPFLOW_NEXT_DUE,
  CPFLOW_NEXT_STEP,
  CPFLOW_OPEN_STEP_DUES,
  CPFLOW_STAGE,
  CPFLOW_TEAM,
} from '../search-attributes';
import { assignmentOf } from '../shared/child-messages';
import type { Assignment } from '../shared/notifier';
import type { AuditEntry, CaseLogEntry, CaseLogKind, CaseStage, CommandReceipt, DueDateChange } from './messages';
import { turnsOverdueByDate } from '../shared/schedule';
import { deriveStage } from './stage';

/** Open = still to do: due, overdue, or waiting on an earlier step. */
export function isOpen(step: TimelineStep): boolean {
  return step.status === 'due' || step.status === 'overdue' || step.status === 'waiting';
}

/** Open steps by due date (then id). */
export function openSteps(timeline: Timeline): TimelineStep[] {
  return timeline.steps.filter(isOpen).sort(byDueDate);
}

/** Overdue steps, most overdue first. */
export function overdueSteps(timeline: Timeline): TimelineStep[] {
  return timeline.steps.filter((s) => s.status === 'overdue').sort(byDueDate);
}

/** The open step due soonest: a due or overdue step first, else one waiting on an earlier step. */
export function nextStep(timeline: Timeline): TimelineStep | undefined {
  const open = openSteps(timeline);
  return open.find((s) => s.status !== 'waiting') ?? open[0];
}

function byDueDate(a: TimelineStep, b: TimelineStep): number {
  return a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Start of a due date as a UTC instant (the search attributes' Datetime convention). */
function dueInstant(date: IsoDate): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

/**
 * The open steps whose due dates a case publishes (`CpflowOpenStepDues`): the overdue ones and those that turn
 * overdue by the calendar alone, earliest due first. A reader lists as overdue on day D those due before D.
 */
export function stepsWithDueDates(timeline: Timeline): TimelineStep[] {
  return timeline.steps.filter((s) => s.status === 'overdue' || turnsOverdueByDate(s)).sort(byDueDate);
}

/** The search attribute values of a case on a timeline; `null` removes an attribute. */
export function caseSearchAttributes(
  stage: CaseStage,
  assignment: Assignment,
  timeline: Timeline,
  open: boolean,
): SearchAttributeUpdatePair[] {
  const next = open ? nextStep(timeline) : undefined;
  const dated = open ? stepsWithDueDates(timeline) : [];
  return [
    { key: CPFLOW_STAGE, value: stage },
    { key: CPFLOW_TEAM, value: assignment.teamId },
    { key: CPFLOW_ASSIGNEE, value: assignment.practitionerId },
    { key: CPFLOW_NEXT_STEP, value: next?.id ?? null },
    { key: CPFLOW_NEXT_DUE, value: next === undefined ? null : dueInstant(next.dueDate) },
    { key: CPFLOW_CASE_OPEN, value: open },
    { key: CPFLOW_OPEN_STEP_DUES, value: dated.map((s) => `${s.id}@${s.dueDate}`) },
    { key: CPFLOW_EARLIEST_DUE, value: dated.length === 0 ? null : dueInstant(dated[0].dueDate) },
  ];
}

/** What a case record is built from. */
export interface CaseRecordInit {
  readonly referral: Referral;
  readonly policy: ProcedurePolicy;
  readonly calendar: CalendarData;
  readonly events?: readonly CaseEvent[];
  readonly audit?: readonly AuditEntry[];
  readonly log?: readonly CaseLogEntry[];
  readonly frozen?: Timeline;
}

/** A case's referral, events, audit trail and log, with the planner's view of them. */
export class CaseRecord {
  readonly referral: Referral;
  readonly policy: ProcedurePolicy;
  #calendarData: CalendarData;
  #calendar: WorkingDayCalendar;
  readonly #events: CaseEvent[];
  readonly #audit: AuditEntry[];
  readonly #log: CaseLogEntry[];
  /** Due dates already passed when holidays were last applied (planner's `previous`). */
  #frozen: Timeline | undefined;
  #stage: CaseStage;
  #version = 0;
  #cache: { key: string; timeline: Timeline } | undefined;

  constructor(init: CaseRecordInit) {
    this.referral = init.referral;
    this.policy = init.policy;
    this.#calendarData = init.calendar;
    this.#calendar = sharedCalendar(init.calendar);
    this.#events = [...(init.events ?? [])];
    this.#audit = [...(init.audit ?? [])];
    this.#log = [...(init.log ?? [])];
    this.#frozen = init.frozen;
    this.#stage = deriveStage(this.referral, this.#events);
  }

  get caseReference(): string {
    return this.referral.caseReference;
  }
  get events(): readonly CaseEvent[] {
    return this.#events;
  }
  get audit(): readonly AuditEntry[] {
    return this.#audit;
  }
  /** The case log in chronological order (entries reported by child workflows may arrive late). */
  get log(): CaseLogEntry[] {
    return [...this.#log].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }
  get stage(): CaseStage {
    return this.#stage;
  }
  get calendarData(): CalendarData {
    return this.#calendarData;
  }
  get calendar(): WorkingDayCalendar {
    return this.#calendar;
  }
  get frozen(): Timeline | undefined {
    return this.#frozen;
  }
  get closed(): boolean {
    return this.#stage === 'closed';
  }

  /** The practitioner and team the case is assigned to now (after any reassignment). */
  get assignment(): Assignment {
    return assignmentOf(this.referral, this.#events);
  }

  /** The timeline on `today` (cached until the record changes). */
  timeline(today: IsoDate): Timeline {
    const key = `${this.#version}|${today}`;
    if (this.#cache?.key === key) return this.#cache.timeline;
    const timeline = planTimeline({
      referral: this.referral,
      events: this.#events,
      policy: this.policy,
      calendar: this.#calendar,
      today,
      ...(this.#frozen === undefined ? {} : { previous: this.#frozen }),
    });
    this.#cache = { key, timeline };
    return timeline;
  }

  /** Appends a line to the case log. */
  note(at: string, kind: CaseLogKind, detail: string, stepId?: string): void {
    this.#log.push(stepId === undefined ? { at, kind, detail } : { at, kind, stepId, detail });
  }

  /**
   * Records an already validated event: event list, audit trail, case log (event, stage change, new rule
   * findings). Returns the receipt.
   */
  recordEvent(event: CaseEvent, at: string, today: IsoDate): CommandReceipt {
    const before = this.timeline(today);
    this.#events.push(event);
    this.#version += 1;
    const seq = this.#audit.length + 1;
    this.#audit.push({ seq, at, recordedBy: event.recordedBy, command: 'recordEvent', event });
    this.note(
      at,
      'event-recorded',
      `${event.type} on ${event.occurredOn} recorded by ${event.recordedBy}`,
      stepOfEvent(event),
    );
    return this.#afterChange('recordEvent', event.type, seq, at, today, before);
  }

  /** Merges newly announced holidays: due dates already passed `today` keep their dates. */
  applyHolidays(holidays: readonly Holiday[], appliedBy: string, at: string, today: IsoDate): CommandReceipt {
    const before = this.timeline(today);
    // Freeze every due date already passed, as planned with the old calendar.
    this.#frozen = { ...before, steps: before.steps.filter((s) => s.dueDate < today), findings: [] };
    this.#calendar = sharedCalendar(this.#calendar.withHolidays(holidays).toData());
    this.#calendarData = this.#calendar.toData();
    this.#version += 1;
    const seq = this.#audit.length + 1;
    this.#audit.push({ seq, at, recordedBy: appliedBy, command: 'applyHolidays', holidays });
    this.note(at, 'holidays-applied', `holidays applied by ${appliedBy}: ${holidays.map((h) => h.date).join(', ')}`);
    return this.#afterChange('applyHolidays', 'holidays', seq, at, today, before);
  }

  #afterChange(
    command: CommandReceipt['command'],
    recorded: string,
    seq: number,
    at: string,
    today: IsoDate,
    before: Timeline,
  ): CommandReceipt {
    const after = this.timeline(today);
    const stage = deriveStage(this.referral, this.#events);
    if (stage !== this.#stage) {
      this.note(at, 'stage-change', `stage ${this.#stage} → ${stage}`);
      this.#stage = stage;
    }
    for (const finding of newFindings(before.findings, after.findings)) {
      this.note(at, 'rule-finding', `${finding.severity} ${finding.code} (${finding.rule})`, finding.stepId);
    }
    const next = this.closed ? undefined : nextStep(after);
    return {
      caseReference: this.caseReference,
      command,
      recorded,
      auditSeq: seq,
      acceptedAt: at,
      stage,
      ...(next === undefined ? {} : { nextStep: { id: next.id, dueDate: next.dueDate } }),
      changedDueDates: dueDateChanges(before, after),
    };
  }
}

/** The step an event is about, when it names one. */
function stepOfEvent(event: CaseEvent): string | undefined {
  return event.type === 'deadline-extended' || event.type === 'step-not-required' ? event.stepId : undefined;
}

function findingKey(f: RuleFinding): string {
  return `${f.code}|${f.stepId ?? ''}|${f.on ?? ''}`;
}

/** Findings present after a change but not before. */
function newFindings(before: readonly RuleFinding[], after: readonly RuleFinding[]): RuleFinding[] {
  const seen = new Set(before.map(findingKey));
  return after.filter((f) => !seen.has(findingKey(f)));
}

/** Steps present in both timelines whose due date changed. */
export function dueDateChanges(before: Timeline, after: Timeline): DueDateChange[] {
  const old = new Map(before.steps.map((s) => [s.id, s.dueDate]));
  const out: DueDateChange[] = [];
  for (const s of after.steps) {
    const from = old.get(s.id);
    if (from !== undefined && from !== s.dueDate) out.push({ stepId: s.id, from, to: s.dueDate });
  }
  return out;
}
