/**
 * The enquiry and its conference (§2.3, §2.16): the ICPC counts from the strategy discussion that initiated the
 * Section 47 enquiry; it is planned where §2.16 presumes a conference, otherwise only once a manager decides to
 * convene; the booking follows the decision within 1 working day. A referral decided without an enquiry ends
 * its track: nothing about it is reminded, escalated or listed overdue.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../domain/calendar';
import { caseStatusOf, timelineOf } from '../../../domain/case-process';
import { ev, policy, referral, strategyDiscussion } from '../planner/fixtures';
import { DrivenCase } from './driver';

const day = (date: string) => date as IsoDate;
/** Received on Monday 7 September 2026; the alleged person lives with the children (§2.16 applies). */
const presumed = () => referral({ receivedOn: '2026-09-07' });
/** The alleged person neither lives with nor has regular contact with children: §2.16 presumes no conference. */
const notPresumed = () =>
  referral({
    receivedOn: '2026-09-07',
    allegedPerson: {
      livesWithChildren: false,
      regularContactWithChildren: false,
      worksOrVolunteersWithChildren: false,
      holdsPositionOfTrust: false,
    },
  });

const step = (c: DrivenCase, id: string, on: string) =>
  timelineOf(c.state, policy, day(on)).steps.find((s) => s.id === id);

describe('the ICPC counts from the strategy discussion that initiated the enquiry', () => {
  it('ignores an earlier discussion that did not initiate one', () => {
    const c = new DrivenCase(presumed());
    c.record(strategyDiscussion('2026-09-08', { section47: 'not-initiated' }));
    expect(step(c, 'icpc', '2026-09-08')).toMatchObject({ status: 'not-required' });
    c.record(strategyDiscussion('2026-09-10'));
    // 15 working days from Thursday 10 September: Thursday 1 October.
    expect(step(c, 'icpc', '2026-09-10')).toMatchObject({
      status: 'due',
      dueDate: '2026-10-01',
      countsFrom: { event: 'section-47-initiated', date: '2026-09-10' },
    });
    expect(step(c, 'icpc-booking', '2026-09-10')).toMatchObject({ status: 'due', dueDate: '2026-09-11' });
  });
});

describe('where §2.16 does not presume a conference', () => {
  it('plans no ICPC and sends nothing about it until a manager decides to convene', () => {
    const c = new DrivenCase(notPresumed());
    c.record(strategyDiscussion('2026-09-08'));
    c.runTo('2026-10-20', 12);
    expect(c.sentLines((s) => s.notice.stepId.startsWith('icpc'))).toEqual([]);
    expect(caseStatusOf(c.state, policy, day('2026-10-20')).waitingFor).toEqual(
      expect.arrayContaining(['icpc→icpc-convened', 'icpc-booking→icpc-convened']),
    );
    expect(c.record(ev('2026-10-20', { type: 'icpc', outcome: 'no-plan' })).map((r) => r.code)).toEqual([
      'icpc-not-convened',
    ]);
  });

  it('books the conference 1 working day after the decision, still due 15 working days after the discussion', () => {
    const c = new DrivenCase(notPresumed());
    c.record(strategyDiscussion('2026-09-08'));
    const convened = ev('2026-09-14', {
      type: 'icpc-convened',
      decidedBy: 'tm-0007',
      reason: 'concerns-from-information-gathered',
    });
    expect(c.record(convened)).toEqual([]);
    expect(step(c, 'icpc-booking', '2026-09-14')).toMatchObject({ status: 'due', dueDate: '2026-09-15' });
    expect(step(c, 'icpc', '2026-09-14')).toMatchObject({ status: 'due', dueDate: '2026-09-29' });
    c.runTo('2026-09-16', 12);
    // The 2-day reminder fell before the decision: never sent late.
    expect(c.sentLines((s) => s.notice.stepId === 'icpc-booking')).toEqual([
      '2026-09-15 icpc-booking due-today practitioner:sw-0042',
      '2026-09-16 icpc-booking overdue-escalation team-manager:team-north',
    ]);
    // Booked for a Saturday: refused; for a working day: the booking is done.
    expect(
      c.record(ev('2026-09-16', { type: 'icpc-booked', conferenceOn: '2026-09-26' })).map((r) => [r.code, r.field]),
    ).toEqual([['not-a-working-day', 'conferenceOn']]);
    expect(c.record(ev('2026-09-16', { type: 'icpc-booked', conferenceOn: '2026-09-28' }))).toEqual([]);
    expect(step(c, 'icpc-booking', '2026-09-16')).toMatchObject({ status: 'done', completedOn: '2026-09-16' });
  });

  it('refuses a decision to convene where §2.16 already presumes the conference, or before any enquiry', () => {
    const c = new DrivenCase(presumed());
    const convened = (on: string) =>
      ev(on, { type: 'icpc-convened', decidedBy: 'tm-0007', reason: 'other-recorded-in-case-file' });
    expect(c.record(convened('2026-09-07')).map((r) => r.code)).toEqual([
      'conference-presumed',
      'no-section-47-enquiry',
    ]);
    const d = new DrivenCase(notPresumed());
    expect(d.record(convened('2026-09-07')).map((r) => [r.code, r.field])).toEqual([
      ['no-section-47-enquiry', 'occurredOn'],
    ]);
  });
});

describe('a referral decided without an enquiry', () => {
  for (const decision of ['no-further-action', 'early-help'] as const) {
    it(`ends the enquiry track (${decision}): nothing of it is reminded, escalated or overdue`, () => {
      const c = new DrivenCase(presumed());
      c.record(ev('2026-09-07', { type: 'referral-decision', decision }));
      const before = c.sent.length;
      c.runTo('2026-11-30', 12);
      expect(c.sentLines().slice(before)).toEqual([]);
      const status = caseStatusOf(c.state, policy, day('2026-11-30'));
      expect(status.overdue).toEqual([]);
      expect(status.stage).toBe('closure');
      expect(step(c, 'strategy-discussion', '2026-11-30')).toMatchObject({
        status: 'not-required',
        notRequiredReason: decision,
      });
    });
  }
});
