/**
 * No poison cases: a date or offset that would leave a case unable to plan is refused before it is recorded, with
 * the field and the rule; and a case's calendar grows with it, so a case running for years keeps planning.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../domain/calendar';
import {
  applyCommand,
  caseStatusOf,
  openCaseState,
  parseApplyHolidays,
  parseCaseOpening,
  timelineOf,
} from '../../../domain/case-process';
import { parseProcedurePolicy } from '../../../domain/policy';
import { ev, HOLIDAYS, policy, referral, strategyDiscussion } from '../planner/fixtures';
import { referralInput } from '../../support/case-fixtures';
import { CALENDAR, DrivenCase } from './driver';

const day = (date: string) => date as IsoDate;
const received = () => referral({ receivedOn: '2026-09-07' });

describe('dates that would leave a case unable to plan are refused before they are recorded', () => {
  it('refuses an extension to 2099 and the case plans on', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-08'));
    const refusals = c.record(
      ev('2026-09-08', {
        type: 'deadline-extended',
        stepId: 'icpc',
        newDueDate: '2099-01-05',
        reason: 'family-unavailable',
        agreedBy: 'tm-0007',
      }),
    );
    expect(refusals.map((r) => [r.code, r.field])).toEqual([['outside-calendar', 'newDueDate']]);
    c.runTo('2026-10-01');
    expect(timelineOf(c.state, policy, day('2026-10-01')).steps.find((s) => s.id === 'icpc')?.dueDate).toBe(
      '2026-09-29',
    );
  });

  it('refuses a referral whose devices were "seized" in 2099 or whose bail was granted in 1990', () => {
    const open = (police: Record<string, unknown>) =>
      parseCaseOpening(
        { referral: referralInput({ receivedOn: '2026-09-07', police } as never), policy, calendar: CALENDAR },
        day('2026-09-07'),
      );
    const seized = open({ devicesSeized: { count: 2, seizedOn: '2099-01-01' } });
    expect(seized.ok ? [] : seized.refusals.map((r) => [r.code, r.field])).toEqual([
      ['in-the-future', 'referral.police.devicesSeized.seizedOn'],
    ]);
    const bail = open({ devicesSeized: { count: 0 }, preChargeBailGrantedOn: '1990-03-01' });
    expect(bail.ok ? [] : bail.refusals.map((r) => [r.code, r.field])).toEqual([
      ['outside-calendar', 'referral.police.preChargeBailGrantedOn'],
    ]);
  });

  it('refuses an event whose deadlines would fall beyond the calendar the case has', () => {
    // A calendar vouching for 2026 only: an ICPC counted from 30 December would fall in 2027.
    const calendar = { holidays: HOLIDAYS.filter((h) => h.date < '2027'), coveredYears: { from: 2026, to: 2026 } };
    const state = openCaseState(referral({ receivedOn: '2026-10-01' }), calendar, '2026-10-01T09:00:00Z');
    const applied = applyCommand(
      state,
      { type: 'record-event', event: strategyDiscussion('2026-12-30') },
      { policy, now: Date.parse('2026-12-30T10:00:00Z') },
    );
    expect(applied.ok ? [] : applied.refusals.map((r) => [r.code, r.field, r.rule])).toEqual([
      ['beyond-calendar', 'event', 'its deadlines would fall beyond the years the case can plan for'],
    ]);
  });

  it('refuses a policy offset of 100,000 working days, naming the step', () => {
    const raw = JSON.parse(JSON.stringify(policy)) as { steps: { offset: unknown }[] };
    raw.steps[5].offset = { workingDays: 100_000 };
    expect(() => parseProcedurePolicy(raw, 'draft.json')).toThrow(
      'draft.json: steps[5].offset.workingDays: must be a whole number from 0 to 520',
    );
  });
});

describe("a case's calendar grows with it", () => {
  it('keeps planning past the years it opened with: an event in its seventh year is accepted and planned', () => {
    const c = new DrivenCase(received());
    expect(c.state.calendar.coveredYears).toEqual({ from: 2026, to: 2031 });
    c.record(strategyDiscussion('2026-09-08'));
    c.record(ev('2026-09-21', { type: 'icpc', outcome: 'child-protection-plan', category: 'sexual-abuse' }));
    c.runTo('2033-03-01');
    expect(c.state.calendar.coveredYears).toEqual({ from: 2026, to: 2037 });
    expect(c.state.log.filter((l) => l.kind === 'calendar-extended').map((l) => l.detail)).toEqual([
      // Eight bank holidays a year: asked for at opening, then on 1 January of 2029 and 2032.
      'calendar extended through 2031 (32 holidays added)',
      'calendar extended through 2034 (24 holidays added)',
      'calendar extended through 2037 (24 holidays added)',
    ]);
    expect(c.record(ev('2033-03-01', { type: 'visit' }))).toEqual([]);
    // The next visit is due 10 working days later.
    expect(caseStatusOf(c.state, policy, day('2033-03-01')).nextStep?.dueDate).toBeDefined();
    const visits = timelineOf(c.state, policy, day('2033-03-01')).steps.filter(
      (s) => s.series === 'visit' && s.status === 'due',
    );
    expect(visits.map((s) => s.dueDate)).toEqual(['2033-03-15']);
  });
});

describe('bounded commands', () => {
  it('refuses a holiday announcement of more than 100 holidays, naming the field', () => {
    const holidays = Array.from({ length: 101 }, (_, i) => ({
      date: '2027-06-07',
      name: `Holiday ${i}`,
      source: 'gov.uk',
    }));
    const parsed = parseApplyHolidays({ holidays, appliedBy: 'tm-0007' });
    expect(parsed.ok ? [] : parsed.refusals.map((r) => [r.field, r.rule])).toEqual([
      ['holidays', 'must list at most 100 holidays'],
    ]);
  });
});
