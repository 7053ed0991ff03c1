/**
 * Serious forensic results (§2.5 category A images, images of household or known children, production or
 * trading — §2.9, §2.18) call for a new strategy discussion within the policy's deadline.
 */
import type { IsoDate } from '../calendar';
import { type CaseEvent, type ForensicFinding, SERIOUS_FORENSIC_FINDINGS } from '../case';
import type { RuleFinding } from './finding';

/** The first serious forensic results recorded. */
export interface SeriousForensicResults {
  readonly rule: '§2.5, §2.9, §2.18';
  readonly on: IsoDate;
  readonly findings: readonly ForensicFinding[];
}

/**
 * §2.5, §2.9, §2.18 — the first forensic results with category A images, images of household or known children,
 * production or trading; undefined when there are none.
 */
export function seriousForensicResults(events: readonly CaseEvent[]): SeriousForensicResults | undefined {
  for (const event of events) {
    if (event.type !== 'forensic-results') continue;
    const serious = event.findings.filter((f) => (SERIOUS_FORENSIC_FINDINGS as readonly string[]).includes(f));
    if (serious.length > 0) return { rule: '§2.5, §2.9, §2.18', on: event.occurredOn, findings: serious };
  }
  return undefined;
}

/** An action finding when serious forensic results call for a new strategy discussion. */
export function forensicResultsFindings(events: readonly CaseEvent[]): RuleFinding[] {
  const serious = seriousForensicResults(events);
  if (serious === undefined) return [];
  // The finding clears once the new strategy discussion is held.
  if (events.some((e) => e.type === 'strategy-discussion' && e.occurredOn >= serious.on)) return [];
  return [
    {
      rule: serious.rule,
      code: 'new-strategy-discussion-required',
      severity: 'action',
      message:
        'Serious forensic results (§2.5 category A, household or known children, production or trading): hold a new strategy discussion',
      on: serious.on,
      stepId: 'forensic-strategy-discussion',
    },
  ];
}

/**
 * §2.18 — the events of the enquiry under way: after serious forensic results a new enquiry starts, with the
 * events recorded since them (the results themselves excluded); otherwise every event. `since` is its start.
 */
export function currentEnquiry(events: readonly CaseEvent[]): { since?: IsoDate; events: readonly CaseEvent[] } {
  const since = seriousForensicResults(events)?.on;
  if (since === undefined) return { events };
  return { since, events: events.filter((e) => e.occurredOn >= since && e.type !== 'forensic-results') };
}
