/**
 * Extensions and changes: what a manager may agree, what may be marked not required, what a case opens with.
 * Every refusal names the field and the rule and leaves the case as it was.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../domain/calendar';
import { parseCaseOpening, timelineOf } from '../../../domain/case-process';
import { pendingExtensionRequests } from '../../../domain/rules';
import { ev, policy, referral, strategyDiscussion } from '../planner/fixtures';
import { CALENDAR, DrivenCase } from './driver';
import { referralInput } from '../../support/case-fixtures';

const day = (date: string) => date as IsoDate;
/** Received on Monday 7 September 2026. */
const received = () => referral({ receivedOn: '2026-09-07' });

const extension = (on: string, stepId: string, newDueDate: string, agreedBy = 'tm-0007', recordedBy = 'sw-0042') =>
  ev(on, { type: 'deadline-extended', stepId, newDueDate, reason: 'family-unavailable', agreedBy }, recordedBy);

function dueOf(c: DrivenCase, stepId: string, on: string): string | undefined {
  return timelineOf(c.state, policy, day(on)).steps.find((s) => s.id === stepId)?.dueDate;
}

describe('deadline extensions', () => {
  it('moves a dated step to a later working day agreed by a manager', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-08'));
    expect(dueOf(c, 'partner-interview', '2026-09-08')).toBe('2026-09-09');
    expect(c.record(extension('2026-09-08', 'partner-interview', '2026-09-14'))).toEqual([]);
    expect(dueOf(c, 'partner-interview', '2026-09-08')).toBe('2026-09-14');
  });

  it('is asked for by one person and agreed by a different manager, who names the request', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-08'));
    const request = ev(
      '2026-09-08',
      {
        type: 'extension-requested',
        stepId: 'partner-interview',
        newDueDate: '2026-09-14',
        reason: 'family-unavailable',
      },
      'sw-0042',
    );
    expect(c.record(request)).toEqual([]);
    expect(pendingExtensionRequests(c.state.events).map((r) => [r.stepId, r.recordedBy])).toEqual([
      ['partner-interview', 'sw-0042'],
    ]);
    // Asking changes nothing yet.
    expect(dueOf(c, 'partner-interview', '2026-09-08')).toBe('2026-09-09');
    const agree = (agreedBy: string, newDueDate = '2026-09-14') =>
      ev(
        '2026-09-08',
        {
          type: 'deadline-extended',
          stepId: 'partner-interview',
          newDueDate,
          reason: 'family-unavailable',
          agreedBy,
          requestedBy: 'sw-0042',
        },
        agreedBy,
      );
    // Not by the asker, and only the request as it was made.
    expect(c.record(agree('sw-0042')).map((r) => r.code)).toEqual(['agreed-by-requester']);
    expect(c.record(agree('tm-0007', '2026-09-15')).map((r) => [r.code, r.field])).toEqual([
      ['no-such-request', 'requestedBy'],
    ]);
    expect(c.record(agree('tm-0007'))).toEqual([]);
    expect(dueOf(c, 'partner-interview', '2026-09-08')).toBe('2026-09-14');
    expect(pendingExtensionRequests(c.state.events)).toEqual([]);
    expect(c.state.audit.at(-1)).toMatchObject({
      recordedBy: 'tm-0007',
      event: { agreedBy: 'tm-0007', requestedBy: 'sw-0042' },
    });
  });

  it('refuses a request the plan could not take: a step with no due date yet, or an earlier date', () => {
    const c = new DrivenCase(received());
    const ask = (stepId: string, newDueDate: string) =>
      ev('2026-09-08', { type: 'extension-requested', stepId, newDueDate, reason: 'family-unavailable' }, 'sw-0042');
    expect(c.record(ask('partner-interview', '2026-09-14')).map((r) => r.code)).toEqual(['no-due-date-yet']);
    c.record(strategyDiscussion('2026-09-08'));
    expect(c.record(ask('partner-interview', '2026-09-09')).map((r) => r.code)).toEqual(['not-later-than-due']);
  });

  it('refuses an extension agreed by the person asking for it', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-08'));
    const events = c.state.events.length;
    const refusals = c.record(extension('2026-09-08', 'partner-interview', '2026-09-14', 'sw-0042'));
    expect(refusals.map((r) => [r.code, r.field])).toEqual([['agreed-by-requester', 'agreedBy']]);
    expect(c.state.events).toHaveLength(events);
  });

  it('refuses a new due date on a weekend or a bank holiday', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-08'));
    expect(c.record(extension('2026-09-08', 'partner-interview', '2026-09-12')).map((r) => r.code)).toEqual([
      'not-a-working-day',
    ]);
    // Christmas Day 2026 falls on a Friday.
    expect(c.record(extension('2026-09-08', 'icpc', '2026-12-25')).map((r) => [r.code, r.field])).toEqual([
      ['not-a-working-day', 'newDueDate'],
    ]);
  });

  it('refuses a new due date that is not later than the current one', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-08'));
    // The ICPC is due 15 working days after the strategy discussion: Tuesday 29 September.
    expect(dueOf(c, 'icpc', '2026-09-08')).toBe('2026-09-29');
    for (const date of ['2026-09-28', '2026-09-29']) {
      expect(c.record(extension('2026-09-08', 'icpc', date)).map((r) => [r.code, r.field, r.rule])).toEqual([
        ['not-later-than-due', 'newDueDate', 'must be later than the current due date'],
      ]);
    }
    expect(c.record(extension('2026-09-08', 'icpc', '2026-10-06'))).toEqual([]);
    // A second extension counts from the first one's date.
    expect(c.record(extension('2026-09-09', 'icpc', '2026-10-05')).map((r) => r.code)).toEqual(['not-later-than-due']);
  });

  it('refuses to extend a step that has no due date yet, or is closed', () => {
    const c = new DrivenCase(received());
    const waiting = c.record(extension('2026-09-07', 'partner-interview', '2026-09-21'));
    expect(waiting.map((r) => [r.code, r.field])).toEqual([['no-due-date-yet', 'stepId']]);
    expect(waiting[0].rule).toContain('strategy-discussion');
    c.record(ev('2026-09-08', { type: 'referral-decision', decision: 'section-47-enquiry' }));
    expect(c.record(extension('2026-09-08', 'referral-decision', '2026-09-21')).map((r) => r.code)).toEqual([
      'step-closed',
    ]);
  });
});

describe('steps marked not required', () => {
  it('refuses a second mark on the same step, and a mark on a step already done', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-08'));
    const mark = (stepId: string) =>
      ev('2026-09-08', { type: 'step-not-required', stepId, reason: 'not-applicable-to-household' });
    expect(c.record(mark('partner-interview'))).toEqual([]);
    const events = c.state.events.length;
    expect(c.record(mark('partner-interview')).map((r) => [r.code, r.field])).toEqual([
      ['already-not-required', 'stepId'],
    ]);
    expect(c.record(mark('strategy-discussion')).map((r) => r.code)).toEqual(['step-done']);
    expect(c.state.events).toHaveLength(events);
  });
});

describe('the ICPC', () => {
  it('is refused on a bank holiday', () => {
    const c = new DrivenCase(referral({ receivedOn: '2026-08-03' }));
    c.record(strategyDiscussion('2026-08-04'));
    c.runTo('2026-08-31');
    const refusals = c.record(
      ev('2026-08-31', { type: 'icpc', outcome: 'child-protection-plan', category: 'sexual-abuse' }),
    );
    expect(refusals.map((r) => [r.code, r.field])).toEqual([['icpc-on-holiday', 'occurredOn']]);
  });
});

describe('opening a case', () => {
  const opening = (overrides: Record<string, unknown>, today = '2026-09-07') =>
    parseCaseOpening({ referral: referralInput(overrides as never), policy, calendar: CALENDAR }, day(today));

  it('accepts a referral received today or earlier', () => {
    expect(opening({ receivedOn: '2026-09-07' }).ok).toBe(true);
  });

  it('refuses a referral dated in the future, naming the field', () => {
    const result = opening({ receivedOn: '2026-09-08' });
    expect(result.ok ? [] : result.refusals.map((r) => [r.code, r.field, r.rule])).toEqual([
      ['in-the-future', 'referral.receivedOn', 'must not be in the future'],
    ]);
  });

  it('refuses a referral outside the years its calendar covers', () => {
    const result = opening({ receivedOn: '2025-12-31' });
    expect(result.ok ? [] : result.refusals.map((r) => r.code)).toEqual(['outside-calendar']);
  });

  it('refuses a malformed referral without echoing what it held', () => {
    const result = opening({ practitionerId: 'Jane Smith' });
    expect(result.ok).toBe(false);
    const said = JSON.stringify(result);
    expect(said).toContain('referral.practitionerId');
    expect(said).not.toContain('Jane');
  });
});

describe('three authorities', () => {
  it('refuses a case of an authority the policy does not serve, naming the ones it does', () => {
    const result = parseCaseOpening(
      { referral: referralInput({ receivedOn: '2026-09-07', authority: 'atlantis' }), policy, calendar: CALENDAR },
      day('2026-09-07'),
    );
    expect(result.ok ? [] : result.refusals.map((r) => [r.code, r.field, r.rule])).toEqual([
      [
        'unknown-authority',
        'referral.authority',
        'must be one of the authorities policy pan-bedfordshire serves: bedford-borough, central-bedfordshire, luton',
      ],
    ]);
  });

  it("escalates to the service manager of the case's own authority", () => {
    for (const [authority, manager] of [
      ['luton', 'service-manager:sm-0301'],
      ['central-bedfordshire', 'service-manager:sm-0201'],
    ] as const) {
      const c = new DrivenCase(referral({ receivedOn: '2026-09-07', authority }));
      c.runTo('2026-09-11', 12);
      expect(c.sentLines((s) => s.notice.recipient.startsWith('service-manager'))).toEqual([
        `2026-09-11 referral-decision overdue-escalation ${manager}`,
        `2026-09-11 s47-enquiry overdue-escalation ${manager}`,
        `2026-09-11 strategy-discussion overdue-escalation ${manager}`,
      ]);
    }
  });
});
