/**
 * Following the police investigation beside the child-protection case (§2.4, §2.8, §2.17): pre-charge bail and
 * its limits (PACE 1984 ss.47ZB–47ZG, as amended by the Police, Crime, Sentencing and Courts Act 2022 — the
 * limits and who may authorise each live in the policy), release under investigation, the police's decision.
 */
import { addMonthsClamped, type IsoDate } from '../calendar';
import { BAIL_AUTHORITIES, type BailAuthority, type CaseEvent, type Referral } from '../case';
import type { PreChargeBail } from '../policy';
import { deriveCaseFacts, eventsOfType, sortEvents } from './case-facts';
import type { Refusal } from './validate-event';

/** Events about the police investigation: the only ones a closed case still accepts while the police investigate. */
export const POLICE_EVENT_TYPES: readonly CaseEvent['type'][] = [
  'forensic-update',
  'forensic-results',
  'devices-seized',
  'police-bail',
  'released-under-investigation',
  'police-outcome',
];

/** The alleged person's current pre-charge bail. */
export interface Bail {
  /** The bail start date the limits count from. */
  readonly startedOn: IsoDate;
  /** The date the current bail period ends. */
  readonly endsOn: IsoDate;
  /** The date of the decision that set `endsOn`. */
  readonly decidedOn: IsoDate;
}

/**
 * The current pre-charge bail after the referral and the events (undefined when there is none: never bailed,
 * released under investigation, or the police have decided). Bail on the referral ends at the first limit.
 */
export function bailOf(referral: Referral, events: readonly CaseEvent[], limits: PreChargeBail): Bail | undefined {
  const granted = referral.police.preChargeBailGrantedOn;
  let bail: Bail | undefined =
    granted === undefined
      ? undefined
      : {
          startedOn: granted,
          endsOn: addMonthsClamped(granted, limits.limits[0].monthsFromStart),
          decidedOn: granted,
        };
  for (const e of sortEvents(events)) {
    if (e.type === 'police-bail') {
      const startedOn = e.action === 'extended' && bail !== undefined ? bail.startedOn : e.occurredOn;
      bail = { startedOn, endsOn: e.bailUntil, decidedOn: e.occurredOn };
    } else if (e.type === 'released-under-investigation' || e.type === 'police-outcome') {
      bail = undefined;
    }
  }
  return bail;
}

const rank = (authority: BailAuthority) => BAIL_AUTHORITIES.indexOf(authority);

/**
 * Every reason a police event cannot be recorded now (empty when it can): bail set beyond what its authority may
 * authorise, an extension with no bail to extend, bail granted while on bail, a decision or results with no
 * investigation to follow. Pure.
 */
export function checkPoliceEvent(
  referral: Referral,
  events: readonly CaseEvent[],
  event: CaseEvent,
  bailLaw: PreChargeBail,
): Refusal[] {
  const refusals: Refusal[] = [];
  const refuse = (code: string, field: string, rule: string, section = bailLaw.source) =>
    refusals.push({ code, field, rule, section });
  const facts = deriveCaseFacts(referral, events);
  switch (event.type) {
    case 'police-bail': {
      const bail = bailOf(referral, events, bailLaw);
      const onBail = bail !== undefined && bail.endsOn >= event.occurredOn;
      const [initial] = bailLaw.limits;
      if (event.action === 'extended') {
        if (!onBail) {
          refuse('not-on-bail', 'action', 'there is no current bail to extend (record re-bailed for a new bail)');
          break;
        }
        if (event.bailUntil <= bail.endsOn) refuse('not-later', 'bailUntil', 'must be later than the current bail end');
        const limit = bailLaw.limits.find(
          (l) => event.bailUntil <= addMonthsClamped(bail.startedOn, l.monthsFromStart),
        );
        if (limit === undefined) {
          const last = bailLaw.limits.at(-1) ?? initial;
          const lastEnd = addMonthsClamped(bail.startedOn, last.monthsFromStart);
          const from = bail.endsOn > lastEnd ? bail.endsOn : lastEnd;
          if (event.authorisedBy !== bailLaw.court.authorisedBy) {
            refuse(
              'needs-court',
              'authorisedBy',
              `bail beyond ${last.monthsFromStart} months from its start must be extended by ${bailLaw.court.authorisedBy}`,
            );
          } else if (event.bailUntil > addMonthsClamped(from, bailLaw.court.maxMonthsPerExtension)) {
            refuse(
              'beyond-court-extension',
              'bailUntil',
              `one court extension may add at most ${bailLaw.court.maxMonthsPerExtension} months`,
            );
          }
        } else if (rank(event.authorisedBy) < rank(limit.authorisedBy)) {
          refuse(
            'rank-too-low',
            'authorisedBy',
            `bail to ${limit.monthsFromStart} months from its start must be authorised by ${limit.authorisedBy} or above`,
          );
        }
      } else {
        if (event.action === 'granted' && onBail) {
          refuse('already-on-bail', 'action', 'the alleged person is already on bail (record extended)');
        }
        if (event.bailUntil > addMonthsClamped(event.occurredOn, initial.monthsFromStart)) {
          refuse(
            'beyond-initial-limit',
            'bailUntil',
            `initial bail ends at most ${initial.monthsFromStart} months after it starts`,
          );
        }
        if (rank(event.authorisedBy) < rank(initial.authorisedBy)) {
          refuse('rank-too-low', 'authorisedBy', `bail must be authorised by ${initial.authorisedBy} or above`);
        }
      }
      if (facts.forensicWait?.until !== undefined) {
        refuse('police-decided', 'type', 'the police have already decided (charge or no further action)', '§2.4, §2.8');
      }
      break;
    }
    case 'released-under-investigation':
    case 'police-outcome':
      if (facts.forensicWait === undefined || facts.forensicWait.from > event.occurredOn) {
        refuse(
          'no-police-investigation',
          'type',
          'no seizure of devices or bail is recorded on or before that date',
          '§2.4, §2.8',
        );
      } else if (facts.forensicWait.until !== undefined) {
        refuse('police-decided', 'type', 'the police have already decided (charge or no further action)', '§2.4, §2.8');
      }
      break;
    case 'forensic-update':
    case 'forensic-results':
      if (facts.forensicExamination === undefined || facts.forensicExamination.from > event.occurredOn) {
        refuse('no-devices-seized', 'type', 'no devices were seized on or before that date', '§2.4, §2.8');
      } else if (event.type === 'forensic-results' && eventsOfType(facts.events, 'forensic-results').length > 0) {
        refuse('already-recorded', 'type', 'the forensic results are already recorded', '§2.4, §2.8');
      }
      break;
    default:
      break;
  }
  return refusals;
}

/** Whether a police event may still be recorded on a closed case: the police investigation is still followed. */
export function stillFollowingPolice(referral: Referral, events: readonly CaseEvent[], event: CaseEvent): boolean {
  const wait = deriveCaseFacts(referral, events).forensicWait;
  return POLICE_EVENT_TYPES.includes(event.type) && wait !== undefined && wait.until === undefined;
}
