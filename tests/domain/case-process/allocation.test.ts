/**
 * Allocation and handover: a new case's practitioner gets one email listing its first deadlines; on
 * reassignment the new practitioner — and, across teams, the new team's manager — are told the same way.
 */
import { describe, expect, it } from 'vitest';
import { renderNotificationEmail } from '../../../domain/notifications';
import { ev, referral, strategyDiscussion } from '../planner/fixtures';
import { DrivenCase } from './driver';

/** Received on Monday 7 September 2026. */
const received = () => referral({ receivedOn: '2026-09-07' });
const allocations = (c: DrivenCase) => c.sent.filter((s) => s.notice.kind === 'allocation');

describe('allocation', () => {
  it("sends the new case's practitioner one email with its first deadlines", () => {
    const c = new DrivenCase(received());
    c.runTo('2026-09-30');
    const sent = allocations(c);
    expect(sent.map((s) => `${s.on} ${s.notice.recipient}`)).toEqual(['2026-09-07 practitioner:sw-0042']);
    expect(sent[0].notice.deadlines?.map((d) => `${d.stepId} ${d.dueDate}`)).toEqual([
      'referral-decision 2026-09-08',
      'strategy-discussion 2026-09-08',
      's47-enquiry 2026-09-08',
      'assessment-complete 2026-11-09',
    ]);
    const email = renderNotificationEmail({
      caseReference: sent[0].notice.caseReference,
      stepId: sent[0].notice.stepId,
      stepTitle: sent[0].notice.stepTitle,
      dueDate: sent[0].notice.dueDate,
      kind: 'allocation',
      recipientRole: 'practitioner',
      caseUrl: 'https://cpflow.example/cases/CP-2026-000123',
      deadlines: [...(sent[0].notice.deadlines ?? [])],
    });
    expect(email.subject).toBe('[cpflow] Case CP-2026-000123 allocated: first deadline Tuesday, 8 September 2026');
    expect(email.text).toContain('First deadlines:');
    expect(email.text).toContain('Monday, 9 November 2026 (2026-11-09)  Child and family assessment completed');
  });
});

describe('handover', () => {
  it('tells the new practitioner; across teams, the new team manager too', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-08'));
    c.record(ev('2026-09-09', { type: 'practitioner-reassigned', practitionerId: 'sw-0077' }));
    c.record(ev('2026-09-10', { type: 'practitioner-reassigned', practitionerId: 'sw-0088', teamId: 'team-south' }));
    // The referral decision, never recorded, is the first (overdue) deadline each is told of.
    expect(allocations(c).map((s) => `${s.on} ${s.notice.recipient} ${s.notice.stepId}`)).toEqual([
      '2026-09-07 practitioner:sw-0042 referral-decision',
      '2026-09-09 practitioner:sw-0077 referral-decision',
      '2026-09-10 practitioner:sw-0088 referral-decision',
      '2026-09-10 team-manager:team-south referral-decision',
    ]);
    expect(allocations(c)[3].notice.deadlines?.map((d) => d.stepId)).toContain('partner-interview');
  });
});
