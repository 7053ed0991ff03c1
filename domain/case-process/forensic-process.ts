/**
 * The forensic wait as a pure process (§2.17): what the forensic-wait child does beside the case for as long as
 * the police investigate — which police-update and bail reminders are due now, when to wake next, and when the
 * wait is over. The forensic workflow only carries it out: it applies what the case tells it
 * (`applyForensicMessage`), decides (`decideForensic`), sends, and settles how the emails went
 * (`settleForensicNotices`). It never holds the child-protection steps back: those are the case's own.
 */
import { type CalendarData, type IsoDate, sharedCalendar, ukDateOf } from '../calendar';
import type { CaseEvent, Referral } from '../case';
import { planTimeline, type Timeline, type TimelineStep } from '../planner';
import type { ProcedurePolicy } from '../policy';
import { deriveCaseFacts, seriousForensicResults } from '../rules';
import { isoAt } from './apply';
import { assignmentOf } from './assignment';
import type { ForensicStart, NoticeOutcome } from './decide';
import { initialNotifiedThrough, nextWakeAt, notificationWindow } from './delivery';
import { type Notice, scheduledNotices, sentForOf, type StepTrack } from './notices';
import { isOpen } from './read';
import type { Delivery } from './state';
import type { CaseLogEntry } from './types';
import { handledIds, nextRetryAt, retriesDue, settleOutcomes, type UndeliveredNotice } from './undelivered';

const FORENSIC_TRACKS: readonly StepTrack[] = ['forensic'];

/** What a forensic wait carries into its next run (continue-as-new). */
export interface CarriedForensicState {
  /** Notice ids delivered or given up on that can still be asked for. */
  readonly sent: readonly string[];
  readonly notifiedThrough: IsoDate;
  readonly runNumber: number;
  readonly log?: readonly CaseLogEntry[];
  /** Notices that failed for good and are still tried again (./undelivered.ts). */
  readonly undelivered?: readonly UndeliveredNotice[];
}

/** One forensic wait. */
export interface ForensicState {
  readonly referral: Referral;
  readonly calendar: CalendarData;
  /** The case's events the wait follows (police events, reassignments, extensions, closure), as corrected. */
  readonly events: readonly CaseEvent[];
  readonly frozen?: Timeline;
  readonly delivery: Delivery & { readonly notifiedThrough: IsoDate };
  /** The wait's own lines for the case log (`forensic: …`). */
  readonly log: readonly CaseLogEntry[];
  readonly runNumber: number;
  /** Escalations of undelivered notices, to send at the next decision. */
  readonly immediate?: readonly Notice[];
}

/** What the case tells its forensic wait. */
export type ForensicMessage =
  | { readonly kind: 'event'; readonly event: CaseEvent }
  /** The whole list again, after a correction of an event the wait follows. */
  | { readonly kind: 'events'; readonly events: readonly CaseEvent[] }
  | { readonly kind: 'calendar'; readonly calendar: CalendarData; readonly frozen?: Timeline };

/** How the forensic wait ended. */
export interface ForensicOutcome {
  /** The police's decision, or `withdrawn` when the events that started the wait were withdrawn on the case. */
  readonly endedBy: 'charged' | 'no-further-action' | 'withdrawn';
  readonly endedOn: IsoDate;
  /** True when the results were serious (§2.5, §2.9, §2.18). */
  readonly serious: boolean;
  readonly runs: number;
}

/** What the forensic wait does now. */
export interface ForensicDecision {
  readonly state: ForensicState;
  /** Notices to send now, as one batch. */
  readonly notices: readonly Notice[];
  readonly wakeAt?: number;
  /** Set once the wait is over and no email is in flight: the line to report to the case, and the outcome. */
  readonly ended?: { readonly detail: string; readonly outcome: ForensicOutcome };
}

/** The state a forensic wait starts (or continues as new) with at `now`. */
export function openForensicState(
  start: ForensicStart,
  carried: CarriedForensicState | undefined,
  now: number,
): ForensicState {
  return {
    referral: start.referral,
    calendar: start.calendar,
    events: start.events,
    ...(start.frozen === undefined ? {} : { frozen: start.frozen }),
    delivery: {
      done: carried?.sent ?? [],
      inFlight: [],
      notifiedThrough: carried?.notifiedThrough ?? initialNotifiedThrough(now),
      ...(carried?.undelivered === undefined ? {} : { undelivered: carried.undelivered }),
    },
    log: carried?.log ?? [],
    runNumber: carried?.runNumber ?? 1,
  };
}

/** Takes in what the case told the wait. */
export function applyForensicMessage(state: ForensicState, message: ForensicMessage): ForensicState {
  switch (message.kind) {
    case 'event':
      return { ...state, events: [...state.events, message.event] };
    case 'events':
      return { ...state, events: message.events };
    case 'calendar': {
      const { frozen: _old, ...rest } = state;
      return {
        ...rest,
        calendar: message.calendar,
        ...(message.frozen === undefined ? {} : { frozen: message.frozen }),
      };
    }
  }
}

/** The forensic track of the case's timeline as the wait sees it on `today`. */
export function forensicTimeline(state: ForensicState, policy: ProcedurePolicy, today: IsoDate): Timeline {
  return planTimeline({
    referral: state.referral,
    events: state.events,
    policy,
    calendar: sharedCalendar(state.calendar),
    today,
    ...(state.frozen === undefined ? {} : { previous: state.frozen }),
  });
}

/** The forensic track's open steps (police updates, the bail milestone) on `today`. */
export function forensicSteps(state: ForensicState, policy: ProcedurePolicy, today: IsoDate): TimelineStep[] {
  return forensicTimeline(state, policy, today).steps.filter((s) => s.track === 'forensic' && isOpen(s));
}

/** Decides what the wait does at `now`: the reminders due, the next wake-up, or its end. */
export function decideForensic(state: ForensicState, policy: ProcedurePolicy, now: number): ForensicDecision {
  const today = ukDateOf(now);
  const wait = deriveCaseFacts(state.referral, state.events).forensicWait;
  if (wait === undefined || wait.until !== undefined) {
    // Over: the emails already handed over are settled first, so their outcome is in the log.
    if (state.delivery.inFlight.length > 0) return { state, notices: [] };
    return { state, notices: [], ended: endOf(state, wait?.until ?? today) };
  }
  const { delivery } = state;
  const window = notificationWindow(
    now,
    delivery.notifiedThrough,
    delivery.wakeAt !== undefined && now >= delivery.wakeAt,
  );
  const due =
    window === undefined
      ? []
      : scheduledNotices(
          forensicTimeline(state, policy, window.from),
          window.from,
          window.through,
          FORENSIC_TRACKS,
          assignmentOf(state.referral, state.events, policy),
        );
  const taken = handledIds(delivery);
  const notices = [
    ...[...due, ...(state.immediate ?? [])].filter(
      (n) => !taken.has(n.notificationId) && (taken.add(n.notificationId), true),
    ),
    ...retriesDue(delivery.undelivered, delivery.inFlight, now),
  ];
  const planned = nextWakeAt(forensicTimeline(state, policy, today), now, FORENSIC_TRACKS);
  const retry = nextRetryAt(delivery.undelivered, now);
  const wakeAt = planned === undefined ? retry : retry === undefined ? planned : Math.min(planned, retry);
  const notifiedThrough =
    window !== undefined && window.through > delivery.notifiedThrough ? window.through : delivery.notifiedThrough;
  const { wakeAt: _previous, ...rest } = delivery;
  const { immediate: _sent, ...unchanged } = state;
  return {
    state: {
      ...unchanged,
      delivery: {
        ...rest,
        notifiedThrough,
        inFlight: [...delivery.inFlight, ...notices.map((n) => n.notificationId)],
        ...(wakeAt === undefined ? {} : { wakeAt }),
      },
    },
    notices,
    ...(wakeAt === undefined ? {} : { wakeAt }),
  };
}

/**
 * Records how the wait's emails went, each as a line of its log; one that failed for good is escalated once and
 * tried again each working day, as the case does (./undelivered.ts).
 */
export function settleForensicNotices(
  state: ForensicState,
  outcomes: readonly NoticeOutcome[],
  now: number,
  policy: ProcedurePolicy,
): ForensicState {
  const settled = settleOutcomes(
    state.delivery,
    outcomes,
    {
      at: isoAt(now),
      calendar: sharedCalendar(state.calendar),
      assignment: assignmentOf(state.referral, state.events, policy),
    },
    'forensic: ',
  );
  return {
    ...state,
    delivery: settled.delivery,
    log: [...state.log, ...settled.lines],
    ...(settled.escalations.length === 0 ? {} : { immediate: [...(state.immediate ?? []), ...settled.escalations] }),
  };
}

/** What the wait carries into its next run: the delivered ids that can still be asked for, its log. */
export function carriedForensicState(state: ForensicState): CarriedForensicState {
  const since = state.delivery.notifiedThrough;
  return {
    sent: state.delivery.done.filter((id) => sentForOf(id) >= since),
    notifiedThrough: since,
    runNumber: state.runNumber + 1,
    log: state.log,
    ...(state.delivery.undelivered === undefined ? {} : { undelivered: state.delivery.undelivered }),
  };
}

function endOf(state: ForensicState, endedOn: IsoDate): ForensicDecision['ended'] {
  const serious = seriousForensicResults(state.events);
  const decision = state.events.find((e) => e.type === 'police-outcome');
  const endedBy = decision?.type === 'police-outcome' ? decision.outcome : 'withdrawn';
  const because =
    endedBy === 'withdrawn'
      ? 'the seizure or bail it followed was withdrawn on the case'
      : `police decision ${endedBy}${serious !== undefined ? ` (serious results: ${serious.rule})` : ''}`;
  return {
    detail: `forensic wait ended: ${because}`,
    outcome: { endedBy, endedOn, serious: serious !== undefined, runs: state.runNumber },
  };
}
