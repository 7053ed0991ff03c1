/**
 * The timeline planner: for every step of the policy, its due date, what it counts from, the rule behind it,
 * its status on `today`, and the reminders and escalations still to come. Pure and deterministic — no clock,
 * no I/O — so Temporal workflow code can call it on every event and timer.
 */
import type { IsoDate } from '../calendar';
import type { CaseEvent, CaseEventOf } from '../case';
import type { AnchorId, ProcedurePolicy, ProcedureStep } from '../policy';
import {
  type CaseFacts,
  conferenceDecision_2_16,
  conferenceRequirement_2_16,
  currentEnquiry,
  deriveCaseFacts,
  evaluateRules,
  type Bail,
  bailOf,
  ladoTrigger_2_6_2_18,
  type Period,
  seriousForensicResults,
} from '../rules';
import { dueDateAfter } from './due-dates';
import { scheduleNotifications } from './notifications';
import type { AppliedExtension, CountsFrom, PlanInput, StepStatus, Timeline, TimelineStep } from './timeline';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const NONE: readonly never[] = Object.freeze([]);

/** Safety bound on occurrences of one recurring step (20+ years of fortnightly visits). */
const MAX_OCCURRENCES = 600;

/** A resolved anchor: its date, whether recorded or projected, and the event behind it. */
interface Anchor {
  readonly countsFrom: CountsFrom;
  readonly event?: CaseEvent;
}

/** Everything the per-step planning needs, computed once per call. */
interface Context {
  readonly input: PlanInput;
  readonly facts: CaseFacts;
  readonly events: readonly CaseEvent[];
  /** Events by type, each list in date order. */
  readonly byType: ReadonlyMap<string, readonly CaseEvent[]>;
  readonly extensions: ReadonlyMap<string, CaseEventOf<'deadline-extended'>>;
  readonly notRequired: ReadonlyMap<string, CaseEventOf<'step-not-required'>>;
  readonly previous: ReadonlyMap<string, { dueDate: IsoDate; countsFromDate: IsoDate }>;
  readonly ladoKnownOn?: IsoDate;
  readonly seriousResultsOn?: IsoDate;
  /** The current pre-charge bail, if any. */
  readonly bail?: Bail;
  /** Latest due dates set by `notLaterThanNext` (second pass). */
  readonly caps?: ReadonlyMap<string, IsoDate>;
}

/**
 * Plans a case: every step with its status, due date, what it counts from and the rule that set it, plus the
 * reminders and escalations still to come and the rules' findings. Honours deadline extensions, steps marked
 * not required, recurring occurrences while a plan (or the forensic wait) lasts, the LADO step only when
 * triggered, a new strategy discussion after serious forensic results, and — given `previous` — keeps due
 * dates already passed when a holiday is added to the calendar. Deterministic.
 */
export function planTimeline(input: PlanInput): Timeline {
  const { referral, policy, today } = input;
  const ctx = contextOf(input, input.events);
  // §2.18: serious forensic results start a new enquiry — its steps count from the new strategy discussion, with
  // what was recorded since; the rest of the case (the decision, the plan, the police side) goes on as it was.
  const enquiry = currentEnquiry(ctx.events);
  const cycle =
    enquiry.since === undefined
      ? ctx
      : contextOf({ ...input, referral: { ...referral, receivedOn: enquiry.since } }, enquiry.events, ctx);
  const planStep = (step: ProcedureStep, i: number, caps?: ReadonlyMap<string, IsoDate>) => {
    const base = step.restartsWithNewEnquiry === true ? cycle : ctx;
    const within = caps === undefined ? base : { ...base, caps };
    return step.repeat === undefined ? planOneOff(within, step, i) : planRecurring(within, step, i);
  };
  const planned = policy.steps.map((step, i) => planStep(step, i));
  // Steps due at the latest at the next open step of other series (a written agreement reviewed by the next
  // child-protection meeting): planned again with that date as their limit.
  const caps = notLaterThanNextCaps(policy.steps, planned.flat());
  const steps =
    caps.size === 0
      ? planned.flat()
      : planned.flatMap((entries, i) => (caps.has(policy.steps[i].id) ? planStep(policy.steps[i], i, caps) : entries));
  return {
    caseReference: referral.caseReference,
    policyId: policy.id,
    today,
    steps,
    findings: evaluateRules(referral, input.events, policy),
  };
}

/** For each open one-off step with `notLaterThanNext`, the due date of the next open step of those series. */
function notLaterThanNextCaps(
  policySteps: readonly ProcedureStep[],
  steps: readonly TimelineStep[],
): Map<string, IsoDate> {
  const caps = new Map<string, IsoDate>();
  for (const step of policySteps) {
    const series = step.notLaterThanNext;
    if (series === undefined || step.repeat !== undefined) continue;
    const own = steps.find((s) => s.id === step.id);
    if (own?.dueDate === undefined || own.countsFrom === undefined) continue;
    if (own.status !== 'due' && own.status !== 'overdue') continue;
    const from = own.countsFrom.date;
    let cap: IsoDate | undefined;
    for (const s of steps) {
      if (!series.includes(s.series ?? s.id) || (s.status !== 'due' && s.status !== 'overdue')) continue;
      if (s.dueDate === undefined || s.dueDate < from) continue;
      if (cap === undefined || s.dueDate < cap) cap = s.dueDate;
    }
    if (cap !== undefined && cap < own.dueDate) caps.set(step.id, cap);
  }
  return caps;
}

/**
 * What planning needs, computed once: the facts, events by type, extensions and marks. `whole` is the whole case
 * when planning a new enquiry: closure and the police side are the case's, not the enquiry's.
 */
function contextOf(input: PlanInput, events: readonly CaseEvent[], whole?: Context): Context {
  const { referral, policy } = input;
  const own = deriveCaseFacts(referral, events);
  const facts: CaseFacts =
    whole === undefined
      ? own
      : {
          ...own,
          closedOn: whole.facts.closedOn,
          forensicWait: whole.facts.forensicWait,
          forensicExamination: whole.facts.forensicExamination,
        };
  const extensions = new Map<string, CaseEventOf<'deadline-extended'>>();
  const notRequired = new Map<string, CaseEventOf<'step-not-required'>>();
  const byType = new Map<string, CaseEvent[]>();
  for (const e of facts.events) {
    const list = byType.get(e.type);
    if (list === undefined) byType.set(e.type, [e]);
    else list.push(e);
    if (e.type === 'deadline-extended') extensions.set(e.stepId, e);
    else if (e.type === 'step-not-required' && !notRequired.has(e.stepId)) notRequired.set(e.stepId, e);
  }
  const previous = new Map<string, { dueDate: IsoDate; countsFromDate: IsoDate }>();
  for (const s of input.previous?.steps ?? []) {
    if (s.dueDate !== undefined && s.countsFrom !== undefined) {
      previous.set(s.id, { dueDate: s.dueDate, countsFromDate: s.countsFrom.date });
    }
  }
  return {
    input,
    facts,
    events: facts.events,
    byType,
    extensions,
    notRequired,
    previous,
    ladoKnownOn: ladoTrigger_2_6_2_18(referral, facts.events)?.knownOn,
    seriousResultsOn: whole?.seriousResultsOn ?? seriousForensicResults(facts.events)?.on,
    bail: whole?.bail ?? bailOf(referral, facts.events, policy.preChargeBail),
  };
}

/** A recorded anchor, or undefined when the date is unknown. */
function recordedAnchor(anchor: AnchorId, date: IsoDate | undefined, event?: CaseEvent): Anchor | undefined {
  return date === undefined ? undefined : { countsFrom: { event: anchor, date, basis: 'recorded' }, event };
}

/**
 * What a step counts from: a recorded anchor; `waiting` for a case event not recorded yet (the step has no due
 * date until it is); undefined when the step does not apply (a fact the referral lacks, a trigger that has not
 * fired).
 */
function resolveAnchor(ctx: Context, anchor: AnchorId, step: ProcedureStep): Anchor | 'waiting' | undefined {
  const { referral, policy } = ctx.input;
  switch (anchor) {
    case 'referral-received':
      return recordedAnchor(anchor, referral.receivedOn);
    case 'arrest':
      return recordedAnchor(anchor, referral.police.arrestedOn);
    case 'devices-seized':
      return recordedAnchor(anchor, ctx.facts.forensicExamination?.from);
    case 'pre-charge-bail-granted':
      return recordedAnchor(anchor, ctx.bail?.startedOn);
    case 'pre-charge-bail-ends':
      return recordedAnchor(anchor, ctx.bail?.endsOn);
    case 'written-agreement-breached':
      // §2.10–2.11: the latest breach calls for a new strategy discussion.
      return recordedAnchor(anchor, ctx.byType.get('written-agreement-breached')?.at(-1)?.occurredOn);
    case 'young-person-alleged':
      // §1.7: an alleged person who is a young person takes the specialist route from the referral.
      return recordedAnchor(anchor, referral.allegedPerson.youngPerson === true ? referral.receivedOn : undefined);
    case 'works-with-children-known':
      return recordedAnchor(anchor, ctx.ladoKnownOn);
    case 'serious-forensic-results':
      return recordedAnchor(anchor, ctx.seriousResultsOn);
    case 'section-47-initiated': {
      const event = strategyDiscussionFor(ctx, step, ctx.facts.section47Discussions);
      return event === undefined ? 'waiting' : recordedAnchor(anchor, event.occurredOn, event);
    }
    case 'conference-decided': {
      const decision = conferenceDecision_2_16(referral, ctx.facts);
      return decision === undefined ? 'waiting' : recordedAnchor(anchor, decision.occurredOn, decision);
    }
    default:
      break;
  }
  const candidates = ctx.byType.get(anchor) ?? [];
  let event: CaseEvent | undefined;
  if (anchor === 'written-agreement' || anchor === 'icpc') {
    // The latest agreement; the conference that made the plan in force (a new enquiry may hold another).
    event = candidates.at(-1);
  } else if (anchor === 'strategy-discussion') {
    event = strategyDiscussionFor(ctx, step, candidates);
  } else {
    event = candidates[0];
  }
  if (event !== undefined) return recordedAnchor(anchor, event.occurredOn, event);
  // The step this event would complete was marked not required (no partner to interview): count from what that
  // step counts from, so nothing after it waits for an event that will never be recorded.
  const skipped = policy.steps.find(
    (p) => p.repeat === undefined && p.completedBy === anchor && ctx.notRequired.has(p.id),
  );
  if (skipped !== undefined && skipped.countsFrom !== anchor) return resolveAnchor(ctx, skipped.countsFrom, skipped);
  return 'waiting';
}

/**
 * The strategy discussion a step counts from: the first, or — where the policy says `last` — the last one on or
 * before the step's own event (e.g. the ICPC), or the latest so far.
 */
function strategyDiscussionFor(
  ctx: Context,
  step: ProcedureStep,
  discussions: readonly CaseEvent[],
): CaseEvent | undefined {
  if (ctx.input.policy.strategyDiscussionAnchor === 'first') return discussions[0];
  const own = ctx.byType.get(step.completedBy)?.[0];
  let event: CaseEvent | undefined;
  for (const e of discussions) if (own === undefined || e.occurredOn <= own.occurredOn) event = e;
  return event;
}

/** The event a step waiting for `anchor` waits for, as `case show` names it. */
function awaitedEvent(ctx: Context, anchor: AnchorId): AnchorId {
  if (anchor === 'section-47-initiated') return 'strategy-discussion';
  if (anchor === 'conference-decided') {
    return conferenceRequirement_2_16(ctx.input.referral, ctx.events).required
      ? 'strategy-discussion'
      : 'icpc-convened';
  }
  return anchor;
}

/**
 * Whether a step belongs to the Section 47 enquiry: it counts from the enquiry's start or the conference decision,
 * is completed only by an enquiry's start, lasts only while a plan does, or counts from an event that a step of
 * the enquiry completes.
 */
function partOfEnquiry(policy: ProcedurePolicy, step: ProcedureStep, seen: Set<string> = new Set()): boolean {
  if (seen.has(step.id)) return false;
  seen.add(step.id);
  const enquiryAnchors: readonly AnchorId[] = ['section-47-initiated', 'conference-decided'];
  if (
    step.completedOnlyWhen === 'section-47-initiated' ||
    step.during === 'child-protection-plan' ||
    enquiryAnchors.includes(step.countsFrom) ||
    (step.plannedOnceKnown !== undefined && enquiryAnchors.includes(step.plannedOnceKnown))
  ) {
    return true;
  }
  return policy.steps.some((s) => s.completedBy === step.countsFrom && s !== step && partOfEnquiry(policy, s, seen));
}

/**
 * Why a child-protection step closes with the enquiry: the referral was decided without one (every step of the
 * procedure but the decision itself), or the strategy discussions held did not initiate one (the enquiry's
 * steps). Steps started by a rule's trigger (serious forensic results) live on.
 */
function closedWithEnquiry(ctx: Context, step: ProcedureStep): string | undefined {
  const ended = ctx.facts.enquiryEnded;
  if (ended === undefined || step.track !== 'child-protection') return undefined;
  if (step.countsFrom === 'serious-forensic-results' || step.countsFrom === 'works-with-children-known')
    return undefined;
  if (ended.reason === 'section-47-not-initiated') {
    return partOfEnquiry(ctx.input.policy, step) ? ended.reason : undefined;
  }
  return step.completedBy === 'referral-decision' ? undefined : ended.reason;
}

/** The first event completing `step` that happened on or after `from` (excluding the anchoring event). */
function completingEvent(
  ctx: Context,
  step: ProcedureStep,
  from: IsoDate,
  anchorEvent: CaseEvent | undefined,
): CaseEvent | undefined {
  for (const e of ctx.byType.get(step.completedBy) ?? []) {
    if (e === anchorEvent || e.occurredOn < from) continue;
    if (
      step.completedOnlyWhen === 'section-47-initiated' &&
      !(e.type === 'strategy-discussion' && e.section47 === 'initiated')
    )
      continue;
    return e;
  }
  return undefined;
}

/** Applies an agreed extension, or keeps a due date the previous timeline had already passed. */
function settleDueDate(
  ctx: Context,
  id: string,
  computed: IsoDate,
  countsFrom: CountsFrom,
): { dueDate: IsoDate; extension?: AppliedExtension } {
  const ext = ctx.extensions.get(id);
  if (ext !== undefined) {
    return {
      dueDate: ext.newDueDate,
      extension: {
        originalDueDate: computed,
        newDueDate: ext.newDueDate,
        reason: ext.reason,
        agreedBy: ext.agreedBy,
        agreedOn: ext.occurredOn,
      },
    };
  }
  const prev = ctx.previous.get(id);
  if (
    prev !== undefined &&
    prev.countsFromDate === countsFrom.date &&
    prev.dueDate < ctx.input.today &&
    prev.dueDate !== computed
  ) {
    return { dueDate: prev.dueDate };
  }
  return { dueDate: computed };
}

/** The period a step is confined to, if any. */
function periodOf(ctx: Context, step: ProcedureStep): Period | undefined {
  if (step.during === 'child-protection-plan') return ctx.facts.plan;
  if (step.during === 'forensic-wait') return ctx.facts.forensicWait;
  if (step.during === 'forensic-examination') return ctx.facts.forensicExamination;
  return undefined;
}

/** Builds a timeline entry, with its status and the notifications still to come. */
function entry(
  ctx: Context,
  step: ProcedureStep,
  fields: {
    id: string;
    /** Absent for a step waiting for its anchor (`waitsFor`), or one that ended before it had one. */
    dueDate?: IsoDate;
    countsFrom?: CountsFrom;
    waitsFor?: AnchorId;
    policyKey: string;
    completedOn?: IsoDate;
    notRequiredReason?: string;
    extension?: AppliedExtension;
    series?: { id: string; occurrence: number };
  },
): TimelineStep {
  const { policy, calendar, today } = ctx.input;
  let status: StepStatus;
  if (fields.completedOn !== undefined) status = 'done';
  else if (fields.notRequiredReason !== undefined) status = 'not-required';
  else if (fields.dueDate === undefined) status = 'waiting';
  else if (today > fields.dueDate) status = 'overdue';
  else status = 'due';
  const out: Mutable<TimelineStep> = {
    id: fields.id,
    title: step.title,
    track: step.track,
    status,
    rule: step.rule,
    policyKey: fields.policyKey,
    reminders: NONE,
    escalations: NONE,
  };
  if (fields.dueDate !== undefined && fields.countsFrom !== undefined && status !== 'waiting') {
    out.dueDate = fields.dueDate;
    out.countsFrom = fields.countsFrom;
  }
  if (status === 'waiting' && fields.waitsFor !== undefined) out.waitsFor = fields.waitsFor;
  if (fields.series !== undefined) {
    out.series = fields.series.id;
    out.occurrence = fields.series.occurrence;
  }
  if (fields.completedOn !== undefined) out.completedOn = fields.completedOn;
  if (fields.notRequiredReason !== undefined) out.notRequiredReason = fields.notRequiredReason;
  if (fields.extension !== undefined) out.extension = fields.extension;
  if ((status === 'due' || status === 'overdue') && fields.dueDate !== undefined) {
    const { reminders, escalations } = scheduleNotifications(fields.id, fields.dueDate, step, policy, calendar, today);
    out.reminders = reminders;
    out.escalations = escalations;
  }
  return out;
}

/** Whether the case's closure closes the step: the police investigation is still followed after it (§2.17). */
function closedWithCase(ctx: Context, step: ProcedureStep): boolean {
  return ctx.facts.closedOn !== undefined && step.track !== 'forensic';
}

/** Why an open step no longer applies, if it does not. */
function noLongerApplies(
  ctx: Context,
  step: ProcedureStep,
  id: string,
  period: Period | undefined,
  dueDate: IsoDate | undefined,
): string | undefined {
  const mark = ctx.notRequired.get(id);
  if (mark !== undefined) return mark.reason;
  if (closedWithCase(ctx, step)) return 'case-closed';
  const withEnquiry = closedWithEnquiry(ctx, step);
  if (withEnquiry !== undefined) return withEnquiry;
  if (period?.until !== undefined && (dueDate === undefined || period.until < dueDate)) return 'period-ended';
  return undefined;
}

/** Plans a one-off step: zero entries when it does not apply (e.g. LADO not triggered), else one. */
function planOneOff(ctx: Context, step: ProcedureStep, index: number): TimelineStep[] {
  const anchor = resolveAnchor(ctx, step.countsFrom, step);
  if (anchor === undefined) return [];
  const period = periodOf(ctx, step);
  if (step.during !== undefined && period === undefined) return [];
  if (anchor === 'waiting') {
    return [awaitingAnchor(ctx, step, step.id, `steps[${index}].offset`, period, step.countsFrom)];
  }
  if (step.plannedOnceKnown !== undefined) {
    const gate = resolveAnchor(ctx, step.plannedOnceKnown, step);
    if (gate === undefined) return [];
    if (gate === 'waiting') {
      return [awaitingAnchor(ctx, step, step.id, `steps[${index}].offset`, period, step.plannedOnceKnown)];
    }
  }
  const { policy, calendar } = ctx.input;
  const computed = dueDateAfter(anchor.countsFrom.date, step.offset, policy, calendar, anchor.event);
  const settled = settleDueDate(ctx, step.id, computed, anchor.countsFrom);
  const { extension } = settled;
  const cap = ctx.caps?.get(step.id);
  const dueDate = cap !== undefined && cap < settled.dueDate ? cap : settled.dueDate;
  const from = step.completedOnOrAfter === 'due-date' ? dueDate : anchor.countsFrom.date;
  const done = completingEvent(ctx, step, from, anchor.event);
  const completedOn =
    done !== undefined && (period?.until === undefined || done.occurredOn <= period.until)
      ? done.occurredOn
      : undefined;
  return [
    entry(ctx, step, {
      id: step.id,
      dueDate,
      countsFrom: anchor.countsFrom,
      policyKey: `steps[${index}].offset`,
      completedOn,
      notRequiredReason: completedOn !== undefined ? undefined : closingReason(ctx, step, period, dueDate),
      extension,
    }),
  ];
}

/** Why an open one-off step is closed without being done, if it is. */
function closingReason(
  ctx: Context,
  step: ProcedureStep,
  period: Period | undefined,
  dueDate: IsoDate | undefined,
): string | undefined {
  // §2.16: an ICPC recorded as not required (census N00111) closes the conference step with its reason.
  const icpcNotRequired = ctx.facts.icpcNotRequired;
  if (icpcNotRequired !== undefined && (step.completedBy === 'icpc' || step.completedBy === 'icpc-booked')) {
    return icpcNotRequired.reason;
  }
  // The LADO's outcome closes what is left of the LADO track.
  if (step.track === 'lado' && (ctx.byType.get('lado-outcome')?.length ?? 0) > 0) return 'lado-outcome-recorded';
  // A conference already held needs no booking.
  if (step.completedBy === 'icpc-booked' && ctx.facts.icpc !== undefined) return 'icpc-held';
  return noLongerApplies(ctx, step, step.id, period, dueDate);
}

/**
 * A step whose anchor (a case event) is not recorded yet: no due date, so nothing is reminded, escalated or
 * listed overdue. It is done if its own event was recorded all the same, closed if it no longer applies, else
 * waiting for the anchor.
 */
function awaitingAnchor(
  ctx: Context,
  step: ProcedureStep,
  id: string,
  policyKey: string,
  period: Period | undefined,
  waitingFor: AnchorId,
): TimelineStep {
  const done = completingEvent(ctx, step, ctx.input.referral.receivedOn, undefined);
  const completedOn = step.repeat === undefined ? done?.occurredOn : undefined;
  return entry(ctx, step, {
    id,
    waitsFor: awaitedEvent(ctx, waitingFor),
    policyKey,
    ...(completedOn !== undefined
      ? { completedOn }
      : { notRequiredReason: closingReason(ctx, step, period, undefined) }),
  });
}

/** Occurrence `n` of a recurring step: `first-core-group`, `core-group-2`, `visit-1`… */
function occurrenceId(step: ProcedureStep, n: number): string {
  return n === 1 ? (step.repeat?.firstOccurrenceId ?? `${step.id}-1`) : `${step.id}-${n}`;
}

/** Plans a recurring step: its completed occurrences, then the next one (while its period lasts). */
function planRecurring(ctx: Context, step: ProcedureStep, index: number): TimelineStep[] {
  const repeat = step.repeat;
  if (repeat === undefined) return [];
  const { policy, calendar } = ctx.input;
  const anchor = resolveAnchor(ctx, step.countsFrom, step);
  if (anchor === undefined) return [];
  const period = periodOf(ctx, step);

  if (anchor === 'waiting' || (step.during !== undefined && period === undefined)) {
    if (step.during === 'forensic-wait') return [];
    // No plan (yet): the first occurrence waits for its anchor, or is not required when there will be none.
    const icpcDecided = ctx.facts.icpc !== undefined || ctx.facts.icpcNotRequired !== undefined;
    const id = occurrenceId(step, 1);
    const reason =
      step.during === 'child-protection-plan' && icpcDecided
        ? 'no-child-protection-plan'
        : closedWithCase(ctx, step)
          ? 'case-closed'
          : (closedWithEnquiry(ctx, step) ?? ctx.notRequired.get(id)?.reason);
    return [
      entry(ctx, step, {
        id,
        waitsFor: awaitedEvent(ctx, step.countsFrom),
        policyKey: `steps[${index}].offset`,
        ...(reason === undefined ? {} : { notRequiredReason: reason }),
        series: { id: step.id, occurrence: 1 },
      }),
    ];
  }
  const firstDue = dueDateAfter(anchor.countsFrom.date, step.offset, policy, calendar, anchor.event);

  const completions: CaseEvent[] = [];
  for (const e of ctx.byType.get(step.completedBy) ?? []) {
    if (
      e !== anchor.event &&
      e.occurredOn >= anchor.countsFrom.date &&
      (period?.until === undefined || e.occurredOn <= period.until)
    ) {
      completions.push(e);
    }
  }
  const out: TimelineStep[] = [];
  let countsFrom = anchor.countsFrom;
  let next = 0;
  for (let n = 1; n <= MAX_OCCURRENCES; n += 1) {
    const id = occurrenceId(step, n);
    const computed = n === 1 ? firstDue : dueDateAfter(countsFrom.date, repeat.every, policy, calendar);
    const { dueDate, extension } = settleDueDate(ctx, id, computed, countsFrom);
    const policyKey = n === 1 ? `steps[${index}].offset` : `steps[${index}].repeat.every`;
    const done = completions[next];
    if (done !== undefined) {
      next += 1;
      out.push(
        entry(ctx, step, {
          id,
          dueDate,
          countsFrom,
          policyKey,
          completedOn: done.occurredOn,
          extension,
          series: { id: step.id, occurrence: n },
        }),
      );
      countsFrom = { event: step.completedBy, date: done.occurredOn, basis: 'recorded', step: id };
      continue;
    }
    const mark = ctx.notRequired.get(id);
    if (mark !== undefined && (period?.until === undefined || dueDate <= period.until) && !closedWithCase(ctx, step)) {
      out.push(
        entry(ctx, step, {
          id,
          dueDate,
          countsFrom,
          policyKey,
          notRequiredReason: mark.reason,
          extension,
          series: { id: step.id, occurrence: n },
        }),
      );
      countsFrom = { event: step.completedBy, date: dueDate, basis: 'projected', step: id };
      continue;
    }
    if (period?.until !== undefined || closedWithCase(ctx, step)) break; // the plan or wait is over
    out.push(
      entry(ctx, step, {
        id,
        dueDate,
        countsFrom,
        policyKey,
        extension,
        series: { id: step.id, occurrence: n },
      }),
    );
    break;
  }
  return out;
}
