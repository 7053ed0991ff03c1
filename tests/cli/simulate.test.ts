import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimulationReport } from '../../simulation';
import { cpflow, ROOT } from './support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'cpflow-simulate-'));
const lado = JSON.parse(readFileSync(join(ROOT, 'examples/scenarios/lado.json'), 'utf8')) as {
  referral: { receivedOn: string };
};

describe('cpflow simulate', () => {
  it('prints every reminder, escalation, LADO referral, stage change and email with its virtual time', async () => {
    const run = await cpflow(['simulate', 'examples/scenarios/lado.json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Simulation of case CP-2030-000201 \(policy pan-bedfordshire\)/);
    expect(run.stdout).toMatch(
      /^2030-03-05 Tue 11:00 {2}day {3}1 {2}lado {15}\[lado-referral\] LADO referral triggered/m,
    );
    expect(run.stdout).toMatch(
      /^2030-03-05 Tue 11:00 {2}day {3}1 {2}email-deferred {5}SMTP outage: delivery to lado\.lado-0101@cpflow\.test refused/m,
    );
    expect(run.stdout).toMatch(/^2030-03-05 Tue 1[34]:\d\d {2}day {3}1 {2}lado-referral {6}\[lado-referral\]/m);
    expect(run.stdout).toMatch(
      /^2030-05-10 Fri 09:00 {2}day {2}67 {2}escalation {9}\[assessment-complete\] overdue-escalation to team-manager:team-north/m,
    );
    expect(run.stdout).toMatch(
      /^2030-03-05 Tue 11:00 {2}day {3}1 {2}stage-change {7}stage strategy-discussion → section-47-enquiry$/m,
    );
    expect(run.stdout).toMatch(
      /^End: stage closure, open; \d+ email\(s\) delivered, [1-9]\d* deferred by SMTP outages\.$/m,
    );
  }, 120_000);

  it('prints JSON with --json', async () => {
    const run = await cpflow(['simulate', join(ROOT, 'examples/scenarios/lado.json'), '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as SimulationReport;
    expect(report.caseReference).toBe('CP-2030-000201');
    expect(report.entries.find((e) => e.kind === 'lado-referral')).toMatchObject({
      day: 1,
      source: 'case',
      stepId: 'lado-referral',
    });
    expect(report.emails.length).toBeGreaterThan(5);
  }, 120_000);

  it('refuses a bad scenario naming the fields, and a scenario dated before the server clock', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        ...lado,
        until: 'soon',
        events: [{ at: '2030-03-05', record: { type: 'icpc', outcome: 'no-plan', category: 'neglect' } }],
      }),
    );
    const run = await cpflow(['simulate', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('bad.json: invalid scenario:');
    expect(run.stderr).toContain('until: must be');

    const past = join(dir, 'past.json');
    writeFileSync(
      past,
      JSON.stringify({
        ...lado,
        referral: { ...lado.referral, receivedOn: '2020-03-02' },
        events: [],
        until: '2020-04-01',
        smtpOutages: [],
      }),
    );
    const old = await cpflow(['simulate', past]);
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('before the simulation clock');
    expect(old.stderr).toContain('date scenarios in the future');
  }, 120_000);
});
