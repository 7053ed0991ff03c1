/**
 * The LADO referral as a pure process (§2.6, §2.18): the referral email to the Local Authority Designated Officer
 * at once, the acknowledgement due the policy's working days after it is sent, the LADO mailbox chased on the
 * dates the policy sets while it has not come, and the end when the LADO's outcome is recorded (or the case
 * closes). The LADO workflow only carries it out: it applies what the case tells it (`applyLadoMessage`), decides
 * (`decideLado`), sends, reports to the case, and settles how the emails went (`settleLadoNotices`).
 */
import {
  type CalendarData,
  type IsoDate,
  sharedCalendar,
  ukDateOf,
  ukInstant,
  type WorkingDayCalendar,
} from '../calendar';
import type { CaseEvent } from '../case';
import { isoAt } from './apply';
import type { LadoStart, NoticeOutcome } from './decide';
import { NOTIFY_HOUR } from './delivery';
import { emailTitle, type Notice, noticeFor } from './notices';
import type { ChildReport } from './types';
import { afterFailure, nextRetryAt, retriesDue, type UndeliveredNotice } from './undelivered';

/** Step id and title of the acknowledgement and its chases. */
export const LADO_ACK_STEP = {
  id: 'lado-acknowledgement',
  title: 'Acknowledgement of the referral to the LADO',
} as const;

/** One chase of the LADO mailbox: the date it goes out and the acknowledgement due date it is about. */
export interface LadoChase {
  readonly on: IsoDate;
  readonly acknowledgementDue: IsoDate;
}

/** When the acknowledgement of a referral sent on `sentOn` is due. */
export function ladoAcknowledgementDue(start: LadoStart, sentOn: IsoDate, calendar: WorkingDayCalendar): IsoDate {
  return calendar.addWorkingDays(sentOn, start.chase.ackWithinWorkingDays);
}

/** The chases of a referral sent on `sentOn`, in date order, each the policy's working days after the due date. */
export function ladoChases(start: LadoStart, sentOn: IsoDate, calendar: WorkingDayCalendar): LadoChase[] {
  const acknowledgementDue = ladoAcknowledgementDue(start, sentOn, calendar);
  return start.chase.chaseAfterWorkingDays.map((days) => ({
    on: calendar.addWorkingDays(acknowledgementDue, days),
    acknowledgementDue,
  }));
}

/** One LADO referral. */
export interface LadoState {
  readonly start: LadoStart;
  readonly calendar: CalendarData;
  /** The case's events the referral follows (sent by hand, acknowledged, outcome, closure), as corrected. */
  readonly events: readonly CaseEvent[];
  /** The date cpflow's own referral email went. */
  readonly emailedOn?: IsoDate;
  /** The referral email has been handed over (it is tried once; a failure asks for it to be sent by hand). */
  readonly referralTried: boolean;
  /** Chases handed over so far (the first this many of `ladoChases`). */
  readonly chasesDecided: number;
  readonly chasesSent: number;
  readonly inFlight: readonly string[];
  /** What the case is still to be told. */
  readonly reports: readonly ChildReport[];
  /** Emails that failed for good, tried again each working day while still wanted (./undelivered.ts). */
  readonly undelivered?: readonly UndeliveredNotice[];
}

/** What the case tells its LADO referral. */
export type LadoMessage =
  | { readonly kind: 'event'; readonly event: CaseEvent }
  /** The whole list again, after a correction of an event the referral follows. */
  | { readonly kind: 'events'; readonly events: readonly CaseEvent[] }
  | { readonly kind: 'calendar'; readonly calendar: CalendarData };

/** Where the LADO referral stands. */
export interface LadoStatus {
  readonly referralSentOn?: IsoDate;
  readonly acknowledgementDue?: IsoDate;
  readonly acknowledgedOn?: IsoDate;
  readonly outcome?: string;
  readonly chasesSent: number;
}

/** How the LADO referral ended. */
export interface LadoResult extends LadoStatus {
  readonly endedBy: 'outcome' | 'case-closed';
}

/** What the LADO referral does now. */
export interface LadoDecision {
  readonly state: LadoState;
  readonly notices: readonly Notice[];
  /** Lines to report to the case, in order (the last one says the referral is finished when `result` is set). */
  readonly reports: readonly ChildReport[];
  readonly wakeAt?: number;
  readonly result?: LadoResult;
}

/** The state a LADO referral starts with. */
export function openLadoState(start: LadoStart): LadoState {
  return {
    start,
    calendar: start.calendar,
    events: start.events ?? [],
    referralTried: false,
    chasesDecided: 0,
    chasesSent: 0,
    inFlight: [],
    reports: [],
  };
}

/** Takes in what the case told the referral. */
export function applyLadoMessage(state: LadoState, message: LadoMessage): LadoState {
  switch (message.kind) {
    case 'event':
      return { ...state, events: [...state.events, message.event] };
    case 'events':
      return { ...state, events: message.events };
    case 'calendar':
      return { ...state, calendar: message.calendar };
  }
}

/** Where the referral stands: sent (by cpflow or by hand), acknowledged, decided. */
export function ladoStatusOf(state: LadoState): LadoStatus {
  const sentOn = sentOnOf(state);
  const acknowledged = state.events.find((e) => e.type === 'lado-referral-acknowledged');
  const outcome = state.events.find((e) => e.type === 'lado-outcome');
  return {
    ...(sentOn === undefined
      ? {}
      : {
          referralSentOn: sentOn,
          acknowledgementDue: ladoAcknowledgementDue(state.start, sentOn, sharedCalendar(state.calendar)),
        }),
    ...(acknowledged === undefined ? {} : { acknowledgedOn: acknowledged.occurredOn }),
    ...(outcome?.type === 'lado-outcome' ? { outcome: outcome.outcome } : {}),
    chasesSent: state.chasesSent,
  };
}

/** Decides what the referral does at `now`: the referral email, the chases due, the next wake-up, or its end. */
export function decideLado(state: LadoState, now: number): LadoDecision {
  const status = ladoStatusOf(state);
  const closed = state.events.some((e) => e.type === 'case-closed');
  const reports = state.reports;
  let next: LadoState = { ...state, reports: [] };
  if (status.outcome !== undefined || closed) {
    if (state.inFlight.length > 0) return { state: next, notices: [], reports };
    const result: LadoResult = { ...status, endedBy: status.outcome !== undefined ? 'outcome' : 'case-closed' };
    const detail =
      status.outcome !== undefined ? `LADO outcome recorded: ${status.outcome}` : 'case closed before the LADO outcome';
    return {
      state: next,
      notices: [],
      reports: [...reports, { from: 'lado', at: isoAt(now), kind: 'lado', detail, finished: true }],
      result,
    };
  }
  const notices: Notice[] = [];
  const base = { caseReference: state.start.caseReference, recipient: state.start.lado };
  if (status.referralSentOn === undefined && !state.referralTried) {
    const { stepTitle, dueDate, knownOn } = state.start;
    notices.push(
      noticeFor(
        { ...base, stepId: 'lado-referral', stepTitle: emailTitle(stepTitle), dueDate, kind: 'lado-referral' },
        knownOn,
      ),
    );
    next = { ...next, referralTried: true };
  }
  // Failed emails go again on their retry day while still wanted: the referral until it is sent (by cpflow or by
  // hand), a chase until the LADO acknowledges.
  const wanted = (n: Notice) =>
    n.kind === 'lado-referral' ? status.referralSentOn === undefined : status.acknowledgedOn === undefined;
  const undelivered = (next.undelivered ?? []).filter((u) => wanted(u.notice));
  next = withUndelivered(next, undelivered);
  notices.push(...retriesDue(undelivered, next.inFlight, now));
  let wakeAt: number | undefined = nextRetryAt(undelivered, now);
  if (status.referralSentOn !== undefined && status.acknowledgedOn === undefined) {
    // Planned again at each turn: a holiday announced meanwhile moves the chases still to come.
    const chases = ladoChases(state.start, status.referralSentOn, sharedCalendar(state.calendar));
    let decided = state.chasesDecided;
    while (decided < chases.length && ukInstant(chases[decided].on, NOTIFY_HOUR) <= now) {
      const chase = chases[decided];
      notices.push(
        noticeFor(
          {
            ...base,
            stepId: LADO_ACK_STEP.id,
            stepTitle: LADO_ACK_STEP.title,
            dueDate: chase.acknowledgementDue,
            kind: 'overdue',
          },
          chase.on,
        ),
      );
      decided += 1;
    }
    next = { ...next, chasesDecided: decided };
    if (decided < chases.length) {
      const chaseAt = ukInstant(chases[decided].on, NOTIFY_HOUR);
      wakeAt = wakeAt === undefined ? chaseAt : Math.min(wakeAt, chaseAt);
    }
  }
  next = { ...next, inFlight: [...next.inFlight, ...notices.map((n) => n.notificationId)] };
  return { state: next, notices, reports, ...(wakeAt === undefined ? {} : { wakeAt }) };
}

/**
 * Records how the referral's emails went, as reports to the case. An email that failed for good is reported once
 * (the case escalates it) and tried again each working day; a retry that fails again is not reported again.
 */
export function settleLadoNotices(state: LadoState, outcomes: readonly NoticeOutcome[], now: number): LadoState {
  const at = isoAt(now);
  let next: LadoState = {
    ...state,
    inFlight: state.inFlight.filter((id) => !outcomes.some((o) => o.notice.notificationId === id)),
  };
  for (const o of outcomes) {
    const failed = o.status === 'failed';
    const previous = (next.undelivered ?? []).find((u) => u.notice.notificationId === o.notice.notificationId);
    const others = (next.undelivered ?? []).filter((u) => u !== previous);
    if (failed) {
      const again = afterFailure(previous, o.notice, o.failure ?? 'unknown', at, sharedCalendar(next.calendar));
      next = withUndelivered(next, again === undefined ? others : [...others, again]);
      if (previous !== undefined) continue;
    } else {
      next = withUndelivered(next, others);
    }
    const said = failed
      ? `${o.notice.kind} email to ${o.notice.recipient} failed: ${o.failure ?? 'unknown'}`
      : `${o.notice.kind} email to ${o.notice.recipient} ${o.status}`;
    let report: ChildReport | undefined;
    if (o.notice.kind === 'lado-referral') {
      if (failed) {
        report = {
          from: 'lado',
          at,
          kind: 'notification-failed',
          stepId: 'lado-referral',
          detail: `${said}; send the referral by hand`,
        };
      } else if (sentOnOf(next) === undefined) {
        const emailedOn = ukDateOf(now);
        next = { ...next, emailedOn };
        report = {
          from: 'lado',
          at,
          kind: 'lado-referral',
          stepId: 'lado-referral',
          detail: said,
          ladoReferralSentOn: emailedOn,
        };
      }
    } else {
      if (previous === undefined) next = { ...next, chasesSent: next.chasesSent + 1 };
      report = {
        from: 'lado',
        at,
        kind: failed ? 'notification-failed' : 'lado',
        stepId: LADO_ACK_STEP.id,
        detail: `acknowledgement chase ${next.chasesSent}: ${said}`,
      };
    }
    if (report !== undefined) next = { ...next, reports: [...next.reports, report] };
  }
  return next;
}

function withUndelivered(state: LadoState, undelivered: readonly UndeliveredNotice[]): LadoState {
  const { undelivered: _old, ...rest } = state;
  return undelivered.length === 0 ? rest : { ...rest, undelivered };
}

/** The date the referral went: recorded before the start, by cpflow's own email, or recorded by hand since. */
function sentOnOf(state: LadoState): IsoDate | undefined {
  const recorded = state.events.find((e) => e.type === 'lado-referral-sent');
  return recorded?.occurredOn ?? state.emailedOn ?? state.start.referralSentOn;
}
