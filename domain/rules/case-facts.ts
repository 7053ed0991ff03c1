/**
 * Facts of a case read from its referral and events, shared by the rules and the planner: events in date
 * order, closure, the ICPC, the child protection plan's period and the forensic wait.
 */
import type { IsoDate } from '../calendar';
import {
  type CaseEvent,
  type CaseEventOf,
  type CaseEventType,
  type Referral,
  SERIOUS_FORENSIC_FINDINGS,
} from '../case';

/** A period with a start and, once it has ended, an end. */
export interface Period {
  readonly from: IsoDate;
  readonly until?: IsoDate;
}

/** Facts derived from a referral and its events. */
export interface CaseFacts {
  /** Events sorted by `occurredOn` (stable: same-day events keep their recorded order). */
  readonly events: readonly CaseEvent[];
  /** The case is closed (the last closure, unless serious forensic results re-opened it since). */
  readonly closedOn?: IsoDate;
  /** Serious forensic results re-opened a closed case on this date (§2.18). */
  readonly reopenedOn?: IsoDate;
  /** The first ICPC held. */
  readonly icpc?: CaseEventOf<'icpc'>;
  /** The ICPC-not-required decision, if recorded. */
  readonly icpcNotRequired?: CaseEventOf<'icpc-not-required'>;
  /** The plan in force: from the latest ICPC that made one until a review or a later conference ends it, or closure. */
  readonly plan?: Period;
  /**
   * The forensic wait: from the seizure of devices or pre-charge bail, whichever came first, until the police
   * decide (charge or no further action). It outlives the child-protection case's closure (§2.17, §2.18).
   */
  readonly forensicWait?: Period;
  /** The examination of seized devices: from the first seizure until the results (or the police's decision). */
  readonly forensicExamination?: Period;
  /** Strategy discussions that initiated a Section 47 enquiry, in date order. */
  readonly section47Discussions: readonly CaseEventOf<'strategy-discussion'>[];
  /**
   * The Section 47 enquiry will not happen (or not go on): the referral was decided otherwise, or the strategy
   * discussions held did not initiate one — and none has since. Its steps close; nothing about them is overdue.
   */
  readonly enquiryEnded?: EnquiryEnd;
}

/** Why the enquiry track closed, and when. */
export interface EnquiryEnd {
  readonly on: IsoDate;
  /** `no-further-action` / `early-help`: the referral decision (nothing of the procedure follows it). */
  readonly reason: 'no-further-action' | 'early-help' | 'section-47-not-initiated';
}

/** Events of one type, in date order. */
export function eventsOfType<T extends CaseEventType>(events: readonly CaseEvent[], type: T): CaseEventOf<T>[] {
  return events.filter((e): e is CaseEventOf<T> => e.type === type);
}

/** Sorts events by date, keeping the recorded order of same-day events. */
export function sortEvents(events: readonly CaseEvent[]): readonly CaseEvent[] {
  let sorted = true;
  for (let i = 1; i < events.length && sorted; i += 1) sorted = events[i - 1].occurredOn <= events[i].occurredOn;
  if (sorted) return events;
  // Array.prototype.sort is stable, so same-day events keep their recorded order.
  return [...events].sort((a, b) => (a.occurredOn < b.occurredOn ? -1 : a.occurredOn > b.occurredOn ? 1 : 0));
}

/** Reads the facts of a case. Pure. */
export function deriveCaseFacts(referral: Referral, events: readonly CaseEvent[]): CaseFacts {
  const sorted = sortEvents(events);
  const lastClosure = eventsOfType(sorted, 'case-closed').at(-1)?.occurredOn;
  const reopenedOn =
    lastClosure === undefined
      ? undefined
      : eventsOfType(sorted, 'forensic-results').find((e) => e.occurredOn >= lastClosure && isSerious(e))?.occurredOn;
  const closedOn = reopenedOn === undefined ? lastClosure : undefined;
  const icpc = eventsOfType(sorted, 'icpc')[0];
  const icpcNotRequired = eventsOfType(sorted, 'icpc-not-required')[0];
  // The plan made by the latest conference that made one; a review or a later conference without a plan ends it.
  const icpcs = eventsOfType(sorted, 'icpc');
  const planIcpc = icpcs.filter((i) => i.outcome === 'child-protection-plan').at(-1);
  let plan: Period | undefined;
  if (planIcpc !== undefined) {
    const ended =
      eventsOfType(sorted, 'review-conference').find(
        (r) => r.outcome === 'plan-ends' && r.occurredOn >= planIcpc.occurredOn,
      )?.occurredOn ?? icpcs.find((i) => i.outcome === 'no-plan' && i.occurredOn > planIcpc.occurredOn)?.occurredOn;
    plan = period(planIcpc.occurredOn, earliest(ended, closedOn));
  }
  const seizedOn = earliest(
    referral.police.devicesSeized.count > 0 ? referral.police.devicesSeized.seizedOn : undefined,
    eventsOfType(sorted, 'devices-seized')[0]?.occurredOn,
  );
  const bailFrom = earliest(referral.police.preChargeBailGrantedOn, eventsOfType(sorted, 'police-bail')[0]?.occurredOn);
  const decidedOn = eventsOfType(sorted, 'police-outcome')[0]?.occurredOn;
  const waitFrom = earliest(seizedOn, bailFrom);
  const forensicWait = waitFrom === undefined ? undefined : period(waitFrom, decidedOn);
  const forensicExamination =
    seizedOn === undefined
      ? undefined
      : period(seizedOn, earliest(eventsOfType(sorted, 'forensic-results')[0]?.occurredOn, decidedOn));
  const section47Discussions = eventsOfType(sorted, 'strategy-discussion').filter((d) => d.section47 === 'initiated');
  return {
    events: sorted,
    closedOn,
    reopenedOn,
    forensicExamination,
    icpc,
    icpcNotRequired,
    plan,
    forensicWait,
    section47Discussions,
    enquiryEnded: enquiryEnd(sorted, section47Discussions.length > 0),
  };
}

function enquiryEnd(events: readonly CaseEvent[], initiated: boolean): EnquiryEnd | undefined {
  if (initiated) return undefined;
  const decision = eventsOfType(events, 'referral-decision').at(-1);
  if (decision !== undefined && decision.decision !== 'section-47-enquiry') {
    return { on: decision.occurredOn, reason: decision.decision };
  }
  const discussion = eventsOfType(events, 'strategy-discussion').at(-1);
  return discussion === undefined ? undefined : { on: discussion.occurredOn, reason: 'section-47-not-initiated' };
}

function earliest(a: IsoDate | undefined, b: IsoDate | undefined): IsoDate | undefined {
  return a === undefined ? b : b === undefined ? a : a < b ? a : b;
}

function period(from: IsoDate, until: IsoDate | undefined): Period {
  return until === undefined ? { from } : { from, until };
}

/** §2.5, §2.9, §2.18: results with findings that call for a new strategy discussion. */
export function isSerious(event: CaseEventOf<'forensic-results'>): boolean {
  return event.findings.some((f) => (SERIOUS_FORENSIC_FINDINGS as readonly string[]).includes(f));
}
