/** Who a case is assigned to: the referral's practitioner and team, as the last reassignment left them. */
import type { CaseEvent, Referral } from '../case';

/** Who plays each role on the case right now. */
export interface Assignment {
  readonly practitionerId: string;
  readonly teamId: string;
}

/** The practitioner and team the case is assigned to after its events (the last reassignment wins). */
export function assignmentOf(referral: Referral, events: readonly CaseEvent[]): Assignment {
  let practitionerId: string = referral.practitionerId;
  let teamId: string = referral.teamId;
  for (const e of events) {
    if (e.type === 'practitioner-reassigned') {
      practitionerId = e.practitionerId;
      if (e.teamId !== undefined) teamId = e.teamId;
    }
  }
  return { practitionerId, teamId };
}
