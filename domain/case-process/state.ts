/**
 * The state of one case as cpflow keeps it — plain, JSON-serialisable data, carried whole across
 * continue-as-new. Every change goes through `applyCommand` (what practitioners and children tell the case),
 * `decideNext` (what the case does next) or `settleNotices` (how its emails went); nothing else writes it.
 */
import { type CalendarData, type IsoDate, sharedCalendar, type WorkingDayCalendar } from '../calendar';
import type { CaseEvent, Referral } from '../case';
import type { Timeline } from '../planner';
import type { ProcedurePolicy } from '../policy';
import type { Notice } from './notices';
import type { UndeliveredNotice } from './undelivered';
import type { AuditEntry, CaseLogEntry, CaseStage, ChildKind } from './types';

/** Where a child workflow of the case is. */
export type ChildState = 'not-started' | 'running' | 'ended';

/** What the case still has to tell a running child. */
export type ChildMessage =
  | { readonly child: ChildKind; readonly kind: 'event'; readonly event: CaseEvent }
  | {
      readonly child: ChildKind;
      readonly kind: 'calendar';
      readonly calendar: CalendarData;
      readonly frozen?: Timeline;
    }
  /** The whole list of the events the child follows, after one of them was corrected. */
  | { readonly child: ChildKind; readonly kind: 'events'; readonly events: readonly CaseEvent[] };

/** How far the case's notices have gone. */
export interface Delivery {
  /** Notice ids delivered or given up on (only those still relevant are carried over continue-as-new). */
  readonly done: readonly string[];
  /** Notice ids handed to the notification activity and not settled yet. */
  readonly inFlight: readonly string[];
  /** Last UK date whose scheduled notices have been handled; undefined until the case first decides. */
  readonly notifiedThrough?: IsoDate;
  /** Escalations owed to overdue steps dated after this date are still to send (at opening, after an outage). */
  readonly owedAfter?: IsoDate;
  /** The instant the case last planned to wake at: waking at or after it is a catch-up. */
  readonly wakeAt?: number;
  /** Notices that failed for good, tried again each working day (./undelivered.ts). */
  readonly undelivered?: readonly UndeliveredNotice[];
}

/** One case. */
export interface CaseState {
  readonly referral: Referral;
  /** Events recorded, in the order they were recorded (as corrected). */
  readonly events: readonly CaseEvent[];
  /** The audit position of each event (parallel to `events`): how a correction names the event it corrects. */
  readonly eventSeqs: readonly number[];
  readonly audit: readonly AuditEntry[];
  readonly log: readonly CaseLogEntry[];
  /** The case's calendar: its bank holidays, those announced since included. */
  readonly calendar: CalendarData;
  /** Due dates as they stood when holidays were last applied (those already passed keep their dates). */
  readonly frozen?: Timeline;
  readonly stage: CaseStage;
  readonly delivery: Delivery;
  readonly children: Readonly<Record<ChildKind, ChildState>>;
  /** When each ended child reported its end (workflow time, epoch ms): a child is started again only later. */
  readonly childEndedAt?: { readonly [K in ChildKind]?: number };
  readonly outbox: readonly ChildMessage[];
  /** Notices to send at once, decided by an event (serious forensic results). */
  readonly immediate: readonly Notice[];
  /** Number of the run in the continue-as-new chain (1 for the first). */
  readonly runNumber: number;
}

/** What every pure function of the case needs besides its state. */
export interface CaseContext {
  readonly policy: ProcedurePolicy;
  /** Workflow time, epoch ms. */
  readonly now: number;
}

/** The calendar of a case (one shared instance per distinct holiday list). */
export function calendarOf(state: CaseState): WorkingDayCalendar {
  return sharedCalendar(state.calendar);
}

/** The state of a case just opened at `at` (ISO instant). */
export function openCaseState(referral: Referral, calendar: CalendarData, at: string): CaseState {
  return {
    referral,
    events: [],
    eventSeqs: [],
    audit: [],
    log: [
      {
        at,
        kind: 'case-opened',
        detail: `referral received ${referral.receivedOn}; team ${referral.teamId}, practitioner ${referral.practitionerId}; stage referral`,
      },
    ],
    calendar,
    stage: 'referral',
    delivery: { done: [], inFlight: [] },
    children: { lado: 'not-started', forensic: 'not-started' },
    outbox: [],
    immediate: [],
    runNumber: 1,
  };
}

/** Appends log lines. */
export function withLog(state: CaseState, ...lines: readonly CaseLogEntry[]): CaseState {
  return lines.length === 0 ? state : { ...state, log: [...state.log, ...lines] };
}
