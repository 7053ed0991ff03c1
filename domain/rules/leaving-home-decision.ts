/**
 * §2.9–2.10: when any early risk factor is present, the strategy discussion must consider whether the alleged
 * offender leaves the home during the assessment, or how risk is managed, including a written agreement.
 */
import type { CaseEvent } from '../case';
import { eventsOfType } from './case-facts';
import type { RuleFinding } from './finding';

/**
 * §2.10 — flags each strategy discussion that recorded a §2.9 risk factor but no decision on the alleged
 * person leaving the home (or a written agreement / other risk management).
 */
export function checkLeavingHomeDecision_2_10(events: readonly CaseEvent[]): RuleFinding[] {
  return eventsOfType(events, 'strategy-discussion')
    .filter((sd) => sd.riskFactors.length > 0 && sd.leavingHomeDecision === undefined)
    .map((sd) => ({
      rule: '§2.10',
      code: 'leaving-home-decision-missing',
      severity: 'breach',
      message:
        '§2.9 risk factor recorded: §2.10 requires the strategy discussion to decide whether the alleged person leaves the home, or how risk is managed (e.g. a written agreement)',
      on: sd.occurredOn,
      stepId: 'strategy-discussion',
    }));
}
