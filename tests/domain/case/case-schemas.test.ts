import { describe, expect, it } from 'vitest';
import {
  CaseEventSchema,
  InvalidCaseEventError,
  InvalidReferralError,
  parseCaseEvent,
  parseReferral,
} from '../../../domain/case';
import { referralInput } from '../../support/case-fixtures';

const referral = referralInput({
  police: { reference: 'BED/26/001234', arrestedOn: '2026-08-28', devicesSeized: { count: 2, seizedOn: '2026-08-28' } },
});

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidReferralError || err instanceof InvalidCaseEventError) {
      return err.problems.map((p) => `${p.field}: ${p.rule}`);
    }
    throw err;
  }
  throw new Error('input was accepted');
}

describe('ReferralSchema', () => {
  it('accepts a pseudonymous referral', () => {
    expect(parseReferral(referral).receivedOn).toBe('2026-08-29');
  });

  it('refuses a name where the case reference belongs, without echoing it', () => {
    const err = problemsOf(() => parseReferral({ ...referral, caseReference: 'Jane Doe' }));
    expect(err).toEqual(['caseReference: must be a case reference like CP-2026-000123 (CP-year-six digits)']);
    expect(err.join()).not.toContain('Jane');
  });

  it('bounds what a referral carries: at most 30 children', () => {
    const many = Array.from({ length: 500_000 }, () => ({ age: 4 }));
    expect(problemsOf(() => parseReferral({ ...referral, children: many }))).toEqual([
      'children: must list at most 30 children (one household)',
    ]);
    expect(() => parseReferral({ ...referral, children: many.slice(0, 30) })).not.toThrow();
  });

  it('refuses a child given by name or date of birth', () => {
    expect(problemsOf(() => parseReferral({ ...referral, children: [{ age: 4, name: 'X' }] }))).toEqual([
      'children[0]: has a field that is not part of it',
    ]);
    expect(problemsOf(() => parseReferral({ ...referral, children: [{ age: 18 }] }))).toEqual([
      'children[0].age: must be 17 or less (a child is under 18)',
    ]);
  });

  it('names an impossible date and the rule it breaks', () => {
    expect(problemsOf(() => parseReferral({ ...referral, receivedOn: '2026-02-30' }))).toEqual([
      'receivedOn: day must be between 01 and 28 (February 2026 has 28 days)',
    ]);
  });

  it('requires the seizure date when devices were seized', () => {
    const police = { devicesSeized: { count: 1 } };
    expect(problemsOf(() => parseReferral({ ...referral, police }))).toEqual([
      'police.devicesSeized.seizedOn: is required when devices were seized (count > 0)',
    ]);
  });

  it('refuses a staff id that looks like a name', () => {
    expect(problemsOf(() => parseReferral({ ...referral, practitionerId: 'jane-smith' }))).toEqual([
      'practitionerId: must be a staff id like sw-0042 (sw, tm, sm, dw, lado, au, sys, hyphen, 3–6 digits)',
    ]);
  });

  it('refuses identifiers that carry a name and a date of birth, never repeating them', () => {
    // Each passed the old patterns and reached email subjects, search attributes and the audit trail.
    const problems = problemsOf(() =>
      parseReferral({
        ...referral,
        teamId: 'team-emma-smith-2015-03-02',
        practitionerId: 'emma-2015',
        police: { ...referral.police, reference: 'EMMA-SMITH-2015-03-02' },
      }),
    );
    expect(problems).toEqual([
      'teamId: must be a team id like team-north or team-north-2 (team-, one lowercase word, an optional number)',
      'practitionerId: must be a staff id like sw-0042 (sw, tm, sm, dw, lado, au, sys, hyphen, 3–6 digits)',
      'police.reference: must be a police reference like BED/24/001234 (force/year/number)',
    ]);
    expect(problems.join(' ')).not.toMatch(/emma|EMMA|2015/);
  });
});

describe('CaseEventSchema', () => {
  const base = { occurredOn: '2026-09-01', recordedBy: 'sw-0042' };

  it('accepts a strategy discussion with §2.6 answers, §2.9 factors and a §2.10 decision', () => {
    const event = parseCaseEvent({
      ...base,
      type: 'strategy-discussion',
      section47: 'initiated',
      questions: { 'child-at-immediate-risk-of-significant-harm': 'no', 'relevant-offending-history': 'not-known' },
      riskFactors: ['images-of-own-children'],
      leavingHomeDecision: 'asked-to-leave-home',
    });
    expect(event.type).toBe('strategy-discussion');
  });

  it('refuses an unknown event type', () => {
    expect(problemsOf(() => parseCaseEvent({ ...base, type: 'coffee-morning' }))).toEqual([
      'type: must be a known case event type',
    ]);
  });

  it('refuses free text in place of a §2.9 risk factor', () => {
    const problems = problemsOf(() =>
      parseCaseEvent({
        ...base,
        type: 'strategy-discussion',
        section47: 'initiated',
        questions: {},
        riskFactors: ['he seemed odd'],
      }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^riskFactors\[0\]: must be one of: previous-history-known-to-childrens-services, /);
  });

  it('refuses an unknown §2.6 question id', () => {
    const problems = problemsOf(() =>
      parseCaseEvent({
        ...base,
        type: 'strategy-discussion',
        section47: 'initiated',
        questions: { 'is-he-nice': 'yes' },
        riskFactors: [],
      }),
    );
    expect(problems[0]).toMatch(/^questions: /);
    expect(problems.join()).not.toContain('is-he-nice');
  });

  it('requires the abuse category when an ICPC makes a plan', () => {
    expect(problemsOf(() => parseCaseEvent({ ...base, type: 'icpc', outcome: 'child-protection-plan' }))).toEqual([
      'category: is required when the outcome is a child protection plan',
    ]);
  });

  it('refuses an image category outside A/B/C (§2.5)', () => {
    const problems = problemsOf(() =>
      parseCaseEvent({ ...base, type: 'information-gathered', imageCategories: ['D'], items: [] }),
    );
    expect(problems).toEqual(['imageCategories[0]: must be one of: A, B, C']);
  });

  it('requires a manager and a reason to extend a deadline', () => {
    const problems = problemsOf(() =>
      parseCaseEvent({ ...base, type: 'deadline-extended', stepId: 'icpc', newDueDate: '2026-09-30' }),
    );
    expect(problems).toEqual([
      'reason: must be one of: family-unavailable, interpreter-needed, awaiting-partner-agency, awaiting-police-forensic-results, practitioner-absence, child-unwell, other-recorded-in-case-file',
      'agreedBy: must be a staff id string',
    ]);
  });

  it('requires every event to carry occurredOn and recordedBy', () => {
    expect(problemsOf(() => parseCaseEvent({ type: 'visit' }))).toEqual([
      'occurredOn: must be a date in the form YYYY-MM-DD',
      'recordedBy: must be a staff id string',
    ]);
  });

  it('covers every event a practitioner records', () => {
    const types = CaseEventSchema.options.map((o) => o.shape.type.value);
    expect(types).toEqual(
      expect.arrayContaining([
        'referral-decision',
        'strategy-discussion',
        'partner-interview',
        'alleged-perpetrator-interview',
        'information-gathered',
        'protective-carer-assessment',
        'risk-judgement',
        'assessment-completed',
        'icpc',
        'icpc-not-required',
        'visit',
        'core-group',
        'review-conference',
        'written-agreement',
        'forensic-update',
        'forensic-results',
        'lado-referral-sent',
        'lado-referral-acknowledged',
        'lado-outcome',
        'step-not-required',
        'deadline-extended',
        'practitioner-reassigned',
        'case-closed',
      ]),
    );
  });
});
