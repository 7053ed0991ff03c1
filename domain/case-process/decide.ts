/**
 * What a case does next, at `now`: `decideNext(state, context)` returns the notices to send, the children to
 * start and the messages to give them, the values to publish, when to wake again, and — once a closed case has
 * nothing left in flight — its result. The workflow carries the decision out; the decision's state records that
 * it was made (notices in flight, children started), so deciding again at once adds nothing.
 */
import { type IsoDate, ukDateOf, ukInstant, yearOf } from '../calendar';
import type { CaseEvent, Referral } from '../case';
import { isDated, type Timeline } from '../planner';
import type { RecipientRef } from '../notifications';
import type { ProcedurePolicy } from '../policy';
import { deriveCaseFacts, ladoTrigger_2_6_2_18 } from '../rules';
import { eventsForChild, isoAt, line } from './apply';
import { assignmentOf } from './assignment';
import {
  BEGINNING,
  dueThrough,
  initialNotifiedThrough,
  nextWakeAt,
  NOTIFY_HOUR,
  notificationWindow,
  overdueEscalationTimeline,
} from './delivery';
import {
  allocationNotice,
  ladoRecipient,
  type Notice,
  recipientFor,
  scheduledNotices,
  sentForOf,
  type StepTrack,
} from './notices';
import { type CaseSearchValues, isClosed, searchValuesOf, timelineOf } from './read';
import { calendarOf, type CaseContext, type CaseState, type ChildMessage, withLog } from './state';
import type { CaseLogEntry, CaseResult } from './types';
import { handledIds, nextRetryAt, retriesDue, settleOutcomes } from './undelivered';

/** Tracks whose notices the case sends itself; the forensic track is the forensic wait's. */
export const CASE_TRACKS: readonly StepTrack[] = ['child-protection', 'lado'];

/** What the LADO referral child needs to start (§2.6, §2.18). */
export interface LadoStart {
  readonly caseReference: string;
  /** Date the case learned of the work with children / position of trust. */
  readonly knownOn: IsoDate;
  /** Due date of the `lado-referral` step. */
  readonly dueDate: IsoDate;
  readonly stepTitle: string;
  /** Set when the referral was recorded as sent before the child started. */
  readonly referralSentOn?: IsoDate;
  /** The case's events the referral follows, as of its start (a referral started again after a correction). */
  readonly events?: readonly CaseEvent[];
  /** The acknowledgement is expected this many working days after sending; the LADO is chased at these offsets after that. */
  readonly chase: { readonly ackWithinWorkingDays: number; readonly chaseAfterWorkingDays: readonly number[] };
  readonly calendar: CaseState['calendar'];
  /** The LADO of the case's authority, as the policy names it. */
  readonly lado: RecipientRef;
}

/** What the forensic-wait child needs to start. */
export interface ForensicStart {
  readonly referral: Referral;
  readonly calendar: CaseState['calendar'];
  /** The case's events the wait follows, as of its start. */
  readonly events: readonly CaseEvent[];
  readonly frozen?: Timeline;
}

/** A child to start. */
export type ChildStart =
  { readonly kind: 'lado'; readonly input: LadoStart } | { readonly kind: 'forensic'; readonly input: ForensicStart };

/** What the case does now. */
export interface Decision {
  readonly state: CaseState;
  /** Notices to send now, as one batch. */
  readonly notices: readonly Notice[];
  readonly childStarts: readonly ChildStart[];
  readonly childMessages: readonly ChildMessage[];
  readonly searchValues: CaseSearchValues;
  /** The instant to wake at, unless something happens first; undefined: nothing scheduled. */
  readonly wakeAt?: number;
  /** Set once the case is closed and nothing is left in flight: the workflow completes with it. */
  readonly result?: CaseResult;
  /** The years of holidays the case needs next (its calendar grows with it): load them and `extend-calendar`. */
  readonly calendarWanted?: YearRange;
}

/** An inclusive range of years. */
export interface YearRange {
  readonly fromYear: number;
  readonly toYear: number;
}

/**
 * How far ahead a case's calendar reaches: it asks for more years once it covers fewer than
 * {@link CALENDAR_MIN_YEARS_AHEAD} after today's, and then for {@link CALENDAR_YEARS_AHEAD}.
 */
export const CALENDAR_MIN_YEARS_AHEAD = 3;
/** See {@link CALENDAR_MIN_YEARS_AHEAD}. */
export const CALENDAR_YEARS_AHEAD = 5;

/** When a case with nothing else to do wakes to grow its calendar: the first day of the year it will need more. */
function calendarWakeAt(state: CaseState, now: number): number | undefined {
  const covered = calendarOf(state).coveredYears;
  if (covered === undefined) return undefined;
  const year = String(covered.to - CALENDAR_MIN_YEARS_AHEAD + 1).padStart(4, '0');
  const at = ukInstant(`${year}-01-01` as IsoDate, NOTIFY_HOUR);
  // Already due: the growth is asked for now (`calendarWanted`) and its arrival wakes the case.
  return at > now ? at : undefined;
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

/** The years the case's calendar must grow by at `today`, if any. */
export function calendarWanted(state: CaseState, today: IsoDate): YearRange | undefined {
  const covered = calendarOf(state).coveredYears;
  const year = yearOf(today);
  if (covered === undefined || covered.to >= year + CALENDAR_MIN_YEARS_AHEAD) return undefined;
  return { fromYear: covered.to + 1, toYear: year + CALENDAR_YEARS_AHEAD };
}

/** Decides what the case does at `context.now` (see the module comment). */
export function decideNext(state: CaseState, context: CaseContext): Decision {
  const today = ukDateOf(context.now);
  let next = state;
  const childStarts: ChildStart[] = [];
  let restartAt: number | undefined;
  if (!isClosed(next)) {
    const started = startChildren(next, context.policy, context.now);
    next = started.state;
    childStarts.push(...started.starts);
    restartAt = started.restartAt;
  }
  const childMessages = next.outbox.filter((m) => next.children[m.child] === 'running');
  if (next.outbox.length > 0) next = { ...next, outbox: [] };

  const notices = isClosed(next) ? [] : [...allocation(next, context), ...dueNotices(next, context)];
  // Undelivered notices go again on their retry day (they are neither done nor in flight meanwhile).
  const fresh = [
    ...unsent(next, [...notices, ...next.immediate]),
    ...retriesDue(next.delivery.undelivered, next.delivery.inFlight, context.now),
  ];
  next = {
    ...next,
    immediate: [],
    delivery: {
      ...deliveryAfter(next, context),
      inFlight: [...next.delivery.inFlight, ...fresh.map((n) => n.notificationId)],
    },
  };

  const timeline = timelineOf(next, context.policy, today);
  const wakeAt = isClosed(next)
    ? undefined
    : earliest(
        earliest(nextWakeAt(timeline, context.now, CASE_TRACKS), calendarWakeAt(next, context.now)),
        earliest(restartAt, nextRetryAt(next.delivery.undelivered, context.now)),
      );
  next = { ...next, delivery: { ...next.delivery, ...(wakeAt === undefined ? { wakeAt: undefined } : { wakeAt }) } };
  const result = isClosed(next) && fresh.length === 0 ? closingResult(next, today) : undefined;
  const wanted = isClosed(next) ? undefined : calendarWanted(next, today);
  return {
    ...(wanted === undefined ? {} : { calendarWanted: wanted }),
    state: next,
    notices: fresh,
    childStarts,
    childMessages,
    searchValues: searchValuesOf(next, context.policy, today),
    ...(wakeAt === undefined ? {} : { wakeAt }),
    ...(result === undefined ? {} : { result }),
  };
}

/** At opening, the allocation notice to the practitioner: the case's first deadlines. */
function allocation(state: CaseState, context: CaseContext): Notice[] {
  if (state.delivery.notifiedThrough !== undefined) return [];
  const today = ukDateOf(context.now);
  const notice = allocationNotice(
    timelineOf(state, context.policy, today),
    recipientFor('practitioner', assignmentOf(state.referral, state.events, context.policy)),
    `allocated-${today}`,
  );
  return notice === undefined ? [] : [notice];
}

/**
 * The scheduled notices due at `now`: those of the dates since the last one handled (only today's when woken
 * early by a command), then the escalations overdue steps are still owed — at opening, and after days without a
 * worker, instead of every stale reminder.
 */
function dueNotices(state: CaseState, context: CaseContext): Notice[] {
  const { policy, now } = context;
  const notifiedThrough = state.delivery.notifiedThrough ?? initialNotifiedThrough(now);
  const wakeAt = state.delivery.wakeAt;
  const window = notificationWindow(now, notifiedThrough, wakeAt !== undefined && now >= wakeAt);
  const assignment = assignmentOf(state.referral, state.events, policy);
  const out: Notice[] = [];
  let owedAfter = state.delivery.notifiedThrough === undefined ? BEGINNING : state.delivery.owedAfter;
  if (window !== undefined) {
    if (window.from < window.through) {
      // Days without a worker: the notices of the last day, then what the overdue steps are owed.
      out.push(
        ...scheduledNotices(
          timelineOf(state, policy, window.through),
          window.through,
          window.through,
          CASE_TRACKS,
          assignment,
        ),
      );
      owedAfter ??= notifiedThrough;
    } else {
      out.push(
        ...scheduledNotices(
          timelineOf(state, policy, window.from),
          window.from,
          window.through,
          CASE_TRACKS,
          assignment,
        ),
      );
    }
  }
  if (owedAfter !== undefined) {
    const through = dueThrough(now);
    const owed = overdueEscalationTimeline(
      timelineOf(state, policy, ukDateOf(now)),
      policy,
      calendarOf(state),
      owedAfter,
      through,
      CASE_TRACKS,
    );
    out.push(...scheduledNotices(owed, BEGINNING, through, CASE_TRACKS, assignment));
  }
  return out;
}

/** The delivery state once this decision's notices are handled: the last date handled, nothing owed. */
function deliveryAfter(state: CaseState, context: CaseContext): CaseState['delivery'] {
  const { delivery } = state;
  if (isClosed(state)) return delivery;
  const notifiedThrough = delivery.notifiedThrough ?? initialNotifiedThrough(context.now);
  const through = dueThrough(context.now);
  const { owedAfter: _handled, ...rest } = delivery;
  return { ...rest, notifiedThrough: through > notifiedThrough ? through : notifiedThrough };
}

/** The notices not delivered, in flight or listed before (each id once). */
function unsent(state: CaseState, notices: readonly Notice[]): Notice[] {
  const taken = handledIds(state.delivery);
  const out: Notice[] = [];
  for (const notice of notices) {
    if (taken.has(notice.notificationId)) continue;
    taken.add(notice.notificationId);
    out.push(notice);
  }
  return out;
}

/** Starts the LADO referral once triggered (§2.6, §2.18) and the forensic wait once devices are seized. */
function startChildren(
  state: CaseState,
  policy: ProcedurePolicy,
  now: number,
): { state: CaseState; starts: ChildStart[]; restartAt?: number } {
  const today = ukDateOf(now);
  const at = isoAt(now);
  let next = state;
  const starts: ChildStart[] = [];
  const lines: CaseLogEntry[] = [];
  const trigger = next.children.lado === 'not-started' ? ladoTrigger_2_6_2_18(next.referral, next.events) : undefined;
  if (trigger !== undefined) {
    const step = timelineOf(next, policy, today).steps.find((s) => s.id === 'lado-referral');
    const policyStep = policy.steps.find((s) => s.id === 'lado-referral');
    const sent = next.events.find((e) => e.type === 'lado-referral-sent');
    starts.push({
      kind: 'lado',
      input: {
        caseReference: next.referral.caseReference,
        knownOn: trigger.knownOn,
        dueDate: step !== undefined && isDated(step) ? step.dueDate : trigger.knownOn,
        stepTitle: policyStep?.title ?? 'Referral to the Local Authority Designated Officer',
        ...(sent === undefined ? {} : { referralSentOn: sent.occurredOn }),
        chase: {
          ackWithinWorkingDays: policyStep?.offset.workingDays ?? 1,
          chaseAfterWorkingDays: policy.notifications.escalations.map((e) => e.workingDaysAfterDue),
        },
        calendar: next.calendar,
        lado: ladoRecipient(assignmentOf(next.referral, next.events, policy)),
      },
    });
    next = { ...next, children: { ...next.children, lado: 'running' } };
    lines.push(
      line(
        at,
        'lado',
        `LADO referral triggered (${trigger.rule}, known ${trigger.knownOn} from the ${trigger.source}); LADO workflow started`,
        'lado-referral',
      ),
    );
  }
  const wait = deriveCaseFacts(next.referral, next.events).forensicWait;
  const waiting = wait !== undefined && wait.until === undefined;
  // A wait re-opened by a correction (the police's decision withdrawn) is followed again, once the ended run has
  // had time to finish: a workflow id cannot be started again while its previous run is still completing.
  const again =
    next.children.forensic === 'ended' ? (next.childEndedAt?.forensic ?? 0) + CHILD_RESTART_AFTER_MS : undefined;
  let restartAt: number | undefined;
  if (waiting && again !== undefined && now < again) restartAt = again;
  else if (waiting && next.children.forensic !== 'running') {
    starts.push({
      kind: 'forensic',
      input: {
        referral: next.referral,
        calendar: next.calendar,
        events: eventsForChild('forensic', next.events),
        ...(next.frozen === undefined ? {} : { frozen: next.frozen }),
      },
    });
    next = { ...next, children: { ...next.children, forensic: 'running' } };
    lines.push(
      line(
        at,
        'forensic',
        `forensic wait ${again === undefined ? 'started' : 'followed again'} (police investigation followed from ${wait.from})`,
      ),
    );
  }
  return { state: withLog(next, ...lines), starts, ...(restartAt === undefined ? {} : { restartAt }) };
}

/** How long after a child reported its end the case waits before starting it again. */
export const CHILD_RESTART_AFTER_MS = 60_000;

/** A closed case's result, once nothing is left in flight and no child runs. */
function closingResult(state: CaseState, today: IsoDate): CaseResult | undefined {
  if (state.delivery.inFlight.length > 0 || state.outbox.length > 0) return undefined;
  if (state.children.lado === 'running' || state.children.forensic === 'running') return undefined;
  const closure = state.events.find((e) => e.type === 'case-closed');
  return {
    caseReference: state.referral.caseReference,
    closedOn: closure?.occurredOn ?? today,
    reason: closure?.type === 'case-closed' ? closure.reason : 'closed',
    runs: state.runNumber,
  };
}

/** How one notice went. */
export interface NoticeOutcome {
  readonly notice: Notice;
  readonly status: 'sent' | 'already-sent' | 'failed';
  /** Failure type and message (no personal data) when `failed`. */
  readonly failure?: string;
}

/**
 * Records how a batch of notices went: delivered, or failed for good — then shown on the case, escalated once and
 * tried again each working day (./undelivered.ts) — and logged.
 */
export function settleNotices(
  state: CaseState,
  outcomes: readonly NoticeOutcome[],
  at: string,
  policy: ProcedurePolicy,
): CaseState {
  const settled = settleOutcomes(state.delivery, outcomes, {
    at,
    calendar: calendarOf(state),
    // With the policy: the service manager is the case's authority's, never the directory's default.
    assignment: assignmentOf(state.referral, state.events, policy),
  });
  return withLog(
    { ...state, immediate: [...state.immediate, ...settled.escalations], delivery: settled.delivery },
    ...settled.lines,
  );
}

/**
 * The state to carry into the next run (continue-as-new): the delivered ids that can still be asked for (dated
 * on or after the last date handled, or not dated), and the next run number.
 */
export function carriedState(state: CaseState, at: string, historyLength: number): CaseState {
  const since = state.delivery.notifiedThrough;
  const done =
    since === undefined
      ? state.delivery.done
      : state.delivery.done.filter((id) => !/^\d{4}-\d{2}-\d{2}$/.test(sentForOf(id)) || sentForOf(id) >= since);
  return withLog(
    { ...state, delivery: { ...state.delivery, done }, runNumber: state.runNumber + 1 },
    line(at, 'continued-as-new', `run ${state.runNumber} continued as new after ${historyLength} history events`),
  );
}
