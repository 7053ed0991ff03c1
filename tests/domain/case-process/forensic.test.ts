/**
 * The forensic wait follows the police (§2.4, §2.8, §2.17, §2.18): bail granted and extended by the authority
 * the law names for each limit (PACE 1984 ss.47ZB–47ZG as amended by the Police, Crime, Sentencing and Courts Act
 * 2022, kept in the policy), release under investigation, devices seized later, the police's decision ending the
 * wait, and serious results re-opening a closed case as a new enquiry.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../domain/calendar';
import { assignmentOf, caseStatusOf, scheduledNotices, timelineOf } from '../../../domain/case-process';
import type { CaseEventInput } from '../../../domain/case';
import { ev, policy, referral, strategyDiscussion } from '../planner/fixtures';
import { DrivenCase } from './driver';

const day = (date: string) => date as IsoDate;

/** Received on Monday 7 September 2026; devices seized and bail granted that day (bail ends Monday 7 December). */
const onBail = () =>
  referral({
    receivedOn: '2026-09-07',
    police: { devicesSeized: { count: 2, seizedOn: '2026-09-07' }, preChargeBailGrantedOn: '2026-09-07' },
  });

type BailInput = Extract<CaseEventInput, { type: 'police-bail' }>;
const bail = (on: string, action: BailInput['action'], bailUntil: string, authorisedBy: BailInput['authorisedBy']) =>
  ev(on, { type: 'police-bail', action, bailUntil, authorisedBy });

/** What the forensic wait sends on `date` (the forensic track's notices), as `stepId kind due`. */
function forensicNotices(c: DrivenCase, date: string): string[] {
  return scheduledNotices(
    timelineOf(c.state, policy, day(date)),
    day(date),
    day(date),
    ['forensic'],
    assignmentOf(c.state.referral, c.state.events),
  ).map((n) => `${n.stepId} ${n.kind} ${n.dueDate}`);
}

const stepOf = (c: DrivenCase, id: string, on: string) =>
  timelineOf(c.state, policy, day(on)).steps.find((s) => s.id === id);

describe('pre-charge bail', () => {
  it('reminds before the bail end date, and not on it once the police have extended bail the day before', () => {
    const c = new DrivenCase(onBail());
    expect(forensicNotices(c, '2026-11-30')).toEqual(['pre-charge-bail-ends reminder 2026-12-07']);
    expect(c.record(bail('2026-12-04', 'extended', '2027-03-07', 'inspector'))).toEqual([]);
    expect(forensicNotices(c, '2026-12-07')).toEqual([]);
    // The next milestone is planned from the extension: the new bail end date.
    expect(stepOf(c, 'pre-charge-bail-ends', '2026-12-07')).toMatchObject({
      status: 'due',
      dueDate: '2027-03-07',
      countsFrom: { event: 'pre-charge-bail-ends', date: '2027-03-07' },
    });
  });

  it('refuses an extension authorised below the rank the law names for its limit', () => {
    const c = new DrivenCase(onBail());
    const refused = c.record(bail('2026-12-01', 'extended', '2027-03-07', 'custody-officer'));
    expect(refused.map((r) => [r.code, r.field, r.rule])).toEqual([
      ['rank-too-low', 'authorisedBy', 'bail to 6 months from its start must be authorised by inspector or above'],
    ]);
    expect(refused[0].section).toContain('Police, Crime, Sentencing and Courts Act 2022');
    expect(c.record(bail('2026-12-01', 'extended', '2027-03-07', 'inspector'))).toEqual([]);
    // To 9 months: a superintendent, not an inspector.
    expect(c.record(bail('2027-03-01', 'extended', '2027-06-07', 'inspector')).map((r) => r.code)).toEqual([
      'rank-too-low',
    ]);
    expect(c.record(bail('2027-03-01', 'extended', '2027-06-07', 'superintendent'))).toEqual([]);
    // Beyond 9 months: only a magistrates' court, and 3 months at a time.
    expect(c.record(bail('2027-06-01', 'extended', '2027-09-07', 'superintendent')).map((r) => r.code)).toEqual([
      'needs-court',
    ]);
    expect(c.record(bail('2027-06-01', 'extended', '2027-11-07', 'magistrates-court')).map((r) => r.code)).toEqual([
      'beyond-court-extension',
    ]);
    expect(c.record(bail('2027-06-01', 'extended', '2027-09-07', 'magistrates-court'))).toEqual([]);
    expect(stepOf(c, 'pre-charge-bail-ends', '2027-06-01')?.dueDate).toBe('2027-09-07');
  });

  it('closes the bail milestone on release under investigation, and plans a new one on re-bail', () => {
    const c = new DrivenCase(onBail());
    expect(c.record(ev('2026-11-02', { type: 'released-under-investigation' }))).toEqual([]);
    expect(stepOf(c, 'pre-charge-bail-ends', '2026-11-02')).toBeUndefined();
    expect(forensicNotices(c, '2026-11-30')).toEqual([]);
    // Police updates go on while the devices are examined (the first, due 5 October, was never recorded).
    expect(stepOf(c, 'police-update-1', '2026-11-02')).toMatchObject({ status: 'overdue', dueDate: '2026-10-05' });
    // Extending bail that no longer exists is refused; a new bail is recorded as re-bailed.
    expect(c.record(bail('2027-01-04', 'extended', '2027-04-04', 'inspector')).map((r) => r.code)).toEqual([
      'not-on-bail',
    ]);
    expect(c.record(bail('2027-01-04', 're-bailed', '2027-04-04', 'custody-officer'))).toEqual([]);
    expect(stepOf(c, 'pre-charge-bail-ends', '2027-01-04')?.dueDate).toBe('2027-04-04');
  });
});

describe('the forensic wait', () => {
  it('starts when devices are seized after the referral', () => {
    const c = new DrivenCase(referral({ receivedOn: '2026-09-07' }));
    expect(c.state.children.forensic).toBe('not-started');
    expect(c.record(ev('2026-09-14', { type: 'devices-seized', count: 3 }))).toEqual([]);
    expect(c.decisions.at(-1)?.childStarts.map((s) => s.kind)).toEqual(['forensic']);
    // The first police update is due 4 weeks after the seizure.
    expect(stepOf(c, 'police-update-1', '2026-09-14')).toMatchObject({ status: 'due', dueDate: '2026-10-12' });
  });

  it('ends with the police decision: nothing more is asked of the police', () => {
    const c = new DrivenCase(onBail());
    expect(c.record(ev('2026-10-20', { type: 'police-outcome', outcome: 'charged' }))).toEqual([]);
    const forensic = timelineOf(c.state, policy, day('2026-10-20')).steps.filter(
      (s) => s.track === 'forensic' && (s.status === 'due' || s.status === 'overdue'),
    );
    expect(forensic).toEqual([]);
    expect(c.record(bail('2026-10-21', 'granted', '2027-01-20', 'custody-officer')).map((r) => r.code)).toEqual([
      'police-decided',
    ]);
  });

  it('shows as the stage while nothing of the procedure is left but the police investigation', () => {
    const c = new DrivenCase(onBail());
    c.record(strategyDiscussion('2026-09-08'));
    c.record(ev('2026-09-21', { type: 'icpc', outcome: 'no-plan' }));
    expect(caseStatusOf(c.state, policy, day('2026-09-21')).stage).toBe('forensic-wait');
  });
});

describe('results after the case closed', () => {
  it('are still recorded on the closed case, and serious ones re-open it as a new enquiry', () => {
    const c = new DrivenCase(onBail());
    c.record(strategyDiscussion('2026-09-08'));
    c.record(ev('2026-09-21', { type: 'icpc', outcome: 'no-plan' }));
    c.record(ev('2026-10-01', { type: 'case-closed', reason: 'no-further-action-after-assessment' }));
    expect(c.state.stage).toBe('closed');
    // Only the police side can still be recorded.
    expect(c.record(ev('2026-10-05', { type: 'partner-interview' })).map((r) => r.code)).toContain('case-closed');
    expect(c.record(ev('2026-10-05', { type: 'forensic-update', status: 'examination-in-progress' }))).toEqual([]);

    const results = ev('2027-02-01', { type: 'forensic-results', findings: ['images-of-household-children'] });
    expect(c.record(results)).toEqual([]);
    expect(c.state.stage).toBe('strategy-discussion');
    expect(c.sentLines((s) => s.notice.stepId === 'forensic-strategy-discussion')).toEqual([
      '2027-02-01 forensic-strategy-discussion reminder practitioner:sw-0042',
    ]);
    expect(timelineOf(c.state, policy, day('2027-02-01')).findings.map((f) => f.code)).toContain(
      'new-strategy-discussion-required',
    );

    // The new discussion starts a new enquiry: a new ICPC 15 working days after it, and the finding clears.
    c.record(strategyDiscussion('2027-02-02'));
    const t = timelineOf(c.state, policy, day('2027-02-02'));
    expect(t.findings.map((f) => f.code)).not.toContain('new-strategy-discussion-required');
    expect(t.steps.find((s) => s.id === 'icpc')).toMatchObject({
      status: 'due',
      dueDate: '2027-02-23',
      countsFrom: { date: '2027-02-02' },
    });
    expect(t.steps.find((s) => s.id === 'partner-interview')).toMatchObject({ status: 'due', dueDate: '2027-02-03' });
    expect(c.state.stage).toBe('section-47-enquiry');
    // A second conference, in the new enquiry, is accepted.
    expect(
      c.record(ev('2027-02-22', { type: 'icpc', outcome: 'child-protection-plan', category: 'sexual-abuse' })),
    ).toEqual([]);
    expect(c.state.stage).toBe('child-protection-plan');
  });
});
