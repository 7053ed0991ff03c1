/**
 * The stage of a case (search attribute `CpflowStage`): the furthest point of the procedure reached, read from
 * its events. Pure.
 */
import type { CaseEvent, Referral } from '../../domain/case';
import { deriveCaseFacts } from '../../domain/rules';
import type { CaseStage } from './messages';

/** Where the case stands: see {@link CaseStage} for what each stage means. */
export function deriveStage(referral: Referral, events: readonly CaseEvent[]): CaseStage {
  const facts = deriveCaseFacts(referral, events);
  if (facts.closedOn !== undefined) return 'closed';
  if (facts.plan !== undefined) return facts.plan.until === undefined ? 'child-protection-plan' : 'closure';
  if (facts.icpc !== undefined || facts.icpcNotRequired !== undefined) return 'closure';
  const has = (type: CaseEvent['type']) => facts.events.some((e) => e.type === type);
  const discussions = facts.events.filter((e) => e.type === 'strategy-discussion');
  if (discussions.length > 0) {
    if (!discussions.some((d) => d.section47 === 'initiated')) return 'closure';
    if (has('assessment-completed')) return 'initial-conference';
    if (has('partner-interview') && has('alleged-perpetrator-interview')) return 'assessment';
    return 'section-47-enquiry';
  }
  if (has('referral-decision')) return 'strategy-discussion';
  return 'referral';
}
