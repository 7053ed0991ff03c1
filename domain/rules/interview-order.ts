/**
 * §2.14–2.15: where there are children and a partner, the partner's interview comes first; the alleged
 * perpetrator is interviewed early, but after the partner (§6.1: two interviewers).
 */
import type { CaseEvent, Referral } from '../case';
import { eventsOfType } from './case-facts';
import type { RuleFinding } from './finding';

/**
 * §2.14–2.15 — flags an alleged-perpetrator interview recorded before any partner interview (unless the
 * partner interview was marked not required), and §6.1 — an interview with a single interviewer.
 */
export function checkInterviewOrder_2_14_2_15(referral: Referral, events: readonly CaseEvent[]): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const partnerNotRequired = eventsOfType(events, 'step-not-required').some((e) => e.stepId === 'partner-interview');
  const firstPartner = eventsOfType(events, 'partner-interview')[0]?.occurredOn;
  const firstPerpetrator = eventsOfType(events, 'alleged-perpetrator-interview')[0];
  if (
    firstPerpetrator !== undefined &&
    referral.children.length > 0 &&
    !partnerNotRequired &&
    (firstPartner === undefined || firstPartner > firstPerpetrator.occurredOn)
  ) {
    findings.push({
      rule: '§2.14–2.15',
      code: 'alleged-perpetrator-interviewed-before-partner',
      severity: 'breach',
      message:
        '§2.14–2.15: the partner should be interviewed first; the alleged perpetrator was interviewed before the partner',
      on: firstPerpetrator.occurredOn,
      stepId: 'alleged-perpetrator-interview',
    });
  }
  for (const interview of eventsOfType(events, 'alleged-perpetrator-interview')) {
    if (interview.interviewers < 2) {
      findings.push({
        rule: '§6.1',
        code: 'single-interviewer',
        severity: 'warning',
        message: '§6.1: good practice is for two people to interview the alleged perpetrator',
        on: interview.occurredOn,
        stepId: 'alleged-perpetrator-interview',
      });
    }
  }
  return findings;
}
