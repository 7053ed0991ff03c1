import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy, PolicyNotFoundError, POLICIES_DIR } from '../../../config/policy-loader';
import { InvalidPolicyError, parseProcedurePolicy } from '../../../domain/policy';
import { thrownBy } from '../../support/thrown';

const goodJson = (): Record<string, unknown> & { steps: Record<string, unknown>[] } =>
  JSON.parse(readFileSync(join(POLICIES_DIR, 'pan-bedfordshire.json'), 'utf8'));

function refusal(mutate: (p: ReturnType<typeof goodJson>) => void): string {
  const data = goodJson();
  mutate(data);
  return thrownBy(InvalidPolicyError, () => parseProcedurePolicy(data, 'pan-bedfordshire.json')).message;
}

describe('the Pan Bedfordshire policy file', () => {
  it('loads by name with the documented defaults', () => {
    const policy = loadPolicy('pan-bedfordshire');
    expect(policy.id).toBe('pan-bedfordshire');
    expect(policy.counting.workingDays).toBe('anchor-is-day-0');
    expect(policy.strategyDiscussionAnchor).toBe('first');
    expect(policy.notifications.reminders).toEqual([
      { to: 'practitioner', workingDaysBeforeDue: 2 },
      { to: 'practitioner', workingDaysBeforeDue: 0 },
    ]);
    expect(policy.notifications.escalations).toEqual([
      { to: 'team-manager', workingDaysAfterDue: 1 },
      { to: 'service-manager', workingDaysAfterDue: 3 },
    ]);
    const step = (id: string) => policy.steps.find((s) => s.id === id);
    expect(step('lado-referral')?.offset).toEqual({ workingDays: 1 });
    expect(step('icpc')?.offset).toEqual({ workingDays: 15 });
    expect(step('visit')?.repeat?.every).toEqual({ workingDays: 10 });
    expect(step('core-group')?.repeat).toEqual({ every: { weeks: 6 }, firstOccurrenceId: 'first-core-group' });
    expect(step('rcpc')?.offset).toEqual({ calendarMonths: 3 });
    expect(step('rcpc')?.repeat?.every).toEqual({ calendarMonths: 6 });
    expect(step('police-update')?.repeat?.every).toEqual({ weeks: 4 });
    // PACE 1984 ss.30A, 47ZB–47ZG as amended by the Police, Crime, Sentencing and Courts Act 2022.
    expect(policy.preChargeBail.limits).toEqual([
      { monthsFromStart: 3, authorisedBy: 'custody-officer' },
      { monthsFromStart: 6, authorisedBy: 'inspector' },
      { monthsFromStart: 9, authorisedBy: 'superintendent' },
    ]);
    expect(policy.preChargeBail.court).toEqual({ authorisedBy: 'magistrates-court', maxMonthsPerExtension: 3 });
    expect(step('pre-charge-bail-ends')).toMatchObject({ countsFrom: 'pre-charge-bail-ends', during: 'forensic-wait' });
  });

  it('refuses bail limits out of order', () => {
    expect(
      refusal((p) => ((p.preChargeBail as { limits: { monthsFromStart: number }[] }).limits[1].monthsFromStart = 2)),
    ).toBe('pan-bedfordshire.json: preChargeBail.limits[1].monthsFromStart: must be later than the previous limit');
  });

  it('loads the same file by path', () => {
    expect(loadPolicy(join(POLICIES_DIR, 'pan-bedfordshire.json')).id).toBe('pan-bedfordshire');
  });
});

describe('a bad policy is refused naming file, field and rule', () => {
  it('accepts a same-day offset (§2.13 same-day assessment) but refuses one that would never end', () => {
    const sameDay = goodJson();
    (sameDay.steps[3].offset as Record<string, unknown>).workingDays = 0;
    expect(parseProcedurePolicy(sameDay, 'pan-bedfordshire.json').steps[3].offset).toEqual({ workingDays: 0 });
    for (const [unit, value] of [
      ['workingDays', 100_000],
      ['calendarMonths', 25],
      ['weeks', 105],
    ] as const) {
      expect(refusal((p) => (p.steps[3].offset = { [unit]: value }))).toMatch(
        new RegExp(
          `^pan-bedfordshire\\.json: steps\\[3\\]\\.offset\\.${unit}: must be a whole number from [01] to \\d+$`,
        ),
      );
    }
    expect(refusal((p) => (p.steps[16].repeat = { every: { workingDays: 0 } }))).toBe(
      'pan-bedfordshire.json: steps[16].repeat.every.workingDays: must be at least 1 (a step cannot recur on the same day)',
    );
  });

  it('refuses an offset giving two units at once', () => {
    expect(refusal((p) => (p.steps[0].offset = { workingDays: 1, weeks: 2 }))).toBe(
      'pan-bedfordshire.json: steps[0].offset: must give exactly one of workingDays, calendarMonths, weeks, recordedReviewDate',
    );
  });

  it('refuses an unknown field instead of ignoring it (a typo must not fall back to a default)', () => {
    expect(refusal((p) => (p.strategyDiscussionAnchr = 'last'))).toContain(
      'pan-bedfordshire.json: (policy): has a field that is not part of it',
    );
  });

  it('refuses a missing counting convention', () => {
    expect(refusal((p) => delete (p.counting as Record<string, unknown>).workingDays)).toContain(
      'pan-bedfordshire.json: counting.workingDays: must be one of: anchor-is-day-0, anchor-is-day-1',
    );
  });

  it('refuses a step id that is not kebab-case', () => {
    expect(refusal((p) => (p.steps[0].id = 'Referral_Decision'))).toContain(
      'pan-bedfordshire.json: steps[0].id: must be a kebab-case id',
    );
  });

  it('refuses an unknown counts-from event', () => {
    expect(refusal((p) => (p.steps[2].countsFrom = 'arrest-warrant'))).toMatch(
      /^pan-bedfordshire\.json: steps\[2\]\.countsFrom: must be one of: referral-received, /,
    );
  });

  it('refuses duplicate step ids', () => {
    expect(refusal((p) => (p.steps[1].id = 'referral-decision'))).toBe(
      'pan-bedfordshire.json: steps[1].id: duplicates the id of steps[0]',
    );
  });

  it('refuses steps that count in a circle', () => {
    // The partner interview counting from the alleged perpetrator's, which counts from the partner's.
    const message = refusal((p) => (p.steps[3].countsFrom = 'alleged-perpetrator-interview'));
    expect(message).toBe(
      'pan-bedfordshire.json: steps[3].countsFrom: counts in a circle: partner-interview → alleged-perpetrator-interview → partner-interview\n' +
        'pan-bedfordshire.json: steps[4].countsFrom: counts in a circle: alleged-perpetrator-interview → partner-interview → alleged-perpetrator-interview',
    );
  });

  it('refuses a child-protection step that waits on the police (§2.17)', () => {
    expect(refusal((p) => (p.steps[5].countsFrom = 'forensic-results'))).toBe(
      'pan-bedfordshire.json: steps[5].countsFrom: §2.17: a child-protection step must not wait on the police investigation',
    );
  });

  it('refuses an escalation chain that does not move forward', () => {
    expect(
      refusal(
        (p) =>
          ((p.notifications as { escalations: unknown[] }).escalations = [
            { to: 'team-manager', workingDaysAfterDue: 2 },
            { to: 'service-manager', workingDaysAfterDue: 2 },
          ]),
      ),
    ).toBe(
      'pan-bedfordshire.json: notifications.escalations[1].workingDaysAfterDue: must be later than the previous escalation in the chain',
    );
  });

  it('refuses a review-date offset on a step that does not count from a written agreement', () => {
    expect(refusal((p) => (p.steps[0].offset = { recordedReviewDate: true }))).toBe(
      'pan-bedfordshire.json: steps[0].offset.recordedReviewDate: is only allowed when countsFrom is written-agreement',
    );
  });
});

describe('loadPolicy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cpflow-policy-'));

  it('names the file when it is not JSON', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "id": ');
    expect(() => loadPolicy(file)).toThrow(/^broken\.json: \(policy\): is not valid JSON/);
  });

  it('names the file of a bad policy given by path', () => {
    const data = goodJson();
    (data.steps[3].offset as Record<string, unknown>).workingDays = -2;
    const file = join(dir, 'luton-draft.json');
    writeFileSync(file, JSON.stringify(data));
    expect(() => loadPolicy(file)).toThrow(
      'luton-draft.json: steps[3].offset.workingDays: must be a whole number from 0 to 520',
    );
  });

  it('refuses an unknown policy name, listing the known ones', () => {
    expect(() => loadPolicy('atlantis')).toThrow(PolicyNotFoundError);
    expect(() => loadPolicy('atlantis')).toThrow(/known policies: .*pan-bedfordshire/);
  });
});
