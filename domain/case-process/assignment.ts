/**
 * Who a case is assigned to: the referral's practitioner and team, as the last reassignment left them, and the
 * service manager and LADO the policy names for the case's authority.
 */
import type { CaseEvent, Referral } from '../case';
import type { ProcedurePolicy } from '../policy';

/** Who plays each role on the case right now. */
export interface Assignment {
  readonly practitionerId: string;
  readonly teamId: string;
  /** The service manager of the case's authority (staff id), when the policy is known. */
  readonly serviceManagerId?: string;
  /** The LADO of the case's authority (staff id), when the policy is known. */
  readonly ladoId?: string;
}

/**
 * The practitioner and team the case is assigned to after its events (the last reassignment wins), with — given
 * the policy — its authority's service manager and LADO.
 */
export function assignmentOf(referral: Referral, events: readonly CaseEvent[], policy?: ProcedurePolicy): Assignment {
  let practitionerId: string = referral.practitionerId;
  let teamId: string = referral.teamId;
  for (const e of events) {
    if (e.type === 'practitioner-reassigned') {
      practitionerId = e.practitionerId;
      if (e.teamId !== undefined) teamId = e.teamId;
    }
  }
  const authority = policy?.authorities.find((a) => a.id === referral.authority);
  return authority === undefined
    ? { practitionerId, teamId }
    : { practitionerId, teamId, serviceManagerId: authority.serviceManager, ladoId: authority.lado };
}
