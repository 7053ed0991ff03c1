/** Who may see and do what on a case: each role's scope, decided once for the pages, the API and the CLI. */
import { describe, expect, it } from 'vitest';
import {
  canAgreeExtension,
  canOpenReferral,
  canReadCase,
  type CaseScope,
  recordableEvents,
  type Viewer,
} from '../../../domain/access';
import { CASE_EVENT_TYPES } from '../../../domain/case';

const scope: CaseScope = {
  teamId: 'team-north',
  practitionerId: 'sw-0042',
  authority: 'bedford-borough',
  ladoTrack: false,
};
const practitioner: Viewer = { staffId: 'sw-0042', role: 'practitioner', teamId: 'team-north' };
const colleague: Viewer = { staffId: 'sw-0043', role: 'practitioner', teamId: 'team-north' };
const manager: Viewer = { staffId: 'tm-007', role: 'team-manager', teamId: 'team-north', authority: 'bedford-borough' };
const otherManager: Viewer = { staffId: 'tm-008', role: 'team-manager', teamId: 'team-south' };
const serviceManager: Viewer = { staffId: 'sm-0101', role: 'service-manager', authority: 'bedford-borough' };
const lutonManager: Viewer = { staffId: 'sm-0301', role: 'service-manager', authority: 'luton' };
const lado: Viewer = { staffId: 'lado-0101', role: 'lado', authority: 'bedford-borough' };
const auditor: Viewer = { staffId: 'au-0001', role: 'auditor' };
const duty: Viewer = { staffId: 'dw-0001', role: 'duty-worker', teamId: 'team-north' };

describe('reading a case', () => {
  it('is for its practitioner, its team, its authority, a LADO where it has a LADO track, and auditors', () => {
    const readers = [practitioner, colleague, manager, otherManager, serviceManager, lutonManager, lado, auditor, duty]
      .filter((v) => canReadCase(v, scope))
      .map((v) => v.staffId);
    expect(readers).toEqual(['sw-0042', 'tm-007', 'sm-0101', 'au-0001', 'dw-0001']);
    expect(canReadCase(lado, { ...scope, ladoTrack: true })).toBe(true);
  });
});

describe('recording on a case', () => {
  it("keeps managers' and the LADO's events to them, and extensions out of forms", () => {
    const mine = recordableEvents(practitioner, scope, CASE_EVENT_TYPES);
    expect(mine).toContain('strategy-discussion');
    expect(mine).not.toContain('case-closed');
    expect(mine).not.toContain('lado-outcome');
    expect(mine).not.toContain('deadline-extended');
    expect(recordableEvents(manager, scope, CASE_EVENT_TYPES)).toContain('case-closed');
    expect(recordableEvents(lado, { ...scope, ladoTrack: true }, CASE_EVENT_TYPES)).toEqual([
      'lado-referral-acknowledged',
      'lado-strategy-meeting',
      'lado-review-meeting',
      'lado-outcome',
    ]);
    expect(recordableEvents(auditor, scope, CASE_EVENT_TYPES)).toEqual([]);
    expect(recordableEvents(otherManager, scope, CASE_EVENT_TYPES)).toEqual([]);
  });

  it('lets a manager of the case agree an extension someone else asked for, never their own', () => {
    expect(canAgreeExtension(manager, scope, 'sw-0042')).toBe(true);
    expect(canAgreeExtension(manager, scope, 'tm-007')).toBe(false);
    expect(canAgreeExtension(practitioner, scope, 'sw-0043')).toBe(false);
    expect(canAgreeExtension(otherManager, scope, 'sw-0042')).toBe(false);
  });

  it('lets duty workers and team managers open referrals for their own team only', () => {
    expect(canOpenReferral(duty, 'team-north')).toBe(true);
    expect(canOpenReferral(duty, 'team-south')).toBe(false);
    expect(canOpenReferral(practitioner, 'team-north')).toBe(false);
  });
});
