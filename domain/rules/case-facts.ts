/**
 * Facts of a case read from its referral and events, shared by the rules and the planner: events in date
 * order, closure, the ICPC, the child protection plan's period and the forensic wait.
 */
import type { IsoDate } from '../calendar';
import type { CaseEvent, CaseEventOf, CaseEventType, Referral } from '../case';

/** A period with a start and, once it has ended, an end. */
export interface Period {
  readonly from: IsoDate;
  readonly until?: IsoDate;
}

/** Facts derived from a referral and its events. */
export interface CaseFacts {
  /** Events sorted by `occurredOn` (stable: same-day events keep their recorded order). */
  readonly events: readonly CaseEvent[];
  readonly closedOn?: IsoDate;
  /** The first ICPC held. */
  readonly icpc?: CaseEventOf<'icpc'>;
  /** The ICPC-not-required decision, if recorded. */
  readonly icpcNotRequired?: CaseEventOf<'icpc-not-required'>;
  /** The child protection plan: from the ICPC that made it until a review ends it or the case closes. */
  readonly plan?: Period;
  /** The forensic wait: from seizure of devices until the forensic results (or closure). */
  readonly forensicWait?: Period;
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
  const closedOn = sorted.find((e) => e.type === 'case-closed')?.occurredOn;
  const icpc = eventsOfType(sorted, 'icpc')[0];
  const icpcNotRequired = eventsOfType(sorted, 'icpc-not-required')[0];
  let plan: Period | undefined;
  if (icpc?.outcome === 'child-protection-plan') {
    const ended = eventsOfType(sorted, 'review-conference').find(
      (r) => r.outcome === 'plan-ends' && r.occurredOn >= icpc.occurredOn,
    );
    const until = ended?.occurredOn ?? closedOn;
    plan = until === undefined ? { from: icpc.occurredOn } : { from: icpc.occurredOn, until };
  }
  let forensicWait: Period | undefined;
  const seizedOn = referral.police.devicesSeized.count > 0 ? referral.police.devicesSeized.seizedOn : undefined;
  if (seizedOn !== undefined) {
    const until = eventsOfType(sorted, 'forensic-results')[0]?.occurredOn ?? closedOn;
    forensicWait = until === undefined ? { from: seizedOn } : { from: seizedOn, until };
  }
  const section47Discussions = eventsOfType(sorted, 'strategy-discussion').filter((d) => d.section47 === 'initiated');
  return {
    events: sorted,
    closedOn,
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
