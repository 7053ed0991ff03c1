/**
 * What a step's deadline can count from ("anchors"). Three kinds:
 * - facts on the referral (always known, or known once the police side is recorded);
 * - triggers the procedure's rules derive from events (e.g. learning the alleged person works with children);
 * - case events themselves (an event not yet recorded is projected from the due date of the step it completes).
 */
import { CASE_EVENT_TYPES, type CaseEventType } from '../case';

/** Anchors read from the referral. */
export const REFERRAL_ANCHORS = ['referral-received', 'arrest', 'devices-seized', 'pre-charge-bail-granted'] as const;
/** Anchors derived by the procedure's rules. */
export const TRIGGER_ANCHORS = [
  'works-with-children-known',
  'serious-forensic-results',
  'section-47-initiated',
  'conference-decided',
  'pre-charge-bail-ends',
  'written-agreement-breached',
  'young-person-alleged',
] as const;

/** An anchor read from the referral. */
export type ReferralAnchor = (typeof REFERRAL_ANCHORS)[number];
/** An anchor derived by a rule. */
export type TriggerAnchor = (typeof TRIGGER_ANCHORS)[number];
/** Anything a deadline can count from. */
export type AnchorId = ReferralAnchor | TriggerAnchor | CaseEventType;

/** Every anchor id (`devices-seized` is both a referral fact and an event: one anchor, the earliest seizure). */
export const ANCHOR_IDS: readonly AnchorId[] = [
  ...new Set<AnchorId>([...REFERRAL_ANCHORS, ...TRIGGER_ANCHORS, ...CASE_EVENT_TYPES]),
];

/**
 * Anchors belonging to the police investigation's timeline. §2.17: child-protection steps must not count from
 * them — the forensic wait runs beside the child-protection timeline, never in front of it.
 */
export const FORENSIC_WAIT_ANCHORS: readonly AnchorId[] = [
  'devices-seized',
  'pre-charge-bail-granted',
  'pre-charge-bail-ends',
  'forensic-update',
  'forensic-results',
  'police-bail',
  'released-under-investigation',
  'police-outcome',
];

/** True when `anchor` is read from the referral. */
export function isReferralAnchor(anchor: AnchorId): anchor is ReferralAnchor {
  return (REFERRAL_ANCHORS as readonly string[]).includes(anchor);
}

/** True when `anchor` is derived by a rule. */
export function isTriggerAnchor(anchor: AnchorId): anchor is TriggerAnchor {
  return (TRIGGER_ANCHORS as readonly string[]).includes(anchor);
}
