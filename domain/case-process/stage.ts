/**
 * The stage of a case (search attribute `CpflowStage`): the furthest point of the procedure reached, read from
 * its events. Pure.
 */
import type { CaseEvent, Referral } from '../case';
import { currentEnquiry, deriveCaseFacts } from '../rules';
import type { CaseStage } from './types';

/**
 * Where the case stands: see {@link CaseStage} for what each stage means. An interview marked not required
 * counts as held. Serious forensic results (§2.5, §2.9, §2.18) reopen the enquiry: the case goes back to
 * `strategy-discussion` until the new discussion is held, then on from there with the events after the results.
 */
export function deriveStage(referral: Referral, events: readonly CaseEvent[]): CaseStage {
  const facts = deriveCaseFacts(referral, events);
  if (facts.closedOn !== undefined) return 'closed';
  const stage = procedureStageOf(referral, events, facts);
  // Nothing of the procedure left, but the police investigation still followed: the case shows the wait.
  const waiting = facts.forensicWait !== undefined && facts.forensicWait.until === undefined;
  return stage === 'closure' && waiting ? 'forensic-wait' : stage;
}

function procedureStageOf(
  referral: Referral,
  events: readonly CaseEvent[],
  facts: ReturnType<typeof deriveCaseFacts>,
): CaseStage {
  const enquiry = currentEnquiry(events);
  if (enquiry.since !== undefined) {
    // The procedure starts again at the new strategy discussion, with the events recorded since the results.
    if (!enquiry.events.some((e) => e.type === 'strategy-discussion')) return 'strategy-discussion';
    return procedureStage(deriveCaseFacts(referral, enquiry.events), events);
  }
  return procedureStage(facts, events);
}

/** Stage from the facts of a (possibly reopened) procedure: plan, conference, then the enquiry. */
function procedureStage(facts: ReturnType<typeof deriveCaseFacts>, all: readonly CaseEvent[]): CaseStage {
  if (facts.plan !== undefined) return facts.plan.until === undefined ? 'child-protection-plan' : 'closure';
  if (facts.icpc !== undefined || facts.icpcNotRequired !== undefined) return 'closure';
  return enquiryStage(facts.events, all);
}

/** Stage between the referral and the initial conference, from the events of the enquiry. */
function enquiryStage(events: readonly CaseEvent[], all: readonly CaseEvent[]): CaseStage {
  const has = (type: CaseEvent['type']) => events.some((e) => e.type === type);
  const notRequired = (stepId: string) => all.some((e) => e.type === 'step-not-required' && e.stepId === stepId);
  const held = (type: 'partner-interview' | 'alleged-perpetrator-interview') => has(type) || notRequired(type);
  const discussions = events.filter((e) => e.type === 'strategy-discussion');
  if (discussions.length > 0) {
    if (!discussions.some((d) => d.section47 === 'initiated')) return 'closure';
    if (has('assessment-completed')) return 'initial-conference';
    if (held('partner-interview') && held('alleged-perpetrator-interview')) return 'assessment';
    return 'section-47-enquiry';
  }
  const decision = events.filter((e) => e.type === 'referral-decision').at(-1);
  if (decision !== undefined) return decision.decision === 'section-47-enquiry' ? 'strategy-discussion' : 'closure';
  return 'referral';
}
