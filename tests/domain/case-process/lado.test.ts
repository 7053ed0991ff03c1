/**
 * The LADO track (§2.6, §2.18): the referral within 1 working day, its acknowledgement (escalated to managers
 * when it does not come), the LADO's allocation / strategy meeting within 5 working days and its review 28 days
 * later; the LADO's outcome closes what is left.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../domain/calendar';
import { timelineOf } from '../../../domain/case-process';
import { ev, policy, referral } from '../planner/fixtures';
import { DrivenCase } from './driver';

const day = (date: string) => date as IsoDate;
/** Received on Monday 7 September 2026 about someone who works with children. */
const worksWithChildren = () =>
  referral({
    receivedOn: '2026-09-07',
    allegedPerson: {
      livesWithChildren: true,
      regularContactWithChildren: false,
      worksOrVolunteersWithChildren: true,
      holdsPositionOfTrust: false,
    },
  });

const lado = (c: DrivenCase, on: string) =>
  timelineOf(c.state, policy, day(on))
    .steps.filter((s) => s.track === 'lado')
    .map((s) => `${s.id} ${s.status} ${s.dueDate ?? `waits for ${s.waitsFor ?? '?'}`}`);

/** The LADO child reports it sent the referral on 7 September (cpflow records it as its own event). */
function referralSent(c: DrivenCase): void {
  c.command({
    type: 'child-report',
    report: {
      from: 'lado',
      at: '2026-09-07T09:00:00Z',
      kind: 'lado-referral',
      detail: 'sent',
      ladoReferralSentOn: day('2026-09-07'),
    },
  });
}

describe('the LADO track', () => {
  it('plans the acknowledgement, the strategy meeting and its review from the referral sent', () => {
    const c = new DrivenCase(worksWithChildren());
    expect(c.decisions[0].childStarts.map((s) => s.kind)).toEqual(['lado']);
    expect(lado(c, '2026-09-07')).toEqual([
      'lado-referral due 2026-09-08',
      'lado-acknowledgement waiting waits for lado-referral-sent',
      'lado-strategy-meeting waiting waits for lado-referral-sent',
      'lado-review-meeting waiting waits for lado-strategy-meeting',
    ]);
    // The LADO child sent the referral: cpflow records it as its own event.
    referralSent(c);
    expect(lado(c, '2026-09-07')).toEqual([
      'lado-referral done 2026-09-08',
      'lado-acknowledgement due 2026-09-08',
      'lado-strategy-meeting due 2026-09-14',
      'lado-review-meeting waiting waits for lado-strategy-meeting',
    ]);
    c.record(ev('2026-09-08', { type: 'lado-referral-acknowledged' }));
    c.record(ev('2026-09-11', { type: 'lado-strategy-meeting' }));
    expect(lado(c, '2026-09-11')).toContain('lado-review-meeting due 2026-10-09');
    c.record(ev('2026-10-01', { type: 'lado-outcome', outcome: 'unsubstantiated' }));
    expect(lado(c, '2026-10-01')).toContain('lado-review-meeting not-required 2026-10-09');
  });

  it('escalates an unacknowledged referral to the team and service managers', () => {
    const c = new DrivenCase(worksWithChildren());
    referralSent(c);
    c.runTo('2026-09-11', 12);
    expect(c.sentLines((s) => s.notice.stepId === 'lado-acknowledgement')).toEqual([
      '2026-09-09 lado-acknowledgement overdue-escalation team-manager:team-north',
      '2026-09-11 lado-acknowledgement overdue-escalation service-manager:sm-0101',
    ]);
  });

  it('refuses LADO events on a case with no LADO track', () => {
    const c = new DrivenCase(referral({ receivedOn: '2026-09-07' }));
    expect(c.record(ev('2026-09-08', { type: 'lado-strategy-meeting' })).map((r) => [r.code, r.field])).toEqual([
      ['no-lado-track', 'type'],
    ]);
  });
});
