/**
 * An email that cannot be delivered for good (its recipient missing from the staff directory) is never silent:
 * it is shown on the case, logged, escalated once to the team manager, tried again each working day, and goes out
 * once the directory is fixed.
 */
import { describe, expect, it } from 'vitest';
import { type IsoDate, ukInstant } from '../../../domain/calendar';
import { caseStatusOf, UNDELIVERED_RETRY_DAYS } from '../../../domain/case-process';
import { policy, referral } from '../planner/fixtures';
import { DrivenCase } from './driver';

const day = (date: string) => date as IsoDate;
const PRACTITIONER = 'practitioner:sw-0042';
const received = () => referral({ receivedOn: '2026-09-07' });
const allocation = (c: DrivenCase) => c.sentLines((s) => s.notice.kind === 'allocation');

describe('an email that cannot be delivered', () => {
  it('is shown on the case, logged, escalated once to the team manager, and sent once the directory is fixed', () => {
    const c = new DrivenCase(received(), ukInstant(day('2026-09-07'), 8), [PRACTITIONER]);
    expect(allocation(c)).toEqual([]);
    // Escalated at once to the team manager, once.
    const escalated = () =>
      c.sentLines((s) => s.notice.kind === 'delivery-failed' && s.notice.notificationId.includes('/allocation/'));
    expect(escalated()).toHaveLength(1);
    expect(escalated()[0]).toMatch(/^2026-09-07 \S+ delivery-failed team-manager:team-north$/);
    // Shown on the case and logged.
    const status = caseStatusOf(c.state, policy, day('2026-09-07'));
    expect(status.undelivered.find((u) => u.kind === 'allocation')).toEqual({
      stepId: expect.any(String),
      kind: 'allocation',
      recipient: PRACTITIONER,
      failure: `UnknownRecipient: ${PRACTITIONER} is not in the directory`,
      since: expect.stringMatching(/^2026-09-07T/),
      retryOn: '2026-09-08',
    });
    expect(
      c.state.log.some(
        (l) =>
          l.kind === 'notification-failed' &&
          l.detail.startsWith(`allocation to ${PRACTITIONER}`) &&
          l.detail.endsWith('tried again on 2026-09-08'),
      ),
    ).toBe(true);
    // Tried again the next working day, still failing: no second escalation.
    c.runTo('2026-09-08', 12);
    expect(allocation(c)).toEqual([]);
    expect(escalated()).toHaveLength(1);
    // The directory is fixed: the next working day's retry delivers it, once.
    c.unreachable.delete(PRACTITIONER);
    c.runTo('2026-09-10', 12);
    expect(allocation(c)).toEqual([
      `2026-09-09 ${c.sent.find((s) => s.notice.kind === 'allocation')?.notice.stepId} allocation ${PRACTITIONER}`,
    ]);
    expect(caseStatusOf(c.state, policy, day('2026-09-10')).undelivered).toEqual([]);
  });

  it('escalates a team manager’s undelivered email to the service manager, and never escalates an escalation', () => {
    const c = new DrivenCase(received(), ukInstant(day('2026-09-07'), 8), ['team-manager:team-north', PRACTITIONER]);
    const kinds = c.sentLines().map((l) => l.split(' ').slice(2).join(' '));
    // The practitioner's allocation fails; its escalation to the (unreachable) team manager fails too and goes up
    // to the service manager; nothing escalates the service manager's.
    expect(kinds).toEqual([expect.stringMatching(/^delivery-failed service-manager:sm-\d+$/)]);
    expect(caseStatusOf(c.state, policy, day('2026-09-07')).undelivered.map((u) => `${u.kind} ${u.recipient}`)).toEqual(
      [`allocation ${PRACTITIONER}`, 'delivery-failed team-manager:team-north'],
    );
  });

  it(`gives up after ${UNDELIVERED_RETRY_DAYS} working days, saying so in the case log`, () => {
    const c = new DrivenCase(received(), ukInstant(day('2026-09-07'), 8), [PRACTITIONER]);
    c.runTo('2026-11-30', 12);
    const lines = c.state.log.filter((l) => l.detail.startsWith(`allocation to ${PRACTITIONER}`)).map((l) => l.detail);
    expect(lines).toHaveLength(UNDELIVERED_RETRY_DAYS + 1);
    expect(lines.at(-1)).toMatch(/given up after 20 attempts$/);
    expect(caseStatusOf(c.state, policy, day('2026-11-30')).undelivered.some((u) => u.kind === 'allocation')).toBe(
      false,
    );
  });

  it('tells the team manager when the LADO referral reports an email it could not deliver', () => {
    const c = new DrivenCase(received(), ukInstant(day('2026-09-07'), 8));
    c.runTo('2026-09-07', 10);
    c.command({
      type: 'child-report',
      report: {
        from: 'lado',
        at: '2026-09-07T09:00:00.000Z',
        kind: 'notification-failed',
        stepId: 'lado-referral',
        detail: 'lado-referral email to lado:lado-0101 failed: UnknownRecipient; send the referral by hand',
      },
    });
    expect(c.sentLines((s) => s.notice.kind === 'delivery-failed')).toEqual([
      '2026-09-07 lado-referral delivery-failed team-manager:team-north',
    ]);
  });
});
