/**
 * What a case shows: its timeline on a day, its open, overdue and waiting steps, its status line and the values
 * it publishes for managers' lists (search attributes). Pure; a timeline is planned once per state and day.
 */
import type { IsoDate } from '../calendar';
import { type DatedStep, isDated, planTimeline, type Timeline, type TimelineStep } from '../planner';
import type { ProcedurePolicy } from '../policy';
import { pendingExtensionRequests } from '../rules';
import { assignmentOf } from './assignment';
import { turnsOverdueByDate } from './delivery';
import { calendarOf, type CaseState } from './state';
import type { CaseStage, CaseStatus } from './types';

const planned = new WeakMap<CaseState, Map<string, Timeline>>();

/** The case's timeline on `day` (planned once per state and day: states are never changed in place). */
export function timelineOf(state: CaseState, policy: ProcedurePolicy, day: IsoDate): Timeline {
  let byDay = planned.get(state);
  if (byDay === undefined) planned.set(state, (byDay = new Map()));
  let timeline = byDay.get(day);
  if (timeline === undefined) {
    timeline = planTimeline({
      referral: state.referral,
      events: state.events,
      policy,
      calendar: calendarOf(state),
      today: day,
      ...(state.frozen === undefined ? {} : { previous: state.frozen }),
    });
    byDay.set(day, timeline);
  }
  return timeline;
}

function byDueDate(a: DatedStep, b: DatedStep): number {
  return a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Open = still to do: due, overdue, or waiting for its anchor. */
export function isOpen(step: TimelineStep): boolean {
  return step.status === 'due' || step.status === 'overdue' || step.status === 'waiting';
}

/** Open steps with a due date by due date, then those waiting for their anchor. */
export function openSteps(timeline: Timeline): TimelineStep[] {
  const dated = timeline.steps.filter(isOpen).filter(isDated).sort(byDueDate);
  return [...dated, ...timeline.steps.filter((s) => s.status === 'waiting' && !isDated(s))];
}

/** Overdue steps, most overdue first. */
export function overdueSteps(timeline: Timeline): DatedStep[] {
  return timeline.steps
    .filter((s) => s.status === 'overdue')
    .filter(isDated)
    .sort(byDueDate);
}

/** Steps waiting for an event not yet recorded: no due date until it is. */
export function waitingSteps(timeline: Timeline): TimelineStep[] {
  return timeline.steps.filter((s) => s.status === 'waiting');
}

/** The open step due soonest (overdue first), if any has a due date. */
export function nextStep(timeline: Timeline): DatedStep | undefined {
  return timeline.steps
    .filter((s) => s.status === 'due' || s.status === 'overdue')
    .filter(isDated)
    .sort(byDueDate)[0];
}

/**
 * The open steps whose due dates a case publishes (`CpflowOpenStepDues`): the overdue ones and those that turn
 * overdue by the calendar alone, earliest due first. A reader lists as overdue on day D those due before D.
 */
export function stepsWithDueDates(timeline: Timeline): DatedStep[] {
  return timeline.steps
    .filter((s) => s.status === 'overdue' || turnsOverdueByDate(s))
    .filter(isDated)
    .sort(byDueDate);
}

/** Whether the case is closed. */
export function isClosed(state: CaseState): boolean {
  return state.stage === 'closed';
}

/** The case's status as of `day`. */
export function caseStatusOf(state: CaseState, policy: ProcedurePolicy, day: IsoDate): CaseStatus {
  const timeline = timelineOf(state, policy, day);
  const closed = isClosed(state);
  const next = closed ? undefined : nextStep(timeline);
  const assignment = assignmentOf(state.referral, state.events);
  return {
    caseReference: state.referral.caseReference,
    stage: state.stage,
    open: !closed,
    teamId: assignment.teamId,
    practitionerId: assignment.practitionerId,
    authority: state.referral.authority,
    ladoTrack: state.children.lado !== 'not-started',
    today: timeline.today,
    ...(next === undefined ? {} : { nextStep: { id: next.id, dueDate: next.dueDate } }),
    overdue: closed ? [] : overdueSteps(timeline).map((s) => `${s.id}@${s.dueDate}`),
    waitingFor: closed ? [] : waitingSteps(timeline).map((s) => `${s.id}→${s.waitsFor ?? 'its period'}`),
    eventCount: state.events.length,
    extensionRequests: closed
      ? []
      : pendingExtensionRequests(state.events).map((r) => ({
          stepId: r.stepId,
          newDueDate: r.newDueDate,
          reason: r.reason,
          requestedBy: r.recordedBy,
          requestedOn: r.occurredOn,
        })),
    runNumber: state.runNumber,
    undelivered: closed
      ? []
      : (state.delivery.undelivered ?? []).map((u) => ({
          stepId: u.notice.stepId,
          kind: u.notice.kind,
          recipient: u.notice.recipient,
          failure: u.failure,
          since: u.since,
          retryOn: u.retryOn,
        })),
  };
}

/**
 * What a case publishes for managers' lists (Temporal search attributes): pseudonymous and procedural values
 * only. `openStepDues` are `stepId@YYYY-MM-DD`; `earliestDue` and `nextDue` are due dates.
 */
export interface CaseSearchValues {
  readonly stage: CaseStage;
  readonly teamId: string;
  readonly assignee: string;
  readonly nextStep: string | null;
  readonly nextDue: IsoDate | null;
  readonly open: boolean;
  readonly openStepDues: readonly string[];
  readonly earliestDue: IsoDate | null;
  /** `series:on-time:N` / `series:late:N`: how many of each step were done by their due date, and how many after. */
  readonly timeliness: readonly string[];
}

/** How many of each step (recurring ones by series) were done by their due date and how many after. */
export function timelinessOf(timeline: Timeline): string[] {
  const counts = new Map<string, number>();
  for (const step of timeline.steps) {
    if (step.status !== 'done' || step.dueDate === undefined || step.completedOn === undefined) continue;
    const key = `${step.series ?? step.id}:${step.completedOn <= step.dueDate ? 'on-time' : 'late'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${key}:${n}`).sort();
}

/** The values a case publishes on `day` (`null`: nothing to publish). */
export function searchValuesOf(state: CaseState, policy: ProcedurePolicy, day: IsoDate): CaseSearchValues {
  const timeline = timelineOf(state, policy, day);
  const open = !isClosed(state);
  const next = open ? nextStep(timeline) : undefined;
  const dated = open ? stepsWithDueDates(timeline) : [];
  const assignment = assignmentOf(state.referral, state.events);
  return {
    stage: state.stage,
    teamId: assignment.teamId,
    assignee: assignment.practitionerId,
    nextStep: next?.id ?? null,
    nextDue: next?.dueDate ?? null,
    open,
    openStepDues: dated.map((s) => `${s.id}@${s.dueDate}`),
    earliestDue: dated[0]?.dueDate ?? null,
    timeliness: timelinessOf(timeline),
  };
}
