/**
 * Correcting a mistake: a recorded event amended or withdrawn with a reason; the original stays in the audit
 * trail, and a correction that would leave a later event making no sense is refused.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../domain/calendar';
import type { CaseEvent } from '../../../domain/case';
import { type EventCorrection, parseCorrectEvent, timelineOf } from '../../../domain/case-process';
import { ev, policy, referral, strategyDiscussion } from '../planner/fixtures';
import { DrivenCase } from './driver';

const day = (date: string) => date as IsoDate;
/** Received on Monday 7 September 2026. */
const received = () => referral({ receivedOn: '2026-09-07' });

function correct(c: DrivenCase, correction: Omit<EventCorrection, 'recordedBy'>) {
  return c.command({ type: 'correct-event', correction: { recordedBy: 'tm-0007', ...correction } });
}
const due = (c: DrivenCase, id: string, on: string) =>
  timelineOf(c.state, policy, day(on)).steps.find((s) => s.id === id)?.dueDate;

describe('correcting a recorded event', () => {
  it('amends a wrong date: the plan follows the corrected event, the audit keeps both', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-08'));
    c.record(ev('2026-09-10', { type: 'partner-interview' }));
    expect(due(c, 'alleged-perpetrator-interview', '2026-09-10')).toBe('2026-09-17');
    const seq = c.state.audit.at(-1)?.seq ?? 0;
    const amended: CaseEvent = ev('2026-09-09', { type: 'partner-interview' });
    expect(correct(c, { seq, action: 'amend', reason: 'wrong-date', event: amended })).toEqual([]);
    expect(due(c, 'alleged-perpetrator-interview', '2026-09-10')).toBe('2026-09-16');
    expect(c.state.audit.map((a) => [a.seq, a.command, a.event?.occurredOn, a.correction?.corrects])).toEqual([
      [1, 'recordEvent', '2026-09-08', undefined],
      [2, 'recordEvent', '2026-09-10', undefined],
      [3, 'correctEvent', '2026-09-09', 2],
    ]);
  });

  it('withdraws an event recorded in error, unless a later event depends on it', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-08'));
    c.record(ev('2026-09-21', { type: 'icpc', outcome: 'child-protection-plan', category: 'sexual-abuse' }));
    const icpc = c.state.audit.at(-1)?.seq ?? 0;
    c.record(ev('2026-09-24', { type: 'visit' }));
    const refused = correct(c, { seq: icpc, action: 'withdraw', reason: 'recorded-in-error' });
    expect(refused.map((r) => [r.code, r.field])).toEqual([['no-child-protection-plan', 'seq']]);
    expect(refused[0].rule).toContain('an event recorded later would break');
    // Withdraw the visit first, then the conference: the case is back before its ICPC.
    const visit = c.state.audit.at(-1)?.seq ?? 0;
    expect(correct(c, { seq: visit, action: 'withdraw', reason: 'recorded-twice' })).toEqual([]);
    expect(correct(c, { seq: icpc, action: 'withdraw', reason: 'recorded-in-error' })).toEqual([]);
    expect(c.state.stage).toBe('section-47-enquiry');
    expect(c.state.events.map((e) => e.type)).toEqual(['strategy-discussion']);
    expect(c.state.audit).toHaveLength(5);
  });

  it('refuses a correction that would leave a later extension no later than the date it moves', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-08'));
    const extend = (on: string, newDueDate: string) =>
      ev(
        on,
        {
          type: 'deadline-extended',
          stepId: 'partner-interview',
          newDueDate,
          reason: 'family-unavailable',
          agreedBy: 'tm-0007',
        },
        'sw-0042',
      );
    c.record(extend('2026-09-08', '2026-09-14'));
    const first = c.state.audit.at(-1)?.seq ?? 0;
    c.record(extend('2026-09-10', '2026-09-16'));
    // Amended to the 17th, the first extension would leave the second (to the 16th) moving the step earlier.
    const refused = correct(c, {
      seq: first,
      action: 'amend',
      reason: 'wrong-date',
      event: extend('2026-09-08', '2026-09-17'),
    });
    expect(refused.map((r) => [r.code, r.field])).toEqual([['not-later-than-due', 'seq']]);
    expect(refused[0].rule).toBe('an event recorded later would break: must be later than the current due date');
    expect(due(c, 'partner-interview', '2026-09-10')).toBe('2026-09-16');
    // To the 15th it still leaves the second one later: accepted.
    expect(
      correct(c, { seq: first, action: 'amend', reason: 'wrong-date', event: extend('2026-09-08', '2026-09-15') }),
    ).toEqual([]);
  });

  it('refuses an unknown entry, a change of type, and an event cpflow recorded itself', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-08'));
    expect(correct(c, { seq: 9, action: 'withdraw', reason: 'recorded-in-error' }).map((r) => r.code)).toEqual([
      'no-such-event',
    ]);
    const changed = correct(c, {
      seq: 1,
      action: 'amend',
      reason: 'wrong-details',
      event: ev('2026-09-08', { type: 'partner-interview' }),
    });
    expect(changed.map((r) => [r.code, r.field])).toEqual([['type-changed', 'event.type']]);
  });

  it('checks the command shape: an amendment needs the event, a withdrawal must not carry one', () => {
    const bad = parseCorrectEvent({ seq: 1, action: 'amend', reason: 'wrong-date', recordedBy: 'tm-0007' });
    expect(bad.ok ? [] : bad.refusals.map((r) => [r.field, r.rule])).toEqual([
      ['event', 'is required to amend an event'],
    ]);
    const name = parseCorrectEvent({ seq: 1, action: 'withdraw', reason: 'Jane said so', recordedBy: 'tm-0007' });
    expect(JSON.stringify(name)).not.toContain('Jane');
  });
});
