/**
 * Refuses events that make no sense in the case's current state — the check a workflow's update validator runs
 * before accepting a command. Messages name the field and the rule, never personal data.
 */
import { type IsoDate, weekdayOf } from '../calendar';
import type { CaseEvent, Referral } from '../case';
import type { ProcedurePolicy } from '../policy';
import { type CaseFacts, deriveCaseFacts, eventsOfType } from './case-facts';
import { conferenceDecision_2_16, conferenceRequirement_2_16 } from './conference-requirement';
import { holdsBackForPolice_2_17, seriesOf } from './forensic-wait';
import { currentEnquiry } from './forensic-results';
import { ladoTrigger_2_6_2_18 } from './lado-trigger';
import { checkPoliceEvent, stillFollowingPolice } from './police-investigation';
import { requestAgreed } from './extension-requests';

/** The case as the workflow holds it: its referral and the events recorded so far. */
export interface CaseState {
  readonly referral: Referral;
  readonly events: readonly CaseEvent[];
}

/** Optional context enabling more checks: the policy (step ids, §2.17) and today's date (no future events). */
export interface EventValidationContext {
  readonly policy?: ProcedurePolicy;
  readonly today?: IsoDate;
}

/**
 * Why a command was refused, as structured data that travels to every caller (workflow failure details, the
 * CLI, the web service): the field at fault, the rule it breaks and where that rule comes from. Never the
 * rejected value.
 */
export interface Refusal {
  /** Stable machine code, e.g. `case-closed`. */
  readonly code: string;
  /** The field at fault, e.g. `occurredOn`, `event.stepId`. */
  readonly field: string;
  /** The rule, in words: `must not be in the future`. */
  readonly rule: string;
  /** Where the rule comes from: a § of the guidelines, a census rule, or a named procedural rule. */
  readonly section: string;
}

/** `field: rule (section)` of each refusal, joined — the one way refusals are put in words. */
export function describeRefusals(refusals: readonly Refusal[]): string {
  return refusals.map((r) => `${r.field}: ${r.rule} (${r.section})`).join('; ');
}

/** An event was refused because it makes no sense in the case's current state. */
export class EventRefusedError extends Error {
  override readonly name = 'EventRefusedError';
  readonly refusals: readonly Refusal[];

  constructor(eventType: string, refusals: readonly Refusal[]) {
    super(`${eventType} refused: ${describeRefusals(refusals)}`);
    this.refusals = refusals;
  }
}

/** Lists every reason `event` cannot be recorded on the case now (empty when it can). Pure. */
export function checkEventAgainstCase(
  state: CaseState,
  event: CaseEvent,
  context: EventValidationContext = {},
): Refusal[] {
  const refusals: Refusal[] = [];
  const refuse = (code: string, field: string, section: string, rule: string) =>
    refusals.push({ code, field, rule, section });
  const whole = deriveCaseFacts(state.referral, state.events);
  // §2.18: after serious forensic results the enquiry starts again — its conference is the new enquiry's.
  const enquiry = currentEnquiry(whole.events);
  const facts =
    enquiry.since === undefined ? whole : { ...deriveCaseFacts(state.referral, enquiry.events), plan: whole.plan };
  const on = event.occurredOn;

  if (whole.closedOn !== undefined && !stillFollowingPolice(state.referral, state.events, event)) {
    refuse(
      'case-closed',
      'type',
      'case lifecycle',
      'the case is closed; only the police investigation it still follows can be recorded on it',
    );
  }
  if (context.policy !== undefined) {
    refusals.push(...checkPoliceEvent(state.referral, state.events, event, context.policy.preChargeBail));
  }
  if (on < state.referral.receivedOn) {
    const icpc = event.type === 'icpc';
    refuse(
      'before-referral',
      'occurredOn',
      icpc ? 'census rule 1104' : 'case lifecycle',
      `must not be before the referral was received${icpc ? ' (an ICPC cannot precede the referral)' : ''}`,
    );
  }
  if (context.today !== undefined && on > context.today) {
    refuse('in-the-future', 'occurredOn', 'case lifecycle', 'must not be in the future');
  }

  switch (event.type) {
    case 'icpc':
      if (weekdayOf(on) >= 6)
        refuse('icpc-on-weekend', 'occurredOn', 'census rule 8875', 'an ICPC cannot be held on a weekend');
      if (facts.icpc !== undefined)
        refuse('icpc-already-held', 'type', 'case lifecycle', 'an ICPC is already recorded');
      if (facts.icpcNotRequired !== undefined) {
        refuse('icpc-not-required-recorded', 'type', '§2.16', 'the ICPC was recorded as not required');
      } else if (!conferenceDecidedBy(state.referral, facts, on)) {
        refuse(
          'icpc-not-convened',
          'type',
          '§2.16',
          'where §2.16 does not presume a conference, a manager must decide to convene it first (icpc-convened)',
        );
      }
      break;
    case 'icpc-convened':
      if (conferenceRequirement_2_16(state.referral, facts.events).required) {
        refuse(
          'conference-presumed',
          'type',
          '§2.16',
          'the alleged person lives with or has regular contact with children: the conference is already presumed',
        );
      } else if (eventsOfType(facts.events, 'icpc-convened').length > 0) {
        refuse('already-recorded', 'type', '§2.16', 'the decision to convene is already recorded');
      }
      if (!facts.section47Discussions.some((d) => d.occurredOn <= on)) {
        refuse(
          'no-section-47-enquiry',
          'occurredOn',
          '§2.16',
          'no Section 47 enquiry was initiated on or before that date',
        );
      }
      if (facts.icpc !== undefined) refuse('icpc-already-held', 'type', '§2.16', 'an ICPC is already recorded');
      break;
    case 'icpc-booked':
      if (!conferenceDecidedBy(state.referral, facts, on)) {
        refuse('no-conference-decided', 'type', '§2.16', 'no conference was decided on or before that date');
      }
      if (facts.icpc !== undefined) refuse('icpc-already-held', 'type', '§2.16', 'an ICPC is already recorded');
      break;
    case 'icpc-not-required':
      if (facts.icpc !== undefined) refuse('icpc-already-held', 'type', '§2.16', 'an ICPC is already recorded');
      if (facts.icpcNotRequired !== undefined)
        refuse('already-recorded', 'type', '§2.16', 'the ICPC is already recorded as not required');
      break;
    case 'visit':
    case 'core-group':
    case 'review-conference': {
      const plan = facts.plan;
      if (plan === undefined || on < plan.from || (plan.until !== undefined && on > plan.until)) {
        refuse(
          'no-child-protection-plan',
          'occurredOn',
          'child protection plan',
          `a ${event.type} needs a child protection plan in force on that date`,
        );
      } else if (event.type === 'review-conference' && plan.until !== undefined) {
        refuse('plan-ended', 'type', 'child protection plan', 'the child protection plan has already ended');
      }
      break;
    }
    case 'lado-referral-sent':
    case 'lado-referral-acknowledged':
    case 'lado-strategy-meeting':
    case 'lado-review-meeting':
    case 'lado-outcome':
      if (ladoTrigger_2_6_2_18(state.referral, whole.events) === undefined) {
        refuse(
          'no-lado-track',
          'type',
          '§2.6, §2.18',
          'nothing recorded says the alleged person works or volunteers with children or holds a position of trust',
        );
      } else if (
        event.type !== 'lado-referral-sent' &&
        !eventsOfType(whole.events, 'lado-referral-sent').some((e) => e.occurredOn <= on)
      ) {
        refuse('no-lado-referral', 'type', '§2.6, §2.18', 'no LADO referral was sent on or before that date');
      } else if (
        event.type === 'lado-review-meeting' &&
        !eventsOfType(whole.events, 'lado-strategy-meeting').some((e) => e.occurredOn <= on)
      ) {
        refuse('no-lado-meeting', 'type', '§2.6, §2.18', 'no LADO strategy meeting was held on or before that date');
      }
      break;
    case 'written-agreement-breached':
      if (!eventsOfType(whole.events, 'written-agreement').some((e) => e.occurredOn <= on)) {
        refuse(
          'no-written-agreement',
          'type',
          '§2.10–2.11',
          'no written agreement was recorded on or before that date',
        );
      }
      break;
    case 'specialist-advice-sought':
      if (state.referral.allegedPerson.youngPerson !== true) {
        refuse('not-a-young-person', 'type', '§1.7', 'the referral does not say the alleged person is a young person');
      }
      break;
    case 'assessment-completed':
      if (event.startedOn < state.referral.receivedOn) {
        refuse('before-referral', 'startedOn', 'census rule 8670Q', 'must not be before the referral was received');
      }
      if (event.startedOn > on)
        refuse('started-after-completed', 'startedOn', 'census rule 8670Q', 'must not be after occurredOn');
      break;
    case 'deadline-extended':
      if (event.requestedBy !== undefined && requestAgreed(whole.events, event) === undefined) {
        refuse(
          'no-such-request',
          'requestedBy',
          'deadline extension',
          'must name the person whose extension request, for this step and date, is still waiting',
        );
      }
    // falls through: the same checks as the request
    case 'extension-requested':
      if (event.newDueDate < on)
        refuse(
          'extension-in-the-past',
          'newDueDate',
          'deadline extension',
          'must not be before the date the extension was agreed',
        );
      if (context.policy !== undefined && holdsBackForPolice_2_17(context.policy, event)) {
        refuse(
          'awaits-police',
          'reason',
          '§2.17',
          'a child-protection deadline must not wait for the police investigation',
        );
      }
      break;
    case 'practitioner-reassigned': {
      const current =
        eventsOfType(whole.events, 'practitioner-reassigned').at(-1)?.practitionerId ?? state.referral.practitionerId;
      if (event.practitionerId === current)
        refuse('same-practitioner', 'practitionerId', 'case allocation', 'is already the assigned practitioner');
      break;
    }
    default:
      break;
  }

  if (
    (event.type === 'deadline-extended' ||
      event.type === 'extension-requested' ||
      event.type === 'step-not-required') &&
    context.policy !== undefined
  ) {
    if (seriesOf(context.policy, event.stepId) === undefined) {
      refuse('unknown-step', 'stepId', 'procedure policy', `is not a step of policy ${context.policy.id}`);
    }
  }
  return refusals;
}

/**
 * Whether a conference was decided on or before `on` (§2.16): presumed by the discussion that initiated the
 * enquiry where the alleged person lives with or has regular contact with children, else a manager's decision.
 */
function conferenceDecidedBy(referral: Referral, facts: CaseFacts, on: IsoDate): boolean {
  const decision = conferenceDecision_2_16(referral, facts);
  return decision !== undefined && decision.occurredOn <= on;
}

/**
 * Refuses an event that makes no sense in the current state: anything after closure, before the referral
 * (census 1104 for an ICPC), an ICPC on a weekend (census 8875), a visit/core group/review with no plan, a
 * deadline held back for the police (§2.17), an unknown step id…
 * @throws EventRefusedError listing every refusal.
 */
export function validateEventAgainstCase(
  state: CaseState,
  event: CaseEvent,
  context: EventValidationContext = {},
): void {
  const refusals = checkEventAgainstCase(state, event, context);
  if (refusals.length > 0) throw new EventRefusedError(event.type, refusals);
}
