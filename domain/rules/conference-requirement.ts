/**
 * §2.16: where the alleged perpetrator lives with, or has regular contact with, children, a child protection
 * conference should be convened — unless significant factors against it are recorded.
 */
import type { IsoDate } from '../calendar';
import type { CaseEvent, Referral } from '../case';
import { type CaseFacts, eventsOfType } from './case-facts';

/** Whether an ICPC is required, and why (§2.16). */
export type ConferenceRequirement =
  | {
      readonly required: true;
      readonly rule: '§2.16';
      readonly because: 'lives-with-children' | 'regular-contact-with-children';
    }
  | {
      readonly required: false;
      readonly rule: '§2.16';
      readonly because: 'not-required-reason-recorded';
      readonly reason: string;
      readonly on: IsoDate;
    }
  | { readonly required: false; readonly rule: '§2.16'; readonly because: 'no-contact-with-children-recorded' };

/** §2.16 — decides whether an ICPC is required for this case. */
export function conferenceRequirement_2_16(referral: Referral, events: readonly CaseEvent[]): ConferenceRequirement {
  const notRequired = eventsOfType(events, 'icpc-not-required')[0];
  if (notRequired !== undefined) {
    return {
      required: false,
      rule: '§2.16',
      because: 'not-required-reason-recorded',
      reason: notRequired.reason,
      on: notRequired.occurredOn,
    };
  }
  if (referral.allegedPerson.livesWithChildren)
    return { required: true, rule: '§2.16', because: 'lives-with-children' };
  if (referral.allegedPerson.regularContactWithChildren) {
    return { required: true, rule: '§2.16', because: 'regular-contact-with-children' };
  }
  return { required: false, rule: '§2.16', because: 'no-contact-with-children-recorded' };
}

/**
 * §2.16 — the decision to convene the ICPC: where §2.16 presumes a conference, the strategy discussion that
 * initiated the Section 47 enquiry; otherwise a manager's recorded decision (`icpc-convened`). Undefined until then.
 */
export function conferenceDecision_2_16(referral: Referral, facts: CaseFacts): CaseEvent | undefined {
  if (conferenceRequirement_2_16(referral, facts.events).required) return facts.section47Discussions[0];
  return eventsOfType(facts.events, 'icpc-convened')[0];
}
