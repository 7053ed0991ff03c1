/**
 * §2.17: cases must not await the outcome of the police investigation before sound safeguarding action is
 * taken — the forensic wait runs beside the child-protection timeline, never in front of it.
 */
import type { CaseEvent } from '../case';
import type { ProcedurePolicy } from '../policy';
import type { RuleFinding } from './finding';

/** The extension reason that would make a child-protection deadline wait on the police. */
export const AWAITING_POLICE_REASON = 'awaiting-police-forensic-results';

/** The series id of a step or occurrence id (`visit-3` → `visit`, `first-core-group` → `core-group`). */
export function seriesOf(policy: ProcedurePolicy, stepId: string): ProcedurePolicy['steps'][number] | undefined {
  const direct = policy.steps.find((s) => s.id === stepId || s.repeat?.firstOccurrenceId === stepId);
  if (direct !== undefined) return direct;
  const match = /^(.*)-(\d+)$/.exec(stepId);
  if (match === null) return undefined;
  return policy.steps.find((s) => s.repeat !== undefined && s.id === match[1]);
}

/**
 * §2.17 — true when `event` would hold back a child-protection step for the police: a deadline extension of a
 * child-protection step for the reason "awaiting police forensic results".
 */
export function holdsBackForPolice_2_17(policy: ProcedurePolicy, event: CaseEvent): boolean {
  if (
    (event.type !== 'deadline-extended' && event.type !== 'extension-requested') ||
    event.reason !== AWAITING_POLICE_REASON
  )
    return false;
  return seriesOf(policy, event.stepId)?.track === 'child-protection';
}

/** §2.17 — breaches already in a case's history (e.g. imported records). */
export function checkForensicWait_2_17(policy: ProcedurePolicy, events: readonly CaseEvent[]): RuleFinding[] {
  return events
    .filter((e) => holdsBackForPolice_2_17(policy, e))
    .map((e) => ({
      rule: '§2.17',
      code: 'child-protection-step-awaiting-police',
      severity: 'breach',
      message: '§2.17: a child-protection deadline must not wait for the police investigation',
      on: e.occurredOn,
      stepId: e.type === 'deadline-extended' ? e.stepId : undefined,
    }));
}
