/**
 * What a case is told, and how it changes: `applyCommand(state, command, context)` returns the new state (and
 * what the caller is told) or a structured refusal — and a refused command changes nothing. Pure: the workflow's
 * update validators and handlers both call it.
 */
import { CalendarCoverageError, type Holiday, type IsoDate, ukDateOf, validateHoliday } from '../calendar';
import type { CaseEvent } from '../case';
import { isDated, type Timeline } from '../planner';
import {
  checkEventAgainstCase,
  immediateRisk_2_6,
  ladoTrigger_2_6_2_18,
  POLICE_EVENT_TYPES,
  type Refusal,
  type RuleFinding,
  seriousForensicResults,
} from '../rules';
import { assignmentOf } from './assignment';
import { allocationNotice, emailTitle, noticeFor, recipientFor } from './notices';
import type { EventCorrection } from './commands';
import { checkEventAgainstPlan } from './plan-checks';
import { nextStep, timelineOf } from './read';
import { deriveStage } from './stage';
import { calendarOf, type CaseContext, type CaseState, type ChildMessage, withLog } from './state';
import { LADO_ACK_STEP } from './lado-process';
import { deliveryFailedNotice } from './undelivered';
import {
  type AuditEntry,
  type CaseCommandName,
  type CaseLogEntry,
  type ChildKind,
  type ChildReport,
  type CommandReceipt,
  type DueDateChange,
  SYSTEM_ACTOR,
} from './types';

/** A command to a case. */
export type CaseCommand =
  | { readonly type: 'record-event'; readonly event: CaseEvent }
  | { readonly type: 'apply-holidays'; readonly holidays: readonly Holiday[]; readonly appliedBy: string }
  | { readonly type: 'child-report'; readonly report: ChildReport }
  /** A recorded event amended or withdrawn, with a reason (the original stays in the audit trail). */
  | { readonly type: 'correct-event'; readonly correction: EventCorrection }
  /** A child could not be started again yet: its previous run had not finished (it is tried again later). */
  | { readonly type: 'child-start-refused'; readonly child: ChildKind }
  /** More years of holidays, as the case asked for them (`Decision.calendarWanted`). */
  | { readonly type: 'extend-calendar'; readonly toYear: number; readonly holidays: readonly Holiday[] };

/** The outcome of a command: the new state, or why it was refused (and nothing changed). */
export type Applied =
  | { readonly ok: true; readonly state: CaseState; readonly receipt?: CommandReceipt }
  | { readonly ok: false; readonly refusals: readonly Refusal[] };

/** Events a child is told about, as they are recorded. */
const FORWARDED: Readonly<Record<ChildKind, readonly CaseEvent['type'][]>> = {
  lado: ['lado-referral-sent', 'lado-referral-acknowledged', 'lado-outcome', 'case-closed'],
  forensic: [...POLICE_EVENT_TYPES, 'practitioner-reassigned', 'deadline-extended', 'step-not-required', 'case-closed'],
};

/** The events of a case a child needs at its start: those it is told about. */
export function eventsForChild(child: ChildKind, events: readonly CaseEvent[]): CaseEvent[] {
  return events.filter((e) => FORWARDED[child].includes(e.type));
}

/** Applies a command to the case (see the module comment). */
export function applyCommand(state: CaseState, command: CaseCommand, context: CaseContext): Applied {
  switch (command.type) {
    case 'record-event':
      return recordEvent(state, command.event, context);
    case 'apply-holidays':
      return applyHolidays(state, command.holidays, command.appliedBy, context);
    case 'child-report':
      return { ok: true, state: childReport(state, command.report, context) };
    case 'extend-calendar':
      return extendCalendar(state, command.toYear, command.holidays, context);
    case 'child-start-refused':
      return { ok: true, state: childEnded(state, command.child, context.now) };
    case 'correct-event':
      return withinCalendar(() => correctEvent(state, command.correction, context));
  }
}

/**
 * Amends or withdraws a recorded event. The correction is refused when the event is unknown, was recorded by
 * cpflow itself, would change the event's type, or would leave any event recorded after it making no sense; the
 * original stays at its place in the audit trail. A running child that follows the event is told the corrected
 * list.
 */
function correctEvent(state: CaseState, c: EventCorrection, context: CaseContext): Applied {
  const refuse = (code: string, field: string, rule: string) => refused({ code, field, rule, section: 'correction' });
  if (state.stage === 'closed') return refused(CASE_CLOSED);
  const index = state.eventSeqs.indexOf(c.seq);
  if (index < 0) return refuse('no-such-event', 'seq', 'must be the audit position of an event still on the case');
  const original = state.events[index];
  if (state.audit.find((a) => a.seq === c.seq)?.recordedBy === SYSTEM_ACTOR) {
    return refuse('recorded-by-cpflow', 'seq', 'an event cpflow recorded itself cannot be corrected');
  }
  if (c.event !== undefined && c.event.type !== original.type) {
    return refuse('type-changed', 'event.type', 'must be the type of the event corrected (withdraw it instead)');
  }
  const amended = c.event;
  const events =
    amended === undefined
      ? state.events.filter((_, i) => i !== index)
      : state.events.map((e, i) => (i === index ? amended : e));
  const eventSeqs = amended === undefined ? state.eventSeqs.filter((_, i) => i !== index) : state.eventSeqs;
  const today = ukDateOf(context.now);
  if (amended !== undefined) {
    for (const [field, date] of datesOf(amended)) {
      const outside = outsideCalendar(state, `event.${field}`, date);
      if (outside !== undefined) return refused(outside);
    }
  }
  // Every event still makes sense, in the order recorded, with the correction made: against the events before it,
  // and, from the corrected one on, against the plan they made (an extension still later than the due date it
  // moves, a step marked not required once).
  for (let i = 0; i < events.length; i += 1) {
    const own = amended !== undefined && i === index;
    const before = { ...state, events: events.slice(0, i) };
    const problems = checkEventAgainstCase(before, events[i], { policy: context.policy, ...(own ? { today } : {}) });
    if (problems.length === 0 && i >= index) {
      problems.push(...checkEventAgainstPlan(events[i], timelineOf(before, context.policy, today), calendarOf(state)));
    }
    if (problems.length > 0) {
      return refused(
        ...problems.map((p) =>
          own
            ? { ...p, field: `event.${p.field}` }
            : { ...p, field: 'seq', rule: `an event recorded later would break: ${p.rule}` },
        ),
      );
    }
  }
  const at = isoAt(context.now);
  const before = timelineOf(state, context.policy, today);
  const seq = state.audit.length + 1;
  const audit: AuditEntry = {
    seq,
    at,
    recordedBy: c.recordedBy,
    command: 'correctEvent',
    ...(amended === undefined ? {} : { event: amended }),
    correction: { corrects: c.seq, action: c.action, reason: c.reason },
  };
  const told: ChildMessage[] = (['lado', 'forensic'] as const)
    .filter((child) => state.children[child] === 'running' && FORWARDED[child].includes(original.type))
    .map((child) => ({ child, kind: 'events', events: eventsForChild(child, events) }));
  const next = withLog(
    { ...state, events, eventSeqs, audit: [...state.audit, audit], outbox: [...state.outbox, ...told] },
    line(
      at,
      'event-recorded',
      `${original.type} (entry ${c.seq}) ${c.action === 'amend' ? 'amended' : 'withdrawn'} by ${c.recordedBy}: ${c.reason}`,
    ),
  );
  return settle(next, 'correctEvent', original.type, seq, before, context);
}

/** Grows the case's calendar by whole years; the running children get it too. Dates already planned stay. */
function extendCalendar(state: CaseState, toYear: number, holidays: readonly Holiday[], context: CaseContext): Applied {
  let extended;
  try {
    extended = calendarOf(state).extendedThrough(toYear, holidays);
  } catch (err) {
    const said = /^(\S+): (.*)$/.exec((err as Error).message);
    return refused({
      code: 'invalid-calendar',
      field: said?.[1] ?? 'calendar',
      rule: said?.[2] ?? 'must add whole years of holidays',
      section: 'case calendar',
    });
  }
  const calendar = extended.toData();
  const at = isoAt(context.now);
  const next = withLog(
    { ...state, calendar },
    line(at, 'calendar-extended', `calendar extended through ${toYear} (${holidays.length} holidays added)`),
  );
  const messages: ChildMessage[] = (['lado', 'forensic'] as const)
    .filter((child) => next.children[child] === 'running')
    .map((child) => ({
      child,
      kind: 'calendar',
      calendar,
      ...(state.frozen === undefined ? {} : { frozen: state.frozen }),
    }));
  return { ok: true, state: { ...next, outbox: [...next.outbox, ...messages] } };
}

function refused(...refusals: Refusal[]): Applied {
  return { ok: false, refusals };
}

const CASE_CLOSED: Refusal = {
  code: 'case-closed',
  field: 'case',
  rule: 'the case is closed; nothing more can be recorded on it',
  section: 'case lifecycle',
};

/**
 * Dates a case plans from must lie inside its calendar: a date outside would leave its working days unknown
 * and the case unable to plan.
 */
function outsideCalendar(state: CaseState, field: string, date: IsoDate): Refusal | undefined {
  return calendarOf(state).covers(date)
    ? undefined
    : {
        code: 'outside-calendar',
        field,
        rule: 'must be within the years the case can plan for',
        section: 'case calendar',
      };
}

function recordEvent(state: CaseState, event: CaseEvent, context: CaseContext): Applied {
  return withinCalendar(() => checkedRecord(state, event, context));
}

function checkedRecord(state: CaseState, event: CaseEvent, context: CaseContext): Applied {
  const today = ukDateOf(context.now);
  const refusals = checkEventAgainstCase({ referral: state.referral, events: state.events }, event, {
    policy: context.policy,
    today,
  });
  for (const [field, date] of datesOf(event)) {
    const outside = outsideCalendar(state, field, date);
    if (outside !== undefined) refusals.push(outside);
  }
  if (refusals.length > 0) return refused(...refusals);
  refusals.push(...checkEventAgainstPlan(event, timelineOf(state, context.policy, today), calendarOf(state)));
  if (refusals.length > 0) return refused(...refusals);
  return accept(state, event, event.recordedBy, context);
}

/**
 * Runs a change that plans the case, refusing it when a deadline it sets would fall beyond the years the case's
 * calendar covers — so no recorded date can leave the case unable to plan.
 */
function withinCalendar(change: () => Applied): Applied {
  try {
    return change();
  } catch (err) {
    if (!(err instanceof CalendarCoverageError)) throw err;
    return refused(BEYOND_CALENDAR);
  }
}

const BEYOND_CALENDAR: Refusal = {
  code: 'beyond-calendar',
  field: 'event',
  rule: 'its deadlines would fall beyond the years the case can plan for',
  section: 'case calendar',
};

/** The dates an event brings for the case to plan from. */
function datesOf(event: CaseEvent): [string, IsoDate][] {
  const dates: [string, IsoDate][] = [['occurredOn', event.occurredOn]];
  if (event.type === 'deadline-extended' || event.type === 'extension-requested') {
    dates.push(['newDueDate', event.newDueDate]);
  }
  if (event.type === 'written-agreement') dates.push(['reviewBy', event.reviewBy]);
  if (event.type === 'assessment-completed') dates.push(['startedOn', event.startedOn]);
  if (event.type === 'icpc-booked') dates.push(['conferenceOn', event.conferenceOn]);
  return dates;
}

/** Records a checked event: events, audit trail, case log, stage, findings, children's outbox, notices. */
function accept(state: CaseState, event: CaseEvent, recordedBy: string, context: CaseContext): Applied {
  const at = isoAt(context.now);
  const today = ukDateOf(context.now);
  const before = timelineOf(state, context.policy, today);
  const seq = state.audit.length + 1;
  const audit: AuditEntry = { seq, at, recordedBy, command: 'recordEvent', event };
  let next: CaseState = withLog(
    {
      ...state,
      events: [...state.events, event],
      eventSeqs: [...state.eventSeqs, seq],
      audit: [...state.audit, audit],
    },
    line(at, 'event-recorded', `${event.type} on ${event.occurredOn} recorded by ${recordedBy}`, stepOfEvent(event)),
  );
  next = { ...next, outbox: [...next.outbox, ...forwarded(next, event)] };
  next = afterSeriousResults(next, event, context, at);
  next = afterHandover(next, state, event, context, seq);
  next = afterImmediateRisk(next, event, context, seq);
  return settle(next, 'recordEvent', event.type, seq, before, context);
}

/** The messages an accepted event sends to the running children that follow it. */
function forwarded(state: CaseState, event: CaseEvent): ChildMessage[] {
  return (['lado', 'forensic'] as const)
    .filter((child) => state.children[child] === 'running' && FORWARDED[child].includes(event.type))
    .map((child) => ({ child, kind: 'event', event }));
}

/**
 * Serious forensic results (§2.5, §2.9, §2.18): a new strategy discussion within the policy's deadline, told to
 * the practitioner at once; other results are only logged.
 */
function afterSeriousResults(state: CaseState, event: CaseEvent, context: CaseContext, at: string): CaseState {
  if (event.type !== 'forensic-results') return state;
  const serious = seriousForensicResults(state.events);
  const today = ukDateOf(context.now);
  const step = timelineOf(state, context.policy, today).steps.find((s) => s.id === 'forensic-strategy-discussion');
  if (
    serious === undefined ||
    serious.on !== event.occurredOn ||
    step === undefined ||
    !isDated(step) ||
    step.status === 'done'
  ) {
    return withLog(state, line(at, 'forensic', 'forensic results recorded: no serious findings'));
  }
  const notice = noticeFor(
    {
      caseReference: state.referral.caseReference,
      stepId: step.id,
      stepTitle: emailTitle(step.title),
      dueDate: step.dueDate,
      kind: 'reminder',
      recipient: recipientFor('practitioner', assignmentOf(state.referral, state.events, context.policy)),
    },
    `opened-${today}`,
  );
  return withLog(
    { ...state, immediate: [...state.immediate, notice] },
    line(
      at,
      'forensic',
      `serious forensic results (${serious.rule}): new strategy discussion due ${step.dueDate}`,
      step.id,
    ),
  );
}

/**
 * A case handed over: the new practitioner is told at once with its first deadlines, and — when it moves to
 * another team — that team's manager too.
 */
function afterHandover(
  state: CaseState,
  before: CaseState,
  event: CaseEvent,
  context: CaseContext,
  seq: number,
): CaseState {
  if (event.type !== 'practitioner-reassigned') return state;
  const timeline = timelineOf(state, context.policy, ukDateOf(context.now));
  const from = assignmentOf(before.referral, before.events);
  const to = assignmentOf(state.referral, state.events);
  const recipients = [recipientFor('practitioner', to)];
  if (to.teamId !== from.teamId) recipients.push(recipientFor('team-manager', to));
  const notices = recipients
    .map((recipient) => allocationNotice(timeline, recipient, `handover-${seq}`))
    .filter((n) => n !== undefined);
  return notices.length === 0 ? state : { ...state, immediate: [...state.immediate, ...notices] };
}

/** §2.6: a child at immediate risk of significant harm — the team manager is told the same day. */
function afterImmediateRisk(state: CaseState, event: CaseEvent, context: CaseContext, seq: number): CaseState {
  if (!immediateRisk_2_6(event)) return state;
  const notice = noticeFor(
    {
      caseReference: state.referral.caseReference,
      stepId: 'strategy-discussion',
      stepTitle: 'Strategy discussion: child at immediate risk (§2.6)',
      dueDate: event.occurredOn,
      kind: 'immediate-risk',
      recipient: recipientFor('team-manager', assignmentOf(state.referral, state.events, context.policy)),
    },
    `immediate-risk-${seq}`,
  );
  return { ...state, immediate: [...state.immediate, notice] };
}

function applyHolidays(state: CaseState, raw: readonly Holiday[], appliedBy: string, context: CaseContext): Applied {
  if (state.stage === 'closed') return refused(CASE_CLOSED);
  const refusals: Refusal[] = [];
  const refuse = (field: string, rule: string) =>
    refusals.push({ code: 'invalid-holiday', field, rule, section: 'bank holidays' });
  const known = new Set(state.calendar.holidays.map((h) => h.date));
  const seen = new Set<string>();
  const holidays: Holiday[] = [];
  if (raw.length === 0) refuse('holidays', 'must list at least one holiday');
  raw.forEach((entry, i) => {
    let holiday: Holiday;
    try {
      holiday = validateHoliday(entry, i);
    } catch (err) {
      // The calendar names the field first: `holidays[0].date: …` or `holidays[0].name must be …`.
      const said = /^(holidays\[\d+\](?:\.\w+)?):? (.*)$/.exec((err as Error).message);
      refuse(said?.[1] ?? `holidays[${i}]`, said?.[2] ?? 'must be a holiday with a date, a name and a source');
      return;
    }
    if (known.has(holiday.date)) refuse(`holidays[${i}].date`, "is already a holiday in the case's calendar");
    else if (seen.has(holiday.date)) refuse(`holidays[${i}].date`, 'is listed twice');
    else if (!calendarOf(state).covers(holiday.date))
      refuse(`holidays[${i}].date`, "is outside the years the case's calendar covers");
    else holidays.push(holiday);
    seen.add(holiday.date);
  });
  if (refusals.length > 0) return refused(...refusals);
  const at = isoAt(context.now);
  const today = ukDateOf(context.now);
  const before = timelineOf(state, context.policy, today);
  // Every due date already passed keeps its date, as planned with the old calendar.
  const frozen: Timeline = {
    ...before,
    steps: before.steps.filter((s) => s.dueDate !== undefined && s.dueDate < today),
    findings: [],
  };
  const calendar = calendarOf(state).withHolidays(holidays).toData();
  const seq = state.audit.length + 1;
  let next: CaseState = withLog(
    {
      ...state,
      calendar,
      frozen,
      audit: [...state.audit, { seq, at, recordedBy: appliedBy, command: 'applyHolidays', holidays }],
    },
    line(at, 'holidays-applied', `holidays applied by ${appliedBy}: ${holidays.map((h) => h.date).join(', ')}`),
  );
  const messages: ChildMessage[] = (['lado', 'forensic'] as const)
    .filter((child) => next.children[child] === 'running')
    .map((child) => ({ child, kind: 'calendar', calendar, frozen }));
  next = { ...next, outbox: [...next.outbox, ...messages] };
  return settle(next, 'applyHolidays', 'holidays', seq, before, context);
}

/** A child's report: a line of the case log; its end; the LADO referral it sent, recorded as cpflow's own event. */
function childReport(state: CaseState, report: ChildReport, context: CaseContext): CaseState {
  let next = withLog(state, line(report.at, report.kind, `${report.from}: ${report.detail}`, report.stepId));
  if (report.finished === true) next = childEnded(next, report.from, context.now);
  if (report.kind === 'notification-failed' && report.from === 'lado') next = ladoEmailFailed(next, report, context);
  if (report.ladoReferralSentOn !== undefined && !next.events.some((e) => e.type === 'lado-referral-sent')) {
    const event: CaseEvent = {
      type: 'lado-referral-sent',
      occurredOn: report.ladoReferralSentOn,
      recordedBy: SYSTEM_ACTOR,
    };
    const refusals = checkEventAgainstCase({ referral: next.referral, events: next.events }, event, {
      policy: context.policy,
    });
    if (refusals.length === 0) {
      const applied = accept(next, event, SYSTEM_ACTOR, context);
      if (applied.ok) next = applied.state;
    }
  }
  return next;
}

/**
 * The LADO referral could not deliver an email for good (it tries again each working day): the team manager is told
 * at once, as for the case's own emails (./undelivered.ts).
 */
function ladoEmailFailed(state: CaseState, report: ChildReport, context: CaseContext): CaseState {
  const step = timelineOf(state, context.policy, ukDateOf(context.now)).steps.find((s) => s.id === report.stepId);
  const failed = noticeFor(
    {
      caseReference: state.referral.caseReference,
      stepId: report.stepId ?? LADO_ACK_STEP.id,
      stepTitle: emailTitle(step?.title ?? LADO_ACK_STEP.title),
      dueDate: step !== undefined && isDated(step) ? step.dueDate : ukDateOf(context.now),
      kind: report.stepId === 'lado-referral' ? 'lado-referral' : 'overdue',
      recipient: 'lado',
    },
    `lado-report-${report.at}`,
  );
  const escalation = deliveryFailedNotice(failed, assignmentOf(state.referral, state.events, context.policy));
  return escalation === undefined ? state : { ...state, immediate: [...state.immediate, escalation] };
}

/** A child has ended (or could not be started again yet) at `now`. */
function childEnded(state: CaseState, child: ChildKind, now: number): CaseState {
  return {
    ...state,
    children: { ...state.children, [child]: 'ended' },
    childEndedAt: { ...state.childEndedAt, [child]: now },
  };
}

/** After a change: the stage, the rules' new findings, and the receipt. */
function settle(
  state: CaseState,
  command: CaseCommandName,
  recorded: string,
  seq: number,
  before: Timeline,
  context: CaseContext,
): Applied {
  const at = isoAt(context.now);
  const today = ukDateOf(context.now);
  const stage = deriveStage(state.referral, state.events);
  const lines: CaseLogEntry[] = [];
  if (stage !== state.stage) lines.push(line(at, 'stage-change', `stage ${state.stage} → ${stage}`));
  const after = timelineOf({ ...state, stage }, context.policy, today);
  for (const finding of newFindings(before.findings, after.findings)) {
    lines.push(line(at, 'rule-finding', `${finding.severity} ${finding.code} (${finding.rule})`, finding.stepId));
  }
  const next = withLog({ ...state, stage }, ...lines);
  const upcoming = stage === 'closed' ? undefined : nextStep(timelineOf(next, context.policy, today));
  return {
    ok: true,
    state: next,
    receipt: {
      caseReference: state.referral.caseReference,
      command,
      recorded,
      auditSeq: seq,
      acceptedAt: at,
      stage,
      ...(upcoming === undefined ? {} : { nextStep: { id: upcoming.id, dueDate: upcoming.dueDate } }),
      changedDueDates: dueDateChanges(before, timelineOf(next, context.policy, today)),
    },
  };
}

/** Whether the LADO track has been triggered by the case's referral and events (§2.6, §2.18). */
export function ladoTriggered(state: CaseState): boolean {
  return ladoTrigger_2_6_2_18(state.referral, state.events) !== undefined;
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

/** Steps dated in both timelines whose due date changed. */
export function dueDateChanges(before: Timeline, after: Timeline): DueDateChange[] {
  const old = new Map(before.steps.filter(isDated).map((s) => [s.id, s.dueDate]));
  const out: DueDateChange[] = [];
  for (const s of after.steps.filter(isDated)) {
    const from = old.get(s.id);
    if (from !== undefined && from !== s.dueDate) out.push({ stepId: s.id, from, to: s.dueDate });
  }
  return out;
}

/** A case log line. */
export function line(at: string, kind: CaseLogEntry['kind'], detail: string, stepId?: string): CaseLogEntry {
  return stepId === undefined ? { at, kind, detail } : { at, kind, stepId, detail };
}

/** Workflow time as an ISO instant. */
export function isoAt(now: number): string {
  return new Date(now).toISOString();
}
