import { describe, expect, it } from 'vitest';
import {
  checkInterviewOrder_2_14_2_15,
  checkLeavingHomeDecision_2_10,
  conferenceRequirement_2_16,
  evaluateRules,
  ladoTrigger_2_6_2_18,
  seriousForensicResults,
} from '../../../domain/rules';
import { ev, policy, referral, strategyDiscussion } from '../planner/fixtures';

describe('§2.9–2.10 risk factor ⇒ decision on leaving the home', () => {
  it('flags a strategy discussion with a §2.9 risk factor and no §2.10 decision', () => {
    const findings = checkLeavingHomeDecision_2_10([
      strategyDiscussion('2026-09-01', { riskFactors: ['images-of-own-children'] }),
    ]);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: '§2.10',
        code: 'leaving-home-decision-missing',
        severity: 'breach',
        on: '2026-09-01',
      }),
    ]);
  });

  it('accepts the same discussion once a written agreement is decided', () => {
    const sd = strategyDiscussion('2026-09-01', {
      riskFactors: ['images-of-own-children'],
      leavingHomeDecision: 'remains-with-written-agreement',
    });
    expect(checkLeavingHomeDecision_2_10([sd])).toEqual([]);
  });

  it('asks nothing when no risk factor is present', () => {
    expect(checkLeavingHomeDecision_2_10([strategyDiscussion('2026-09-01')])).toEqual([]);
  });
});

describe('§2.14–2.15 the partner is interviewed first', () => {
  it('flags the alleged perpetrator interviewed before the partner', () => {
    const events = [
      ev('2026-09-02', { type: 'alleged-perpetrator-interview', interviewers: 2 }),
      ev('2026-09-03', { type: 'partner-interview' }),
    ];
    expect(checkInterviewOrder_2_14_2_15(referral(), events)).toEqual([
      expect.objectContaining({
        rule: '§2.14–2.15',
        code: 'alleged-perpetrator-interviewed-before-partner',
        on: '2026-09-02',
      }),
    ]);
  });

  it('accepts the partner first, and flags a lone interviewer (§6.1)', () => {
    const events = [
      ev('2026-09-02', { type: 'partner-interview' }),
      ev('2026-09-03', { type: 'alleged-perpetrator-interview', interviewers: 1 }),
    ];
    expect(checkInterviewOrder_2_14_2_15(referral(), events).map((f) => f.rule)).toEqual(['§6.1']);
  });

  it('does not flag when the partner interview was marked not required', () => {
    const events = [
      ev('2026-09-01', {
        type: 'step-not-required',
        stepId: 'partner-interview',
        reason: 'not-applicable-to-household',
      }),
      ev('2026-09-02', { type: 'alleged-perpetrator-interview', interviewers: 2 }),
    ];
    expect(checkInterviewOrder_2_14_2_15(referral(), events)).toEqual([]);
  });
});

describe('§2.16 an ICPC where the alleged person lives with or has regular contact with children', () => {
  it('is required when he lives with children', () => {
    expect(conferenceRequirement_2_16(referral(), [])).toEqual({
      required: true,
      rule: '§2.16',
      because: 'lives-with-children',
    });
  });

  it('is required for regular contact', () => {
    const r = referral({
      allegedPerson: {
        livesWithChildren: false,
        regularContactWithChildren: true,
        worksOrVolunteersWithChildren: false,
        holdsPositionOfTrust: false,
      },
    });
    expect(conferenceRequirement_2_16(r, [])).toMatchObject({
      required: true,
      because: 'regular-contact-with-children',
    });
  });

  it('is not required once a reason is recorded', () => {
    const events = [ev('2026-09-10', { type: 'icpc-not-required', reason: 'significant-factors-against-conference' })];
    expect(conferenceRequirement_2_16(referral(), events)).toEqual({
      required: false,
      rule: '§2.16',
      because: 'not-required-reason-recorded',
      reason: 'significant-factors-against-conference',
      on: '2026-09-10',
    });
  });

  it('is reported as an action by evaluateRules until the ICPC is held', () => {
    expect(evaluateRules(referral(), [], policy).map((f) => f.code)).toContain('icpc-required');
    const held = [strategyDiscussion('2026-09-01'), ev('2026-09-21', { type: 'icpc', outcome: 'no-plan' })];
    expect(evaluateRules(referral(), held, policy).map((f) => f.code)).not.toContain('icpc-required');
  });
});

describe('§2.6, §2.18 work with children or a position of trust ⇒ LADO', () => {
  const noContact = {
    livesWithChildren: true,
    regularContactWithChildren: false,
    worksOrVolunteersWithChildren: false,
    holdsPositionOfTrust: false,
  };

  it('is triggered by the referral on the day it is received', () => {
    const r = referral({ allegedPerson: { ...noContact, holdsPositionOfTrust: true } });
    expect(ladoTrigger_2_6_2_18(r, [])).toEqual({ rule: '§2.6, §2.18', knownOn: '2026-08-29', source: 'referral' });
  });

  it('is triggered by a §2.6 "yes" at the strategy discussion', () => {
    const sd = strategyDiscussion('2026-09-01', {
      questions: { 'person-accessing-images-in-contact-with-children-at-work': 'yes' },
    });
    expect(ladoTrigger_2_6_2_18(referral(), [sd])).toEqual({
      rule: '§2.6, §2.18',
      knownOn: '2026-09-01',
      source: 'strategy-discussion',
    });
  });

  it('is triggered by the §2.18 information item', () => {
    const info = ev('2026-09-15', {
      type: 'information-gathered',
      imageCategories: ['C'],
      items: ['works-with-children-including-voluntary'],
    });
    expect(ladoTrigger_2_6_2_18(referral(), [info])?.knownOn).toBe('2026-09-15');
  });

  it('is not triggered by a "no"', () => {
    const sd = strategyDiscussion('2026-09-01', {
      questions: { 'person-accessing-images-in-contact-with-children-at-work': 'no' },
    });
    expect(ladoTrigger_2_6_2_18(referral(), [sd])).toBeUndefined();
  });
});

describe('serious forensic results ⇒ new strategy discussion', () => {
  it.each([
    'category-a-images',
    'images-of-household-children',
    'images-of-known-children',
    'production-of-images',
    'trading-of-images',
  ] as const)('is triggered by %s', (finding) => {
    const results = ev('2027-02-10', { type: 'forensic-results', findings: ['category-c-images', finding] });
    expect(seriousForensicResults([results])).toEqual({
      rule: '§2.5, §2.9, §2.18',
      on: '2027-02-10',
      findings: [finding],
    });
  });

  it('is not triggered by category B/C images alone', () => {
    const results = ev('2027-02-10', {
      type: 'forensic-results',
      findings: ['category-b-images', 'category-c-images'],
    });
    expect(seriousForensicResults([results])).toBeUndefined();
  });
});

describe('§2.17 and §2.3 through evaluateRules', () => {
  it('reports a child-protection deadline extended to await the police as a §2.17 breach', () => {
    const events = [
      ev('2026-09-10', {
        type: 'deadline-extended',
        stepId: 'assessment-complete',
        newDueDate: '2026-12-01',
        reason: 'awaiting-police-forensic-results',
        agreedBy: 'tm-007',
      }),
    ];
    expect(evaluateRules(referral(), events, policy)).toContainEqual(
      expect.objectContaining({
        rule: '§2.17',
        code: 'child-protection-step-awaiting-police',
        stepId: 'assessment-complete',
      }),
    );
  });

  it('warns when the referral decision departs from the §2.3 presumption', () => {
    const events = [ev('2026-09-01', { type: 'referral-decision', decision: 'no-further-action' })];
    expect(evaluateRules(referral(), events, policy)).toContainEqual(
      expect.objectContaining({ rule: '§2.3', code: 'section-47-presumption-departed' }),
    );
  });
});
