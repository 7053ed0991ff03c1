import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario, type SimulationEntry, type SimulationReport } from '../../simulation';
import { ukWallClock } from '../../simulation/uk-time';

const ROOT = resolve(__dirname, '../..');

async function simulate(name: string): Promise<SimulationReport> {
  const file = join(ROOT, 'examples/scenarios', name);
  return runScenario(parseScenario(JSON.parse(readFileSync(file, 'utf8')), name), {
    baseDir: join(ROOT, 'examples/scenarios'),
  });
}

/** `2030-03-05 11:00` (UK time) of an entry. */
function when(entry: SimulationEntry | undefined): string {
  if (entry === undefined) return 'never';
  const c = ukWallClock(entry.at);
  return `${c.date} ${c.time}`;
}

function find(
  report: SimulationReport,
  kind: string,
  match: (e: SimulationEntry) => boolean = () => true,
): SimulationEntry | undefined {
  return report.entries.find((e) => e.kind === kind && match(e));
}

describe('cpflow simulate: example scenarios on the time-skipping server', () => {
  it('lado.json: the LADO referral goes out on day 1 once the mail outage ends, then is chased', async () => {
    const report = await simulate('lado.json');
    const triggered = find(report, 'lado', (e) => e.detail.includes('LADO referral triggered'));
    expect(when(triggered)).toBe('2030-03-05 11:00');
    // The mail server is down 11:00–13:00: the referral is deferred, retried, and delivered after 13:00 the same day.
    expect(report.deferredEmails.length).toBeGreaterThan(0);
    expect(report.deferredEmails.every((d) => d.to === 'lado.lado-0101@cpflow.test')).toBe(true);
    const referral = find(report, 'lado-referral');
    expect(referral?.day).toBe(1);
    expect(ukWallClock(referral?.at ?? 0).date).toBe('2030-03-05');
    expect(ukWallClock(referral?.at ?? 0).time >= '13:00').toBe(true);
    const delivered = report.emails.find(
      (e) => e.to === 'lado.lado-0101@cpflow.test' && e.subject.includes('LADO referral'),
    );
    expect(delivered?.at).toBeGreaterThanOrEqual(Date.parse('2030-03-05T13:00:00Z'));
    // Acknowledgement due 6 March; chased at 09:00 one and three working days later.
    const chases = report.entries.filter((e) => e.kind === 'lado' && e.detail.includes('acknowledgement chase'));
    expect(chases.map(when)).toEqual(['2030-03-07 09:00', '2030-03-11 09:00']);
    expect(when(find(report, 'lado', (e) => e.detail.includes('LADO outcome recorded: substantiated')))).toBe(
      '2030-04-30 10:00',
    );
    // The assessment is never recorded: escalated to the team manager the working day after 9 May.
    expect(when(find(report, 'escalation', (e) => e.stepId === 'assessment-complete'))).toBe('2030-05-10 09:00');
  }, 120_000);

  it('twelve-month-case.json: late ICPC and missed visit escalated, holiday moves a visit, stages in order', async () => {
    const report = await simulate('twelve-month-case.json');
    // Commands happen at their scenario times.
    expect(when(find(report, 'command', (e) => e.detail.startsWith('recorded icpc')))).toBe('2030-03-28 10:00');
    // ICPC due Tue 26 March, held Thu 28: escalated to the team manager on the 27th.
    const icpcEscalation = find(report, 'escalation', (e) => e.stepId === 'icpc');
    expect(when(icpcEscalation)).toBe('2030-03-27 09:00');
    expect(icpcEscalation?.detail).toContain('team-manager:team-north');
    // Visit 9 due 30 July, recorded 5 August: team manager after one working day, service manager after three.
    const visit9 = report.entries.filter((e) => e.kind === 'escalation' && e.stepId === 'visit-9');
    expect(
      visit9.map((e) => `${when(e)} ${e.detail.includes('service-manager') ? 'service-manager' : 'team-manager'}`),
    ).toEqual(['2030-07-31 09:00 team-manager', '2030-08-02 09:00 service-manager']);
    expect(find(report, 'command', (e) => e.detail.startsWith('holiday announced'))?.detail).toContain(
      'moved visit-12 2030-09-13 → 2030-09-16',
    );
    const stages = report.entries.filter((e) => e.kind === 'stage-change').map((e) => e.detail.split('→')[1].trim());
    expect(stages).toEqual([
      'strategy-discussion',
      'section-47-enquiry',
      'assessment',
      'child-protection-plan',
      'closure',
      'closed',
    ]);
    expect(report.finalStatus).toMatchObject({ stage: 'closed', open: false });
    // Every escalation email reached a manager, never the family or a named person.
    const escalationMails = report.emails.filter((e) => e.subject.startsWith('[cpflow] Escalation'));
    expect(escalationMails.length).toBeGreaterThanOrEqual(4);
    expect(
      escalationMails.every((e) => /^(team-manager\.team-north|service-manager\.sm-0\d+)@cpflow\.test$/.test(e.to)),
    ).toBe(true);
    // In virtual-time order.
    expect(report.entries.map((e) => e.at)).toEqual([...report.entries.map((e) => e.at)].sort((a, b) => a - b));
  }, 120_000);

  it('late-forensic-results.json: serious results call a new strategy discussion, escalated when held late', async () => {
    const report = await simulate('late-forensic-results.json');
    const results = find(report, 'forensic', (e) => e.detail.includes('serious forensic results'));
    expect(when(results)).toBe('2030-10-15 15:00');
    expect(results?.detail).toContain('new strategy discussion due 2030-10-16');
    expect(when(find(report, 'escalation', (e) => e.stepId === 'forensic-strategy-discussion'))).toBe(
      '2030-10-17 09:00',
    );
    // The police update due 22 May came on 3 June: escalated on the 23rd.
    expect(when(find(report, 'escalation', (e) => e.stepId === 'police-update-3'))).toBe('2030-05-23 09:00');
    // The wait follows the police until they charge, ten days after the results.
    const ended = find(report, 'forensic', (e) => e.detail.includes('forensic wait ended'));
    expect(ended?.day).toBe(235);
    expect(ended?.detail).toContain('charged');
  }, 120_000);
});
