/**
 * §2.3: a referral about children living with (or in contact with) an adult viewing child sexual abuse images
 * is presumed to trigger a Section 47 enquiry. §2.6: the strategy discussion must consider every question.
 */
import { type CaseEvent, STRATEGY_QUESTIONS_2_6 } from '../case';
import { eventsOfType } from './case-facts';
import type { RuleFinding } from './finding';

/** §2.3 — warns when a referral decision or strategy discussion departs from the Section 47 presumption. */
export function checkSection47Presumption_2_3(events: readonly CaseEvent[]): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const event of events) {
    if (event.type === 'referral-decision' && event.decision !== 'section-47-enquiry') {
      findings.push({
        rule: '§2.3',
        code: 'section-47-presumption-departed',
        severity: 'warning',
        message: '§2.3: a Section 47 enquiry is presumed for this kind of referral; the decision departs from it',
        on: event.occurredOn,
        stepId: 'referral-decision',
      });
    }
    if (event.type === 'strategy-discussion' && event.section47 === 'not-initiated') {
      findings.push({
        rule: '§2.3',
        code: 'section-47-not-initiated',
        severity: 'warning',
        message: '§2.3: a Section 47 enquiry is presumed; the strategy discussion did not initiate one',
        on: event.occurredOn,
        stepId: 's47-enquiry',
      });
    }
  }
  return findings;
}

/** §2.6 — flags the first strategy discussion that left any of the §2.6 questions unanswered. */
export function checkStrategyQuestions_2_6(events: readonly CaseEvent[]): RuleFinding[] {
  const first = eventsOfType(events, 'strategy-discussion')[0];
  if (first === undefined) return [];
  const missing = STRATEGY_QUESTIONS_2_6.filter((q) => first.questions[q] === undefined).length;
  if (missing === 0) return [];
  return [
    {
      rule: '§2.6',
      code: 'strategy-questions-unanswered',
      severity: 'warning',
      message: `§2.6: ${missing} of the ${STRATEGY_QUESTIONS_2_6.length} questions a strategy discussion must consider have no recorded answer`,
      on: first.occurredOn,
      stepId: 'strategy-discussion',
    },
  ];
}

/**
 * §5.1 — flags each strategy discussion that initiated a Section 47 enquiry without agreeing whether and how the
 * children are to be interviewed.
 */
export function checkChildInterviews_5_1(events: readonly CaseEvent[]): RuleFinding[] {
  return eventsOfType(events, 'strategy-discussion')
    .filter((d) => d.section47 === 'initiated' && d.childInterviews === undefined)
    .map((d) => ({
      rule: '§5.1',
      code: 'child-interviews-not-agreed',
      severity: 'warning',
      message: '§5.1: agree at the strategy discussion whether and at what stage the children are interviewed',
      on: d.occurredOn,
      stepId: 'strategy-discussion',
    }));
}

/** §2.6 — whether a strategy discussion found a child at immediate risk of significant harm. */
export function immediateRisk_2_6(event: CaseEvent): boolean {
  return (
    event.type === 'strategy-discussion' && event.questions['child-at-immediate-risk-of-significant-harm'] === 'yes'
  );
}
