import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');

/** Runs the installed bin as a user would, returning exit code and output. */
function cpflow(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, 'bin/cpflow.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface PlanJson {
  policy: string;
  steps: {
    id: string;
    title: string;
    dueDate?: string;
    countsFrom?: { event: string; date: string; basis: string };
    waitsFor?: string;
    status: string;
    rule: string;
  }[];
}

describe('cpflow plan', () => {
  it('prints the plan as JSON; a step counting from an event not given waits for it, with no due date', () => {
    const run = cpflow('plan', '--referral-date', '2026-08-29', '--today', '2026-08-29', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as PlanJson;
    expect(out.policy).toBe('pan-bedfordshire');
    const byId = new Map(out.steps.map((s) => [s.id, s]));
    for (const id of ['referral-decision', 'strategy-discussion', 'assessment-complete']) {
      expect(Object.keys(byId.get(id) ?? {})).toEqual(
        expect.arrayContaining(['id', 'title', 'dueDate', 'countsFrom', 'rule']),
      );
    }
    expect(byId.get('referral-decision')?.dueDate).toBe('2026-09-01');
    expect(byId.get('assessment-complete')?.dueDate).toBe('2026-11-02');
    expect(byId.get('icpc')).toMatchObject({ status: 'waiting', waitsFor: 'strategy-discussion' });
    expect(byId.get('icpc')?.dueDate).toBeUndefined();
    expect(byId.get('first-core-group')).toMatchObject({ status: 'waiting', waitsFor: 'icpc' });
    expect(byId.get('first-rcpc')?.dueDate).toBeUndefined();
  });

  it('counts from the strategy discussion and ICPC dates given', () => {
    const run = cpflow(
      'plan',
      '--referral-date',
      '2026-08-29',
      '--strategy-date',
      '2026-09-02',
      '--icpc-date',
      '2026-09-21',
      '--json',
    );
    expect(run.code).toBe(0);
    const byId = new Map((JSON.parse(run.stdout) as PlanJson).steps.map((s) => [s.id, s]));
    expect(byId.get('icpc')?.dueDate).toBe('2026-09-23');
    expect(byId.get('first-core-group')).toMatchObject({
      dueDate: '2026-10-05',
      countsFrom: { event: 'icpc', date: '2026-09-21', basis: 'recorded' },
    });
    expect(byId.get('first-rcpc')?.dueDate).toBe('2026-12-21');
  });

  it('prints a readable table by default', () => {
    const run = cpflow('plan', '--referral-date', '2026-08-29', '--today', '2026-08-29');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^STEP\s+DUE\s+STATUS\s+COUNTS FROM$/m);
    // Readable in a terminal of 80 columns: the rule goes below its step, wrapped.
    expect(run.stdout).toMatch(/^ {4}RULE /m);
    expect(run.stdout.split('\n').filter((line) => line.length > 80)).toEqual([]);
    expect(run.stdout).toMatch(
      /^referral-decision\s+2026-09-01 Tue\s+due\s+referral-received\n\s+2026-08-29\n {4}RULE Working Together/m,
    );
    expect(run.stdout).toMatch(/^icpc\s+-\s+waiting\s+waits for\n\s+strategy-discussion\n {4}RULE §2\.16/m);
  });

  it('refuses an impossible date on stderr with a non-zero exit', () => {
    const run = cpflow('plan', '--referral-date', '2026-02-30', '--json');
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--referral-date: day must be between 01 and 28');
  });

  it('refuses an unknown policy, and names the file, field and rule of a bad one', () => {
    const unknown = cpflow('plan', '--referral-date', '2026-08-29', '--policy', 'atlantis');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown policy 'atlantis'");

    const data = JSON.parse(readFileSync(join(root, 'config/policies/pan-bedfordshire.json'), 'utf8')) as {
      steps: { offset: object }[];
    };
    data.steps[3].offset = { workingDays: 100_000 };
    const file = join(mkdtempSync(join(tmpdir(), 'cpflow-plan-')), 'draft-policy.json');
    writeFileSync(file, JSON.stringify(data));
    const bad = cpflow('plan', '--referral-date', '2026-08-29', '--policy', file, '--json');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain(
      'draft-policy.json: steps[3].offset.workingDays: must be a whole number from 0 to 520',
    );
  });

  it('refuses an ICPC on a weekend (census rule 8875)', () => {
    const run = cpflow('plan', '--referral-date', '2026-08-29', '--icpc-date', '2026-09-19');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('census rule 8875');
  });
});
