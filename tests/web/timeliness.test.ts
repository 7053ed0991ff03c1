/** What a case publishes for its team's timeliness: each step done by its due date or after, counted by series. */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../domain/calendar';
import { searchValuesOf } from '../../domain/case-process';
import { timelinessOf } from '../../web/services/case-service';
import { ev, policy, referral, strategyDiscussion } from '../domain/planner/fixtures';
import { DrivenCase } from '../domain/case-process/driver';

describe('timeliness', () => {
  it('counts the ICPC held late and the visits made on time', () => {
    const c = new DrivenCase(referral({ receivedOn: '2026-09-07' }));
    c.record(ev('2026-09-07', { type: 'referral-decision', decision: 'section-47-enquiry' }));
    c.record(strategyDiscussion('2026-09-08'));
    // Due 15 working days after the discussion (29 September); held on 1 October.
    c.record(ev('2026-10-01', { type: 'icpc', outcome: 'child-protection-plan', category: 'sexual-abuse' }));
    c.record(ev('2026-10-08', { type: 'visit' }));
    c.record(ev('2026-10-20', { type: 'visit' }));
    const values = searchValuesOf(c.state, policy, '2026-10-21' as IsoDate);
    expect(values.timeliness).toContain('icpc:late:1');
    expect(values.timeliness).toContain('visit:on-time:2');
    expect(values.timeliness).toContain('referral-decision:on-time:1');
    // A team's figure adds up its cases' counts.
    const row = { caseReference: 'CP-2026-000001', openStepDues: [], timeliness: values.timeliness };
    expect(timelinessOf([row, row])).toEqual([
      { stepId: 'icpc', onTime: 0, late: 2 },
      { stepId: 'assessment-complete', onTime: 0, late: 0 },
      { stepId: 'visit', onTime: 4, late: 0 },
    ]);
  });
});
