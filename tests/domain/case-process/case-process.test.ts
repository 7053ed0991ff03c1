/**
 * The case as one pure process: what it sends when, what it starts, what it refuses — in milliseconds, without
 * Temporal. Dates are worked by hand from the policy (working days, anchor day 0) and the 2026 bank holidays.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../domain/calendar';
import { caseStatusOf, decideNext, timelineOf } from '../../../domain/case-process';
import { ev, policy, referral, strategyDiscussion } from '../planner/fixtures';
import { DrivenCase } from './driver';

const day = (date: string) => date as IsoDate;

/** Received on Monday 7 September 2026. */
const received = () => referral({ receivedOn: '2026-09-07' });
const seized = () =>
  referral({ receivedOn: '2026-09-07', police: { devicesSeized: { count: 2, seizedOn: '2026-09-07' } } });

describe('no notice before its anchor exists', () => {
  it('sends nothing about the partner interview until the strategy discussion it counts from is recorded', () => {
    const c = new DrivenCase(received()).runTo('2026-09-10', 10);
    expect(c.sentLines((s) => s.notice.stepId === 'partner-interview')).toEqual([]);
    expect(caseStatusOf(c.state, policy, day('2026-09-10')).waitingFor).toEqual(
      expect.arrayContaining(['partner-interview→strategy-discussion', 'icpc→strategy-discussion']),
    );
    // Held on Thursday 10 September: the interview is due 1 working day later, told on the day itself.
    expect(c.record(strategyDiscussion('2026-09-10'))).toEqual([]);
    c.runTo('2026-09-14', 12);
    expect(c.sentLines((s) => s.notice.stepId === 'partner-interview')).toEqual([
      '2026-09-11 partner-interview due-today practitioner:sw-0042',
      '2026-09-14 partner-interview overdue-escalation team-manager:team-north',
    ]);
    expect(caseStatusOf(c.state, policy, day('2026-09-14')).overdue).toEqual([
      'referral-decision@2026-09-08', // never recorded
      'icpc-booking@2026-09-11', // §2.16 presumes the conference: booked 1 working day after the discussion
      'partner-interview@2026-09-11',
    ]);
  });

  it('lists no step as overdue, and publishes no due date, for a step waiting for its anchor', () => {
    const c = new DrivenCase(received()).runTo('2026-10-30', 12);
    const status = caseStatusOf(c.state, policy, day('2026-10-30'));
    expect(status.overdue).toEqual([
      'referral-decision@2026-09-08',
      's47-enquiry@2026-09-08',
      'strategy-discussion@2026-09-08',
    ]);
    const published = c.decisions.at(-1)?.searchValues.openStepDues ?? [];
    expect(published.some((v) => v.startsWith('icpc@') || v.startsWith('partner-interview@'))).toBe(false);
  });
});

describe('catch-up after days without a worker', () => {
  it('sends what each overdue step is owed, visits included, and no stale reminder', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-08'));
    c.record(ev('2026-09-21', { type: 'icpc', outcome: 'child-protection-plan', category: 'sexual-abuse' }));
    // The first visit is due 10 working days after the ICPC: Monday 5 October. No worker from the 1st to the 12th.
    c.runTo('2026-10-01', 12);
    const before = c.sent.length;
    c.outageUntil('2026-10-12', 10);
    const caughtUp = c.sentLines().slice(before);
    expect(caughtUp).toEqual(
      expect.arrayContaining([
        '2026-10-12 visit-1 overdue-escalation team-manager:team-north',
        '2026-10-12 visit-1 overdue-escalation service-manager:sm-0101',
      ]),
    );
    expect(caughtUp.filter((l) => l.includes(' reminder ') || l.includes(' due-today '))).toEqual(
      caughtUp.filter((l) => l.startsWith('2026-10-12') && (l.includes(' reminder ') || l.includes(' due-today '))),
    );
    // Every notice once.
    expect(new Set(c.sent.map((s) => s.notice.notificationId)).size).toBe(c.sent.length);
  });
});

describe('stage', () => {
  it('counts an interview marked not required as held', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-08'));
    expect(c.state.stage).toBe('section-47-enquiry');
    c.record(
      ev('2026-09-09', {
        type: 'step-not-required',
        stepId: 'partner-interview',
        reason: 'not-applicable-to-household',
      }),
    );
    c.record(ev('2026-09-10', { type: 'alleged-perpetrator-interview', interviewers: 2 }));
    expect(c.state.stage).toBe('assessment');
  });
});

describe('refusals', () => {
  it('names the field, the rule and its source, and changes nothing', () => {
    const c = new DrivenCase(received()).runTo('2026-09-08', 10);
    const before = c.state;
    expect(c.command({ type: 'record-event', event: strategyDiscussion('2026-09-09') })).toEqual([
      { code: 'in-the-future', field: 'occurredOn', rule: 'must not be in the future', section: 'case lifecycle' },
    ]);
    expect(
      c.command({
        type: 'record-event',
        event: ev('2026-09-08', {
          type: 'deadline-extended',
          stepId: 'strategy-discussion',
          newDueDate: '2099-01-05',
          reason: 'family-unavailable',
          agreedBy: 'tm-0007',
        }),
      }),
    ).toEqual([
      {
        code: 'outside-calendar',
        field: 'newDueDate',
        rule: 'must be within the years the case can plan for',
        section: 'case calendar',
      },
    ]);
    expect(c.state).toBe(before);
  });

  it('refuses everything once the case is closed', () => {
    const c = new DrivenCase(received());
    c.record(ev('2026-09-08', { type: 'case-closed', reason: 'no-further-action-after-assessment' }));
    expect(c.record(ev('2026-09-08', { type: 'partner-interview' })).map((r) => r.code)).toContain('case-closed');
    expect(
      c.command({
        type: 'apply-holidays',
        holidays: [{ date: '2026-09-14', name: 'State funeral', source: 'announced' }] as never,
        appliedBy: 'tm-0007',
      }),
    ).toEqual([
      {
        code: 'case-closed',
        field: 'case',
        rule: 'the case is closed; nothing more can be recorded on it',
        section: 'case lifecycle',
      },
    ]);
  });
});

describe('children', () => {
  it('starts the forensic wait once, when devices were seized', () => {
    const c = new DrivenCase(seized());
    expect(c.decisions[0].childStarts.map((s) => s.kind)).toEqual(['forensic']);
    c.runTo('2026-10-30', 12);
    expect(c.decisions.slice(1).flatMap((d) => d.childStarts)).toEqual([]);
  });

  it('starts the LADO referral when a strategy discussion learns of work with children (§2.6, §2.18)', () => {
    const c = new DrivenCase(received());
    expect(c.decisions[0].childStarts).toEqual([]);
    c.record(
      strategyDiscussion('2026-09-08', {
        questions: { 'person-accessing-images-in-contact-with-children-at-work': 'yes' },
      }),
    );
    const start = c.decisions.at(-1)?.childStarts[0];
    expect(start).toMatchObject({ kind: 'lado', input: { knownOn: '2026-09-08', dueDate: '2026-09-09' } });
  });

  it('completes a closed case only once its running child has reported its end', () => {
    const c = new DrivenCase(seized());
    c.record(ev('2026-09-08', { type: 'case-closed', reason: 'no-further-action-after-assessment' }));
    expect(c.decisions.at(-1)?.result).toBeUndefined();
    expect(c.decisions.at(-1)?.childMessages.map((m) => [m.child, m.kind === 'event' ? m.event.type : m.kind])).toEqual(
      [['forensic', 'case-closed']],
    );
    c.command({
      type: 'child-report',
      report: {
        from: 'forensic',
        at: '2026-09-08T09:00:01.000Z',
        kind: 'forensic',
        detail: 'forensic wait ended: case closed',
        finished: true,
      },
    });
    expect(c.decisions.at(-1)?.result).toEqual({
      caseReference: 'CP-2026-000123',
      closedOn: '2026-09-08',
      reason: 'no-further-action-after-assessment',
      runs: 1,
    });
  });
});

describe('serious forensic results (§2.5, §2.9, §2.18)', () => {
  it('tells the practitioner at once of the new strategy discussion due the next working day', () => {
    const c = new DrivenCase(seized());
    c.record(strategyDiscussion('2026-09-08'));
    c.record(ev('2026-11-02', { type: 'forensic-results', findings: ['category-a-images'] }));
    expect(c.sentLines((s) => s.on === '2026-11-02' && s.notice.stepId === 'forensic-strategy-discussion')).toEqual([
      '2026-11-02 forensic-strategy-discussion reminder practitioner:sw-0042',
    ]);
    expect(
      timelineOf(c.state, policy, day('2026-11-02')).steps.find((s) => s.id === 'forensic-strategy-discussion'),
    ).toMatchObject({
      status: 'due',
      dueDate: '2026-11-03',
    });
    expect(c.state.stage).toBe('strategy-discussion');
  });
});

describe('deciding', () => {
  it('adds nothing when asked again at the same instant', () => {
    const c = new DrivenCase(received()).runTo('2026-09-08', 9);
    const again = decideNext(c.state, { policy, now: c.now });
    expect(again.notices).toEqual([]);
    expect(again.childStarts).toEqual([]);
    expect(again.state.delivery.notifiedThrough).toBe(c.state.delivery.notifiedThrough);
  });
});
