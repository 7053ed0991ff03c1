/**
 * §2.16: where the alleged perpetrator lives with, or has regular contact with, children, a child protection
 * conference should be convened — unless significant factors against it are recorded.
 */
import type { IsoDate } from '../calendar';
import type { CaseEvent, Referral } from '../case';
import { eventsOfType } from './case-facts';

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
