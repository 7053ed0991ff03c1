import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../domain/calendar';
import type { CaseEvent, Referral } from '../../../domain/case';
import { nextWakeUp, notificationsOn, planTimeline, type Timeline } from '../../../domain/planner';
import { calendar, ev, policy, referral, strategyDiscussion } from './fixtures';

const plan = (
  events: CaseEvent[],
  today: string,
  r: Referral = referral(),
  p = policy,
  cal = calendar,
  previous?: Timeline,
) => planTimeline({ referral: r, events, policy: p, calendar: cal, today: today as IsoDate, previous });
const step = (t: Timeline, id: string) => {
  const found = t.steps.find((s) => s.id === id);
  if (found === undefined) throw new Error(`no step ${id} in ${t.steps.map((s) => s.id).join(', ')}`);
  return found;
};
const ids = (t: Timeline) => t.steps.map((s) => s.id);

const icpcWithPlan = (on: string) =>
  ev(on, { type: 'icpc', outcome: 'child-protection-plan', category: 'sexual-abuse' });

describe('referral on Saturday 2026-08-29, before the bank-holiday Monday 31 August', () => {
  const t = plan([], '2026-08-29');

  it('dates every step counting from the referral as timescales.md counts them, and no other', () => {
    const due = Object.fromEntries(t.steps.map((s) => [s.id, s.dueDate]));
    expect(due).toEqual(
      expect.objectContaining({
        'referral-decision': '2026-09-01', // 1 working day: Mon 31 Aug is a bank holiday
        'strategy-discussion': '2026-09-01',
        's47-enquiry': '2026-09-01',
        'assessment-complete': '2026-11-02', // 45 working days
        icpc: undefined, // counts from the strategy discussion, not held yet
        'partner-interview': undefined,
        'first-core-group': undefined, // counts from the ICPC
        'first-rcpc': undefined,
        'visit-1': undefined,
      }),
    );
  });

  it('says what each deadline counts from, which rule set it, and what a waiting step waits for', () => {
    expect(step(t, 'icpc')).toMatchObject({ status: 'waiting', waitsFor: 'strategy-discussion' });
    expect(step(t, 'icpc').countsFrom).toBeUndefined();
    expect(step(t, 'icpc').rule).toContain('15 working days');
    expect(step(t, 'icpc').policyKey).toBe('steps[6].offset');
    expect(step(t, 'first-core-group')).toMatchObject({ status: 'waiting', waitsFor: 'icpc' });
    expect(step(t, 'referral-decision').countsFrom).toEqual({
      event: 'referral-received',
      date: '2026-08-29',
      basis: 'recorded',
    });
  });

  it('marks steps counting from events not yet recorded as waiting', () => {
    expect(step(t, 'referral-decision').status).toBe('due');
    expect(step(t, 'icpc').status).toBe('waiting');
    expect(step(t, 'first-core-group').status).toBe('waiting');
  });

  it('schedules reminders (2 working days before, and on the day) and the escalation chain — none while waiting', () => {
    const icpc = step(plan([strategyDiscussion('2026-09-01')], '2026-09-01'), 'icpc');
    expect(icpc.dueDate).toBe('2026-09-22'); // 15 working days from the strategy discussion
    expect(icpc.reminders.map((r) => [r.to, r.date])).toEqual([
      ['practitioner', '2026-09-18'],
      ['practitioner', '2026-09-22'],
    ]);
    expect(icpc.escalations.map((r) => [r.to, r.date])).toEqual([
      ['team-manager', '2026-09-23'],
      ['service-manager', '2026-09-25'],
    ]);
    expect(step(t, 'icpc').reminders).toEqual([]);
    expect(step(t, 'icpc').escalations).toEqual([]);
    expect(step(t, 'partner-interview').reminders).toEqual([]);
    // The reminder 2 working days before 1 September fell before today and is not listed.
    expect(step(t, 'referral-decision').reminders.map((r) => r.date)).toEqual(['2026-09-01']);
  });

  it('tells the workflow when to wake next and what to send then', () => {
    expect(nextWakeUp(t)).toBe('2026-09-01');
    expect(notificationsOn(t, '2026-09-01' as IsoDate).map((n) => n.key)).toEqual([
      'referral-decision:reminder:practitioner:2026-09-01',
      's47-enquiry:reminder:practitioner:2026-09-01',
      'strategy-discussion:reminder:practitioner:2026-09-01',
    ]);
  });

  it('leaves the LADO step out when nothing triggered it, and includes the required ids', () => {
    expect(ids(t)).not.toContain('lado-referral');
    expect(ids(t)).toEqual(
      expect.arrayContaining([
        'referral-decision',
        'strategy-discussion',
        's47-enquiry',
        'partner-interview',
        'alleged-perpetrator-interview',
        'assessment-complete',
        'icpc',
        'first-core-group',
        'first-rcpc',
      ]),
    );
  });

  it('is deterministic', () => {
    expect(plan([], '2026-08-29')).toEqual(t);
  });
});

describe('a case under way', () => {
  const events = [
    ev('2026-09-01', { type: 'referral-decision', decision: 'section-47-enquiry' }),
    strategyDiscussion('2026-09-02'),
    ev('2026-09-03', { type: 'partner-interview' }),
  ];

  it('counts from the recorded events, and marks late as overdue', () => {
    const t = plan(events, '2026-09-15');
    expect(step(t, 'strategy-discussion')).toMatchObject({
      status: 'done',
      completedOn: '2026-09-02',
      dueDate: '2026-09-01',
    });
    expect(step(t, 'icpc')).toMatchObject({
      status: 'due',
      dueDate: '2026-09-23',
      countsFrom: { event: 'section-47-initiated', date: '2026-09-02', basis: 'recorded' },
    });
    expect(step(t, 'alleged-perpetrator-interview')).toMatchObject({ status: 'overdue', dueDate: '2026-09-10' });
    // Overdue: only the escalations still to come remain.
    expect(step(t, 'alleged-perpetrator-interview').escalations.map((e) => [e.to, e.date])).toEqual([
      ['service-manager', '2026-09-15'],
    ]);
  });

  it('completes s47-enquiry only with a strategy discussion that initiated one (§2.3)', () => {
    const t = plan([strategyDiscussion('2026-09-01', { section47: 'not-initiated' })], '2026-09-01');
    expect(step(t, 'strategy-discussion').status).toBe('done');
    // No enquiry: its steps close rather than stay overdue; the assessment still runs.
    for (const id of ['s47-enquiry', 'partner-interview', 'alleged-perpetrator-interview', 'icpc', 'visit-1']) {
      expect([id, step(t, id).status, step(t, id).notRequiredReason]).toEqual([
        id,
        'not-required',
        'section-47-not-initiated',
      ]);
    }
    expect(step(t, 'assessment-complete').status).toBe('due');
    // A later discussion that initiates one opens the enquiry, counted from it.
    const later = plan(
      [strategyDiscussion('2026-09-01', { section47: 'not-initiated' }), strategyDiscussion('2026-09-03')],
      '2026-09-03',
    );
    expect(step(later, 's47-enquiry')).toMatchObject({ status: 'done', completedOn: '2026-09-03' });
    expect(step(later, 'icpc')).toMatchObject({ status: 'due', countsFrom: { date: '2026-09-03' } });
  });

  it('counts the ICPC from the last strategy discussion when the policy says so', () => {
    const two = [strategyDiscussion('2026-09-01'), strategyDiscussion('2026-09-08')];
    expect(step(plan(two, '2026-09-08'), 'icpc').dueDate).toBe('2026-09-22');
    const last = { ...policy, strategyDiscussionAnchor: 'last' as const };
    expect(step(plan(two, '2026-09-08', referral(), last), 'icpc').dueDate).toBe('2026-09-29');
  });
});

describe('extensions and not-required marks', () => {
  it('moves the due date to the agreed one, recording reason and manager', () => {
    const events = [
      strategyDiscussion('2026-09-01'),
      ev('2026-09-18', {
        type: 'deadline-extended',
        stepId: 'icpc',
        newDueDate: '2026-09-30',
        reason: 'family-unavailable',
        agreedBy: 'tm-007',
      }),
    ];
    const icpc = step(plan(events, '2026-09-25'), 'icpc');
    expect(icpc).toMatchObject({
      status: 'due',
      dueDate: '2026-09-30',
      extension: {
        originalDueDate: '2026-09-22',
        newDueDate: '2026-09-30',
        reason: 'family-unavailable',
        agreedBy: 'tm-007',
        agreedOn: '2026-09-18',
      },
    });
    expect(icpc.escalations.map((e) => e.date)).toEqual(['2026-10-01', '2026-10-05']);
  });

  it('drops reminders of a step marked not required, and counts the steps after it from what it counted from', () => {
    const events = [
      strategyDiscussion('2026-09-01'),
      ev('2026-09-01', {
        type: 'step-not-required',
        stepId: 'partner-interview',
        reason: 'not-applicable-to-household',
      }),
    ];
    const t = plan(events, '2026-09-01');
    expect(step(t, 'partner-interview')).toMatchObject({
      status: 'not-required',
      notRequiredReason: 'not-applicable-to-household',
      reminders: [],
      escalations: [],
    });
    // 5 working days from the strategy discussion of 1 September.
    expect(step(t, 'alleged-perpetrator-interview')).toMatchObject({
      status: 'due',
      dueDate: '2026-09-08',
      countsFrom: { event: 'section-47-initiated', date: '2026-09-01', basis: 'recorded' },
    });
  });

  it('marks the plan steps not required when the ICPC makes no plan', () => {
    const t = plan(
      [strategyDiscussion('2026-09-01'), ev('2026-09-21', { type: 'icpc', outcome: 'no-plan' })],
      '2026-09-21',
    );
    expect(step(t, 'first-core-group')).toMatchObject({
      status: 'not-required',
      notRequiredReason: 'no-child-protection-plan',
    });
    expect(step(t, 'first-rcpc').status).toBe('not-required');
  });

  it('closes every open step when the case closes', () => {
    const t = plan(
      [ev('2026-09-02', { type: 'case-closed', reason: 'no-further-action-after-assessment' })],
      '2026-09-03',
    );
    expect(step(t, 'icpc')).toMatchObject({ status: 'not-required', notRequiredReason: 'case-closed' });
    expect(nextWakeUp(t)).toBeUndefined();
  });
});

describe('recurring steps while a plan lasts', () => {
  const base = [strategyDiscussion('2026-09-01'), icpcWithPlan('2026-09-22')];

  it('lists done visits and the next one, counting from the previous visit', () => {
    const t = plan([...base, ev('2026-10-02', { type: 'visit' }), ev('2026-10-16', { type: 'visit' })], '2026-10-19');
    expect(t.steps.filter((s) => s.series === 'visit').map((s) => [s.id, s.status, s.dueDate])).toEqual([
      ['visit-1', 'done', '2026-10-06'],
      ['visit-2', 'done', '2026-10-16'],
      ['visit-3', 'due', '2026-10-30'],
    ]);
    expect(step(t, 'visit-3').countsFrom).toEqual({
      event: 'visit',
      date: '2026-10-16',
      basis: 'recorded',
      step: 'visit-2',
    });
    expect(step(t, 'visit-3').policyKey).toBe('steps[16].repeat.every');
  });

  it('holds core groups every 6 weeks, moving back from Christmas Day to the working day before', () => {
    const events = [...base, ev('2026-10-02', { type: 'core-group' }), ev('2026-11-13', { type: 'core-group' })];
    const t = plan(events, '2026-11-13');
    expect(t.steps.filter((s) => s.series === 'core-group').map((s) => [s.id, s.status, s.dueDate])).toEqual([
      ['first-core-group', 'done', '2026-10-06'],
      ['core-group-2', 'done', '2026-11-13'],
      ['core-group-3', 'due', '2026-12-24'], // 13 Nov + 6 weeks = Fri 25 Dec (Christmas Day)
    ]);
  });

  it('reviews at 3 months, then every 6 months, and stops everything when the plan ends', () => {
    const continuing = [...base, ev('2026-12-18', { type: 'review-conference', outcome: 'plan-continues' })];
    const t = plan(continuing, '2026-12-18');
    expect(t.steps.filter((s) => s.series === 'rcpc').map((s) => [s.id, s.status, s.dueDate])).toEqual([
      ['first-rcpc', 'done', '2026-12-22'],
      ['rcpc-2', 'due', '2027-06-18'],
    ]);
    const ended = plan([...base, ev('2026-12-18', { type: 'review-conference', outcome: 'plan-ends' })], '2026-12-21');
    expect(ended.steps.filter((s) => s.series === 'rcpc').map((s) => s.id)).toEqual(['first-rcpc']);
    expect(ended.steps.some((s) => s.series === 'visit' && s.status !== 'done')).toBe(false);
  });

  it('skips an occurrence marked not required and counts the next from its due date', () => {
    const events = [
      ...base,
      ev('2026-10-01', { type: 'step-not-required', stepId: 'visit-1', reason: 'child-moved-out-of-area' }),
    ];
    const t = plan(events, '2026-10-01');
    expect(step(t, 'visit-1').status).toBe('not-required');
    expect(step(t, 'visit-2')).toMatchObject({
      status: 'due',
      dueDate: '2026-10-20',
      countsFrom: { basis: 'projected', step: 'visit-1' },
    });
  });
});

describe('triggered steps', () => {
  it('adds the LADO referral, due 1 working day after the work with children became known (§2.6, §2.18)', () => {
    const sd = strategyDiscussion('2026-09-04', {
      questions: { 'person-accessing-images-in-voluntary-work-or-position-of-trust': 'yes' },
    });
    const t = plan([sd], '2026-09-04');
    expect(step(t, 'lado-referral')).toMatchObject({
      status: 'due',
      dueDate: '2026-09-07',
      countsFrom: { event: 'works-with-children-known', date: '2026-09-04' },
    });
    const sent = plan([sd, ev('2026-09-07', { type: 'lado-referral-sent' })], '2026-09-07');
    expect(step(sent, 'lado-referral')).toMatchObject({ status: 'done', completedOn: '2026-09-07' });
  });

  it('adds a new strategy discussion after serious forensic results and ends the forensic wait', () => {
    const seized = referral({ police: { devicesSeized: { count: 2, seizedOn: '2026-08-28' } } });
    const before = plan([strategyDiscussion('2026-09-01')], '2026-09-01', seized);
    expect(step(before, 'police-update-1')).toMatchObject({ status: 'due', dueDate: '2026-09-25', track: 'forensic' });
    expect(ids(before)).not.toContain('forensic-strategy-discussion');

    const results = ev('2027-02-10', { type: 'forensic-results', findings: ['category-a-images'] });
    const after = plan([strategyDiscussion('2026-09-01'), results], '2027-02-10', seized);
    expect(step(after, 'forensic-strategy-discussion')).toMatchObject({
      status: 'due',
      dueDate: '2027-02-11',
      countsFrom: { event: 'serious-forensic-results', date: '2027-02-10' },
    });
    expect(after.steps.filter((s) => s.series === 'police-update' && s.status !== 'done')).toEqual([]);
  });

  it('never lets the forensic wait hold back a child-protection deadline (§2.17)', () => {
    const events = [
      strategyDiscussion('2026-09-01'),
      ev('2026-09-20', { type: 'forensic-update', status: 'awaiting-examination' }),
    ];
    const withPolice = plan(
      events,
      '2026-09-21',
      referral({
        police: { devicesSeized: { count: 3, seizedOn: '2026-08-28' }, preChargeBailGrantedOn: '2026-08-28' },
      }),
    );
    const without = plan(events, '2026-09-21');
    const cp = (t: Timeline) =>
      t.steps.filter((s) => s.track === 'child-protection').map((s) => [s.id, s.dueDate, s.status]);
    expect(cp(withPolice)).toEqual(cp(without));
    expect(withPolice.steps.some((s) => s.track === 'forensic')).toBe(true);
  });

  it('dates the bail milestone at the end of the initial 3 months, reminding 5 working days before', () => {
    const r = referral({
      police: { devicesSeized: { count: 1, seizedOn: '2026-05-29' }, preChargeBailGrantedOn: '2026-05-29' },
    });
    const t = plan([], '2026-08-20', r);
    expect(step(t, 'pre-charge-bail-ends')).toMatchObject({
      status: 'due',
      dueDate: '2026-08-29',
      countsFrom: { event: 'pre-charge-bail-ends', date: '2026-08-29' },
    });
    // Five working days before Saturday 29 August: Monday 24th; the reminder "on the day" goes on the last working
    // day before it, Friday 28th, never on the Saturday itself.
    expect(step(t, 'pre-charge-bail-ends').reminders.map((n) => n.date)).toEqual(['2026-08-24', '2026-08-28']);
  });

  it('dates the written-agreement review from the latest agreement', () => {
    const wa = (on: string, reviewBy: string) =>
      ev(on, { type: 'written-agreement', reviewBy, terms: ['supervised-contact'] });
    const t = plan([wa('2026-09-02', '2026-10-02'), wa('2026-10-01', '2026-11-02')], '2026-10-05');
    expect(step(t, 'written-agreement-review')).toMatchObject({
      status: 'due',
      dueDate: '2026-11-02',
      countsFrom: { date: '2026-10-01' },
    });
  });
});

describe('a holiday added mid-case', () => {
  const events = [strategyDiscussion('2026-09-01')];

  it('moves deadlines still to come; deadlines already passed keep their dates', () => {
    const before = plan(events, '2026-09-10');
    const announced = calendar.withHolidays([
      { date: '2026-09-14' as IsoDate, name: 'State funeral', source: 'announced' },
    ]);
    const after = plan(events, '2026-09-10', referral(), policy, announced, before);
    expect(step(before, 'icpc').dueDate).toBe('2026-09-22');
    expect(step(after, 'icpc').dueDate).toBe('2026-09-23');
    expect(step(after, 'assessment-complete').dueDate).toBe('2026-11-03');
    expect(step(after, 'referral-decision').dueDate).toBe(step(before, 'referral-decision').dueDate);
  });

  it('keeps a passed due date even when the new holiday falls before it', () => {
    const before = plan([], '2026-09-10');
    const retro = calendar.withHolidays([
      { date: '2026-09-01' as IsoDate, name: 'Late-listed holiday', source: 'announced' },
    ]);
    expect(step(plan([], '2026-09-10', referral(), policy, retro), 'referral-decision').dueDate).toBe('2026-09-02');
    expect(step(plan([], '2026-09-10', referral(), policy, retro, before), 'referral-decision').dueDate).toBe(
      '2026-09-01',
    );
  });
});

describe('plain data for workflows', () => {
  const events = [
    strategyDiscussion('2026-09-01'),
    icpcWithPlan('2026-09-22'),
    ev('2026-10-02', { type: 'visit' }),
    ev('2026-10-05', { type: 'core-group' }),
  ];

  it('plans the same whatever order the events arrive in', () => {
    expect(plan([...events].reverse(), '2026-10-06')).toEqual(plan(events, '2026-10-06'));
  });

  it('survives a JSON round trip unchanged (workflow state, query results)', () => {
    const t = plan(events, '2026-10-06');
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });
});
