/**
 * Runs every procedure rule over a case and returns their findings, each citing its §.
 */
import type { CaseEvent, Referral } from '../case';
import type { ProcedurePolicy } from '../policy';
import { sortEvents } from './case-facts';
import { conferenceRequirement_2_16 } from './conference-requirement';
import type { RuleFinding } from './finding';
import { forensicResultsFindings } from './forensic-results';
import { checkForensicWait_2_17 } from './forensic-wait';
import { checkInterviewOrder_2_14_2_15 } from './interview-order';
import { ladoFindings_2_6_2_18 } from './lado-trigger';
import { checkLeavingHomeDecision_2_10 } from './leaving-home-decision';
import { checkChildInterviews_5_1, checkSection47Presumption_2_3, checkStrategyQuestions_2_6 } from './section-47';

/** Every finding of the procedure's rules for this case, in a fixed order. Pure. */
export function evaluateRules(
  referral: Referral,
  events: readonly CaseEvent[],
  policy: ProcedurePolicy,
): RuleFinding[] {
  const sorted = sortEvents(events);
  const findings: RuleFinding[] = [
    ...checkSection47Presumption_2_3(sorted),
    ...checkStrategyQuestions_2_6(sorted),
    ...checkChildInterviews_5_1(sorted),
    ...checkLeavingHomeDecision_2_10(sorted),
    ...checkInterviewOrder_2_14_2_15(referral, sorted),
    ...ladoFindings_2_6_2_18(referral, sorted),
    ...forensicResultsFindings(sorted),
    ...checkForensicWait_2_17(policy, sorted),
  ];
  const conference = conferenceRequirement_2_16(referral, sorted);
  if (conference.required && !sorted.some((e) => e.type === 'icpc')) {
    findings.push({
      rule: '§2.16',
      code: 'icpc-required',
      severity: 'action',
      message:
        '§2.16: the alleged person lives with or has regular contact with children — convene an ICPC unless significant factors against are recorded',
      stepId: 'icpc',
    });
  }
  return findings;
}
