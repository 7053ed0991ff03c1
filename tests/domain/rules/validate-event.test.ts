import { describe, expect, it } from 'vitest';
import { type CaseEvent } from '../../../domain/case';
import { checkEventAgainstCase, EventRefusedError, validateEventAgainstCase } from '../../../domain/rules';
import { ev, policy, referral, strategyDiscussion } from '../planner/fixtures';

const codes = (events: CaseEvent[], event: CaseEvent, today?: string) =>
  checkEventAgainstCase({ referral: referral(), events }, event, { policy, today: today as never }).map(
    (r) => `${r.code} ${r.field} ${r.section}`,
  );

const withPlan = [
  strategyDiscussion('2026-09-01'),
  ev('2026-09-21', { type: 'icpc', outcome: 'child-protection-plan', category: 'sexual-abuse' }),
];

describe('validateEventAgainstCase', () => {
  it('accepts an event that fits the case', () => {
    expect(codes(withPlan, ev('2026-10-02', { type: 'core-group' }))).toEqual([]);
    expect(() =>
      validateEventAgainstCase({ referral: referral(), events: withPlan }, ev('2026-10-02', { type: 'visit' })),
    ).not.toThrow();
  });

  it('refuses a core group with no plan', () => {
    expect(codes([strategyDiscussion('2026-09-01')], ev('2026-10-02', { type: 'core-group' }))).toEqual([
      'no-child-protection-plan occurredOn child protection plan',
    ]);
  });

  it('refuses a visit after the plan ended', () => {
    const ended = [...withPlan, ev('2026-12-18', { type: 'review-conference', outcome: 'plan-ends' })];
    expect(codes(ended, ev('2027-01-05', { type: 'visit' }))).toEqual([
      'no-child-protection-plan occurredOn child protection plan',
    ]);
  });

  it('refuses anything after closure', () => {
    const closed = [ev('2026-09-10', { type: 'case-closed', reason: 'no-further-action-after-assessment' })];
    expect(codes(closed, ev('2026-09-11', { type: 'partner-interview' }))).toEqual(['case-closed type case lifecycle']);
  });

  it('refuses an ICPC before the referral date (census rule 1104)', () => {
    expect(codes([], ev('2026-08-28', { type: 'icpc', outcome: 'no-plan' }))).toEqual([
      'before-referral occurredOn census rule 1104',
      'icpc-not-convened type §2.16', // nor any Section 47 enquiry that would presume it
    ]);
  });

  it('refuses an ICPC on a weekend (census rule 8875)', () => {
    expect(codes([strategyDiscussion('2026-09-01')], ev('2026-09-19', { type: 'icpc', outcome: 'no-plan' }))).toEqual([
      'icpc-on-weekend occurredOn census rule 8875',
    ]);
  });

  it('refuses a second ICPC, and an ICPC after it was recorded as not required (§2.16)', () => {
    expect(codes(withPlan, ev('2026-09-22', { type: 'icpc', outcome: 'no-plan' }))).toEqual([
      'icpc-already-held type case lifecycle',
    ]);
    const notRequired = [ev('2026-09-10', { type: 'icpc-not-required', reason: 'concerns-not-substantiated' })];
    expect(codes(notRequired, ev('2026-09-22', { type: 'icpc', outcome: 'no-plan' }))).toEqual([
      'icpc-not-required-recorded type §2.16',
    ]);
  });

  it('refuses extending a child-protection deadline to await the police (§2.17), but not a forensic one', () => {
    const cp = ev('2026-09-10', {
      type: 'deadline-extended',
      stepId: 'icpc',
      newDueDate: '2026-10-30',
      reason: 'awaiting-police-forensic-results',
      agreedBy: 'tm-007',
    });
    expect(codes([], cp)).toEqual(['awaits-police reason §2.17']);
    const forensic = ev('2026-09-10', {
      type: 'deadline-extended',
      stepId: 'police-update-2',
      newDueDate: '2026-10-30',
      reason: 'awaiting-police-forensic-results',
      agreedBy: 'tm-007',
    });
    expect(codes([], forensic)).toEqual([]);
  });

  it('refuses a step id the policy does not know', () => {
    const event = ev('2026-09-10', {
      type: 'step-not-required',
      stepId: 'tea-break',
      reason: 'superseded-by-later-step',
    });
    expect(codes([], event)).toEqual(['unknown-step stepId procedure policy']);
  });

  it('knows recurring occurrence ids', () => {
    for (const stepId of ['visit-3', 'first-core-group', 'core-group-2', 'first-rcpc', 'rcpc-2']) {
      expect(
        codes([], ev('2026-09-10', { type: 'step-not-required', stepId, reason: 'superseded-by-later-step' })),
      ).toEqual([]);
    }
  });

  it('refuses an event dated in the future', () => {
    expect(codes([], ev('2026-09-10', { type: 'partner-interview' }), '2026-09-09')).toEqual([
      'in-the-future occurredOn case lifecycle',
    ]);
  });

  it('refuses LADO events where no LADO track exists, and an acknowledgement before any referral was sent', () => {
    expect(codes([], ev('2026-09-10', { type: 'lado-referral-acknowledged' }))).toEqual([
      'no-lado-track type §2.6, §2.18',
    ]);
    const works = referral({
      allegedPerson: {
        livesWithChildren: true,
        regularContactWithChildren: false,
        worksOrVolunteersWithChildren: true,
        holdsPositionOfTrust: false,
      },
    });
    const lado = (event: CaseEvent, events: CaseEvent[] = []) =>
      checkEventAgainstCase({ referral: works, events }, event, { policy }).map((r) => r.code);
    expect(lado(ev('2026-09-10', { type: 'lado-referral-acknowledged' }))).toEqual(['no-lado-referral']);
    const sent = [ev('2026-09-01', { type: 'lado-referral-sent' })];
    expect(lado(ev('2026-09-10', { type: 'lado-review-meeting' }), sent)).toEqual(['no-lado-meeting']);
    expect(lado(ev('2026-09-10', { type: 'lado-strategy-meeting' }), sent)).toEqual([]);
  });

  it('throws a named error listing the refusals, without personal data', () => {
    const call = () =>
      validateEventAgainstCase(
        { referral: referral(), events: [] },
        ev('2026-09-19', { type: 'icpc', outcome: 'no-plan' }),
      );
    expect(call).toThrow(EventRefusedError);
    expect(call).toThrow('icpc refused: occurredOn: an ICPC cannot be held on a weekend (census rule 8875)');
  });
});
