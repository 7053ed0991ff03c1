import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidScenarioError, parseScenario } from '../../simulation/scenario';
import { SimulatedMailer } from '../../simulation/simulated-mailer';
import { ukLocalToEpochMs, ukWallClock } from '../../simulation/uk-time';
import { thrownBy } from '../support/thrown';

const ROOT = resolve(__dirname, '../..');
const lado = JSON.parse(readFileSync(join(ROOT, 'examples/scenarios/lado.json'), 'utf8')) as Record<string, unknown>;

function problemsOf(input: unknown): string[] {
  const error = thrownBy(InvalidScenarioError, () => parseScenario(input, 'test.json'));
  return error.problems.map((p) => `${p.field}: ${p.rule}`);
}

describe('scenario files', () => {
  it('resolves UK local times, fills occurredOn and recordedBy, and ends after until', () => {
    const scenario = parseScenario(lado, 'lado.json');
    expect(new Date(scenario.openedAt).toISOString()).toBe('2030-03-04T10:00:00.000Z');
    expect(scenario.commands[0]).toMatchObject({
      kind: 'record',
      at: Date.parse('2030-03-04T11:00:00Z'),
      event: { type: 'referral-decision', occurredOn: '2030-03-04', recordedBy: 'sw-0042' },
    });
    expect(scenario.smtpOutages).toEqual([
      { from: Date.parse('2030-03-05T11:00:00Z'), to: Date.parse('2030-03-05T13:00:00Z') },
    ]);
    // until 2030-05-10 (BST): the simulation runs to midnight UK time at its end.
    expect(new Date(scenario.endsAt).toISOString()).toBe('2030-05-10T23:00:00.000Z');
  });

  it('names each bad field and its rule, including inside recorded events', () => {
    const problems = problemsOf({
      ...lado,
      until: '2030-02-30',
      events: [
        { at: '2030-03-05 11:00', record: { type: 'partner-interview' } },
        { at: '2030-03-06', record: { type: 'icpc', outcome: 'child-protection-plan' } },
        { at: '2030-03-07', record: { type: 'tea-party' } },
      ],
      smtpOutages: [{ from: '2030-03-05T13:00' }],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'events[0].at: must be YYYY-MM-DD or YYYY-MM-DDTHH:MM (UK local time; a date alone means 10:00)',
        'until: day must be between 01 and 28 (February 2030 has 28 days)',
        'smtpOutages[0].to: must be a UK local time string',
      ]),
    );
    const later = problemsOf({
      ...lado,
      events: [
        { at: '2030-03-06', record: { type: 'icpc', outcome: 'child-protection-plan' } },
        { at: '2030-03-05', record: { type: 'tea-party' } },
      ],
    });
    expect(later).toEqual(
      expect.arrayContaining([
        'events[0].record.category: is required when the outcome is a child protection plan',
        'events[1].at: must not be before the previous event (or openedAt)',
        'events[1].record.type: must be a known case event type',
      ]),
    );
    expect(
      problemsOf({ ...lado, events: [{ at: '2030-04-01', announceHoliday: { date: '2030-06-03', name: ' ' } }] }),
    ).toEqual(['events[0].announceHoliday.name: must not be empty']);
    expect(
      problemsOf({
        ...lado,
        events: [{ at: '2030-06-01', announceHoliday: { date: '2030-06-03', name: 'x' } }],
        smtpOutages: [{ from: '2030-03-05T13:00', to: '2030-03-05T12:00' }],
      }),
    ).toEqual(['events[0].at: must not be after until', 'smtpOutages[0].to: must be after from']);
  });

  it('refuses unknown fields and a bad referral with their paths', () => {
    const problems = problemsOf({
      ...lado,
      refferal: {},
      referral: { ...(lado.referral as object), caseReference: 'Smith' },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        ': has a field that is not part of it',
        'referral.caseReference: must be a case reference like CP-2026-000123 (CP-year-six digits)',
      ]),
    );
    expect(problems.join('\n')).not.toContain('Smith');
    expect(problems.join('\n')).not.toContain('refferal');
  });
});

describe('UK local time', () => {
  it('follows British Summer Time', () => {
    expect(new Date(ukLocalToEpochMs('2030-01-15T09:00')).toISOString()).toBe('2030-01-15T09:00:00.000Z');
    expect(new Date(ukLocalToEpochMs('2030-07-15T09:00')).toISOString()).toBe('2030-07-15T08:00:00.000Z');
    expect(ukWallClock(Date.parse('2030-03-31T01:30:00Z'))).toEqual({
      date: '2030-03-31',
      time: '02:30',
      weekday: 'Sun',
    });
  });
});

describe('simulated mail server', () => {
  it('refuses connections during an outage as nodemailer reports them, and captures deliveries', async () => {
    let now = Date.parse('2030-03-05T11:30:00Z');
    const mailer = new SimulatedMailer(
      [{ from: Date.parse('2030-03-05T11:00:00Z'), to: Date.parse('2030-03-05T13:00:00Z') }],
      () => now,
    );
    const message = {
      to: 'lado@cpflow.test',
      subject: 's',
      text: 't',
      messageId: '<m@x>',
      headers: { 'X-Cpflow-Notification-Kind': 'lado-referral' },
    };
    await expect(mailer.sendMail(message)).rejects.toMatchObject({ code: 'ECONNECTION' });
    now = Date.parse('2030-03-05T13:00:00Z');
    await mailer.sendMail(message);
    expect(mailer.refused).toEqual([{ at: Date.parse('2030-03-05T11:30:00Z'), to: 'lado@cpflow.test', subject: 's' }]);
    expect(mailer.delivered).toEqual([
      { at: now, to: 'lado@cpflow.test', subject: 's', kind: 'lado-referral', messageId: '<m@x>' },
    ]);
  });
});
