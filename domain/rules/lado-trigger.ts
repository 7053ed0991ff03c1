/**
 * §2.6, §2.18: when the alleged person works or volunteers with children, or holds a position of trust, the
 * allegations procedure is triggered and a referral to the Local Authority Designated Officer is due.
 */
import type { IsoDate } from '../calendar';
import { type CaseEvent, type Referral, WORK_WITH_CHILDREN_QUESTIONS_2_6 } from '../case';
import type { RuleFinding } from './finding';

/** When and how the LADO referral was triggered. */
export interface LadoTrigger {
  readonly rule: '§2.6, §2.18';
  /** The date it became known: the LADO deadline counts from it. */
  readonly knownOn: IsoDate;
  readonly source: 'referral' | 'strategy-discussion' | 'information-gathered';
}

/**
 * §2.6, §2.18 — the earliest date the case learned that the alleged person works or volunteers with children or
 * holds a position of trust (referral flags, a §2.6 "yes", or the §2.18 item), or undefined when never.
 */
export function ladoTrigger_2_6_2_18(referral: Referral, events: readonly CaseEvent[]): LadoTrigger | undefined {
  let found: LadoTrigger | undefined;
  const consider = (knownOn: IsoDate, source: LadoTrigger['source']) => {
    if (found === undefined || knownOn < found.knownOn) found = { rule: '§2.6, §2.18', knownOn, source };
  };
  if (referral.allegedPerson.worksOrVolunteersWithChildren || referral.allegedPerson.holdsPositionOfTrust) {
    consider(referral.receivedOn, 'referral');
  }
  for (const event of events) {
    if (
      event.type === 'strategy-discussion' &&
      WORK_WITH_CHILDREN_QUESTIONS_2_6.some((q) => event.questions[q] === 'yes')
    ) {
      consider(event.occurredOn, 'strategy-discussion');
    } else if (
      event.type === 'information-gathered' &&
      event.items.includes('works-with-children-including-voluntary')
    ) {
      consider(event.occurredOn, 'information-gathered');
    }
  }
  return found;
}

/** §2.6, §2.18 — an action finding when the LADO referral is triggered. */
export function ladoFindings_2_6_2_18(referral: Referral, events: readonly CaseEvent[]): RuleFinding[] {
  const trigger = ladoTrigger_2_6_2_18(referral, events);
  if (trigger === undefined) return [];
  return [
    {
      rule: trigger.rule,
      code: 'lado-referral-triggered',
      severity: 'action',
      message:
        '§2.6, §2.18: the alleged person works or volunteers with children or holds a position of trust — refer to the LADO',
      on: trigger.knownOn,
      stepId: 'lado-referral',
    },
  ];
}
