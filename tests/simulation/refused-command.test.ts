import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario } from '../../simulation';
import { referralInput } from '../support/case-fixtures';

describe('a scenario command the case refuses', () => {
  it('is reported with the case reason and the simulation carries on', async () => {
    const scenario = parseScenario(
      {
        referral: referralInput({ caseReference: 'CP-2030-000401', receivedOn: '2030-03-04' }),
        events: [
          { at: '2030-03-04T12:00', record: { type: 'referral-decision', decision: 'section-47-enquiry' } },
          // Sunday: an ICPC cannot be held on a weekend (census rule 8875).
          { at: '2030-03-10T12:00', record: { type: 'icpc', outcome: 'no-plan' } },
          {
            at: '2030-03-11T12:00',
            record: {
              type: 'strategy-discussion',
              section47: 'initiated',
              questions: {},
              riskFactors: [],
              leavingHomeDecision: 'asked-to-leave-home',
            },
          },
        ],
        until: '2030-03-12',
      },
      'inline.json',
    );
    const report = await runScenario(scenario);
    const refused = report.entries.find((e) => e.kind === 'command-refused');
    expect(refused?.detail).toBe(
      'recordEvent icpc refused (CommandRefused): occurredOn: an ICPC cannot be held on a weekend (census rule 8875); ' +
        'type: where §2.16 does not presume a conference, a manager must decide to convene it first (icpc-convened) (§2.16)',
    );
    expect(refused?.instant).toMatch(/^2030-03-10T12:00:00\./); // virtual time, a few ms of work after the scenario's time
    expect(report.entries.filter((e) => e.kind === 'event-recorded').map((e) => e.detail.split(' ')[0])).toEqual([
      'referral-decision',
      'strategy-discussion',
    ]);
    expect(report.finalStatus.stage).toBe('section-47-enquiry');
  }, 120_000);
});
