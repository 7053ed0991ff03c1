/**
 * The timeline planner: for every step of the policy, its due date, what it counts from, the rule behind it,
 * its status on `today`, and the reminders and escalations still to come. Pure and deterministic — no clock,
 * no I/O — so Temporal workflow code can call it on every event and timer.
 */
import type { IsoDate } from '../calendar';
import type { CaseEvent, CaseEventOf } from '../case';
import { type AnchorId, type ProcedurePolicy, type ProcedureStep, projectingStepIndex } from '../policy';
import {
  type CaseFacts,
  deriveCaseFacts,
  evaluateRules,
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
  /** Planned one-off steps by policy index, filled in dependency order. */
  readonly planned: Map<number, TimelineStep>;
}

const orderCache = new WeakMap<ProcedurePolicy, number[]>();

/** Policy step indexes ordered so every step comes after the step that projects its anchor. */
function planningOrder(policy: ProcedurePolicy): number[] {
  const cached = orderCache.get(policy);
  if (cached !== undefined) return cached;
  const order: number[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (i: number) => {
    if (state.get(i) !== undefined) return; // the schema refuses cycles, so 'visiting' cannot recur
    state.set(i, 'visiting');
    const dep = projectingStepIndex(policy, policy.steps[i].countsFrom);
    if (dep !== undefined && dep !== i) visit(dep);
    state.set(i, 'done');
    order.push(i);
  };
  policy.steps.forEach((_, i) => visit(i));
  orderCache.set(policy, order);
  return order;
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
  const facts = deriveCaseFacts(referral, input.events);
  const events = facts.events;
  const extensions = new Map<string, CaseEventOf<'deadline-extended'>>();
  const notRequired = new Map<string, CaseEventOf<'step-not-required'>>();
  const byType = new Map<string, CaseEvent[]>();
  for (const e of events) {
    const list = byType.get(e.type);
    if (list === undefined) byType.set(e.type, [e]);
    else list.push(e);
    if (e.type === 'deadline-extended') extensions.set(e.stepId, e);
    else if (e.type === 'step-not-required' && !notRequired.has(e.stepId)) notRequired.set(e.stepId, e);
  }
  const previous = new Map<string, { dueDate: IsoDate; countsFromDate: IsoDate }>();
  for (const s of input.previous?.steps ?? [])
    previous.set(s.id, { dueDate: s.dueDate, countsFromDate: s.countsFrom.date });
  const ctx: Context = {
    input,
    facts,
    events,
    byType,
    extensions,
    notRequired,
    previous,
    ladoKnownOn: ladoTrigger_2_6_2_18(referral, events)?.knownOn,
    seriousResultsOn: seriousForensicResults(events)?.on,
    planned: new Map(),
  };
  const byIndex = new Map<number, TimelineStep[]>();
  for (const i of planningOrder(policy)) {
    const step = policy.steps[i];
    const planned = step.repeat === undefined ? planOneOff(ctx, step, i) : planRecurring(ctx, step, i);
    byIndex.set(i, planned);
    if (step.repeat === undefined && planned.length === 1) ctx.planned.set(i, planned[0]);
  }
  const steps = policy.steps.flatMap((_, i) => byIndex.get(i) ?? []);
  return {
    caseReference: referral.caseReference,
    policyId: policy.id,
    today,
    steps,
    findings: evaluateRules(referral, events, policy),
  };
}

/** A recorded anchor, or undefined when the date is unknown. */
function recordedAnchor(anchor: AnchorId, date: IsoDate | undefined, event?: CaseEvent): Anchor | undefined {
  return date === undefined ? undefined : { countsFrom: { event: anchor, date, basis: 'recorded' }, event };
}

/** Resolves what a step counts from, or undefined when it does not apply (yet). */
function resolveAnchor(ctx: Context, anchor: AnchorId, step: ProcedureStep): Anchor | undefined {
  const { referral, policy } = ctx.input;
  switch (anchor) {
    case 'referral-received':
      return recordedAnchor(anchor, referral.receivedOn);
    case 'arrest':
      return recordedAnchor(anchor, referral.police.arrestedOn);
    case 'devices-seized':
      return recordedAnchor(
        anchor,
        referral.police.devicesSeized.count > 0 ? referral.police.devicesSeized.seizedOn : undefined,
      );
    case 'pre-charge-bail-granted':
      return recordedAnchor(anchor, referral.police.preChargeBailGrantedOn);
    case 'works-with-children-known':
      return recordedAnchor(anchor, ctx.ladoKnownOn);
    case 'serious-forensic-results':
      return recordedAnchor(anchor, ctx.seriousResultsOn);
    default:
      break;
  }
  const candidates = ctx.byType.get(anchor) ?? [];
  let event: CaseEvent | undefined;
  if (anchor === 'written-agreement') {
    event = candidates.at(-1);
  } else if (anchor === 'strategy-discussion' && policy.strategyDiscussionAnchor === 'last') {
    // The last strategy discussion on or before the step's own event (e.g. the ICPC), or the latest so far.
    const own = ctx.byType.get(step.completedBy)?.[0];
    for (const e of candidates) if (own === undefined || e.occurredOn <= own.occurredOn) event = e;
  } else {
    event = candidates[0];
  }
  if (event !== undefined) return recordedAnchor(anchor, event.occurredOn, event);
  const projector = projectingStepIndex(policy, anchor);
  const planned = projector === undefined ? undefined : ctx.planned.get(projector);
  if (planned === undefined) return undefined;
  return { countsFrom: { event: anchor, date: planned.dueDate, basis: 'projected', step: planned.id } };
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
  return undefined;
}

/** Builds a timeline entry, with its status and the notifications still to come. */
function entry(
  ctx: Context,
  step: ProcedureStep,
  fields: {
    id: string;
    dueDate: IsoDate;
    countsFrom: CountsFrom;
    policyKey: string;
    completedOn?: IsoDate;
    notRequiredReason?: string;
    extension?: AppliedExtension;
    waiting?: boolean;
    /** The due date stands even though it counts from a projected date (after a skipped occurrence). */
    firm?: boolean;
    series?: { id: string; occurrence: number };
  },
): TimelineStep {
  const { policy, calendar, today } = ctx.input;
  let status: StepStatus;
  if (fields.completedOn !== undefined) status = 'done';
  else if (fields.notRequiredReason !== undefined) status = 'not-required';
  else if (fields.waiting === true) status = 'waiting';
  else if (today > fields.dueDate) status = 'overdue';
  else status = fields.countsFrom.basis === 'projected' && fields.firm !== true ? 'waiting' : 'due';
  const out: Mutable<TimelineStep> = {
    id: fields.id,
    title: step.title,
    track: step.track,
    status,
    dueDate: fields.dueDate,
    countsFrom: fields.countsFrom,
    rule: step.rule,
    policyKey: fields.policyKey,
    reminders: NONE,
    escalations: NONE,
  };
  if (fields.series !== undefined) {
    out.series = fields.series.id;
    out.occurrence = fields.series.occurrence;
  }
  if (fields.completedOn !== undefined) out.completedOn = fields.completedOn;
  if (fields.notRequiredReason !== undefined) out.notRequiredReason = fields.notRequiredReason;
  if (fields.extension !== undefined) out.extension = fields.extension;
  if (status === 'due' || status === 'overdue' || (status === 'waiting' && fields.waiting !== true)) {
    const { reminders, escalations } = scheduleNotifications(fields.id, fields.dueDate, step, policy, calendar, today);
    out.reminders = reminders;
    out.escalations = escalations;
  }
  return out;
}

/** Why an open step no longer applies, if it does not. */
function noLongerApplies(ctx: Context, id: string, period: Period | undefined, dueDate: IsoDate): string | undefined {
  const mark = ctx.notRequired.get(id);
  if (mark !== undefined) return mark.reason;
  if (ctx.facts.closedOn !== undefined) return 'case-closed';
  if (period?.until !== undefined && period.until < dueDate) return 'period-ended';
  return undefined;
}

/** Plans a one-off step: zero entries when it does not apply (e.g. LADO not triggered), else one. */
function planOneOff(ctx: Context, step: ProcedureStep, index: number): TimelineStep[] {
  const anchor = resolveAnchor(ctx, step.countsFrom, step);
  if (anchor === undefined) return [];
  const period = periodOf(ctx, step);
  if (step.during !== undefined && period === undefined) return [];
  const { policy, calendar } = ctx.input;
  const computed = dueDateAfter(anchor.countsFrom.date, step.offset, policy, calendar, anchor.event);
  const { dueDate, extension } = settleDueDate(ctx, step.id, computed, anchor.countsFrom);
  const from =
    step.completedOnOrAfter === 'due-date'
      ? dueDate
      : anchor.countsFrom.basis === 'recorded'
        ? anchor.countsFrom.date
        : ctx.input.referral.receivedOn;
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
      notRequiredReason:
        completedOn !== undefined
          ? undefined
          : // §2.16: an ICPC recorded as not required (census N00111) closes the conference step with its reason.
            step.completedBy === 'icpc' && ctx.facts.icpcNotRequired !== undefined
            ? ctx.facts.icpcNotRequired.reason
            : noLongerApplies(ctx, step.id, period, dueDate),
      extension,
    }),
  ];
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
  const firstDue = dueDateAfter(anchor.countsFrom.date, step.offset, policy, calendar, anchor.event);

  if (step.during !== undefined && period === undefined) {
    if (step.during === 'forensic-wait') return [];
    // No plan (yet): show the first occurrence, waiting for the ICPC, or not required when there will be none.
    const icpcDecided = ctx.facts.icpc !== undefined || ctx.facts.icpcNotRequired !== undefined;
    const reason = icpcDecided
      ? 'no-child-protection-plan'
      : ctx.facts.closedOn !== undefined
        ? 'case-closed'
        : undefined;
    const id = occurrenceId(step, 1);
    const { dueDate, extension } = settleDueDate(ctx, id, firstDue, anchor.countsFrom);
    return [
      entry(ctx, step, {
        id,
        dueDate,
        countsFrom: anchor.countsFrom,
        policyKey: `steps[${index}].offset`,
        notRequiredReason: reason ?? ctx.notRequired.get(id)?.reason,
        extension,
        waiting: true,
        series: { id: step.id, occurrence: 1 },
      }),
    ];
  }

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
    if (
      mark !== undefined &&
      (period?.until === undefined || dueDate <= period.until) &&
      ctx.facts.closedOn === undefined
    ) {
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
    if (period?.until !== undefined || ctx.facts.closedOn !== undefined) break; // the plan or wait is over
    out.push(
      entry(ctx, step, {
        id,
        dueDate,
        countsFrom,
        policyKey,
        extension,
        firm: n > 1,
        series: { id: step.id, occurrence: n },
      }),
    );
    break;
  }
  return out;
}
