/**
 * What the guidelines ask beyond the main pathway: a child at immediate risk (§2.6), the children's interviews
 * agreed at the strategy discussion (§5.1), a breach of the written agreement (§2.10–2.11), an alleged person who
 * is a young person (§1.7), and a same-day assessment (§2.13, a 0-day offset).
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../domain/calendar';
import { timelineOf } from '../../../domain/case-process';
import { parseProcedurePolicy } from '../../../domain/policy';
import { planTimeline } from '../../../domain/planner';
import { calendar, ev, policy, referral, strategyDiscussion } from '../planner/fixtures';
import { DrivenCase } from './driver';

const day = (date: string) => date as IsoDate;
/** Received on Monday 7 September 2026. */
const received = () => referral({ receivedOn: '2026-09-07' });
const step = (c: DrivenCase, id: string, on: string) =>
  timelineOf(c.state, policy, day(on)).steps.find((s) => s.id === id);

describe('§2.6 a child at immediate risk of significant harm', () => {
  it('tells the team manager the same day, once', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-07', { questions: { 'child-at-immediate-risk-of-significant-harm': 'yes' } }));
    c.runTo('2026-09-09');
    expect(c.sentLines((s) => s.notice.kind === 'immediate-risk')).toEqual([
      '2026-09-07 strategy-discussion immediate-risk team-manager:team-north',
    ]);
  });

  it('sends nothing urgent when the answer is no', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-07', { questions: { 'child-at-immediate-risk-of-significant-harm': 'no' } }));
    expect(c.sentLines((s) => s.notice.kind === 'immediate-risk')).toEqual([]);
  });
});

describe('§5.1 interviews with the children', () => {
  it('asks for the decision at a discussion that initiated the enquiry without one', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-07'));
    const codes = () => timelineOf(c.state, policy, day('2026-09-08')).findings.map((f) => f.code);
    expect(codes()).toContain('child-interviews-not-agreed');
    const d = new DrivenCase(received());
    d.record(strategyDiscussion('2026-09-07', { childInterviews: 'video-interview' }));
    expect(timelineOf(d.state, policy, day('2026-09-08')).findings.map((f) => f.code)).not.toContain(
      'child-interviews-not-agreed',
    );
  });
});

describe('§2.10–2.11 a breach of the written agreement', () => {
  it('calls a new strategy discussion within 1 working day, done once it is held', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-07'));
    expect(c.record(ev('2026-09-08', { type: 'written-agreement-breached' })).map((r) => r.code)).toEqual([
      'no-written-agreement',
    ]);
    c.record(ev('2026-09-08', { type: 'written-agreement', reviewBy: '2026-10-08', terms: ['supervised-contact'] }));
    c.record(ev('2026-09-21', { type: 'written-agreement-breached' }));
    expect(step(c, 'breach-strategy-discussion', '2026-09-21')).toMatchObject({ status: 'due', dueDate: '2026-09-22' });
    c.runTo('2026-09-23', 12);
    expect(c.sentLines((s) => s.notice.stepId === 'breach-strategy-discussion')).toEqual([
      '2026-09-22 breach-strategy-discussion due-today practitioner:sw-0042',
      '2026-09-23 breach-strategy-discussion overdue-escalation team-manager:team-north',
    ]);
    c.record(strategyDiscussion('2026-09-23'));
    expect(step(c, 'breach-strategy-discussion', '2026-09-23')).toMatchObject({ status: 'done' });
  });
});

describe('§1.7 an alleged person who is a young person', () => {
  const young = () =>
    referral({
      receivedOn: '2026-09-07',
      allegedPerson: {
        livesWithChildren: true,
        regularContactWithChildren: false,
        worksOrVolunteersWithChildren: false,
        holdsPositionOfTrust: false,
        youngPerson: true,
      },
    });

  it('takes the specialist route: specialist advice due 1 working day after the referral', () => {
    const c = new DrivenCase(young());
    expect(step(c, 'specialist-advice', '2026-09-07')).toMatchObject({ status: 'due', dueDate: '2026-09-08' });
    c.record(ev('2026-09-08', { type: 'specialist-advice-sought' }));
    expect(step(c, 'specialist-advice', '2026-09-08')).toMatchObject({ status: 'done' });
  });

  it('has no such step, and refuses the event, for an adult', () => {
    const c = new DrivenCase(received());
    expect(step(c, 'specialist-advice', '2026-09-07')).toBeUndefined();
    expect(c.record(ev('2026-09-08', { type: 'specialist-advice-sought' })).map((r) => r.code)).toEqual([
      'not-a-young-person',
    ]);
  });
});

describe('§2.13 the assessment on the day of the referral', () => {
  it('is possible with a same-day (0 working day) offset in a local policy', () => {
    const raw = JSON.parse(JSON.stringify(policy)) as { steps: { id: string; offset: unknown }[] };
    const assessment = raw.steps.find((s) => s.id === 'assessment-complete');
    if (assessment === undefined) throw new Error('the policy has no assessment step');
    assessment.offset = { workingDays: 0 };
    const sameDay = parseProcedurePolicy(raw, 'same-day.json');
    const t = planTimeline({ referral: received(), events: [], policy: sameDay, calendar, today: day('2026-09-07') });
    expect(t.steps.find((s) => s.id === 'assessment-complete')).toMatchObject({ status: 'due', dueDate: '2026-09-07' });
  });
});

describe('§2.10–2.11 the written agreement reviewed at the latest at the next child-protection meeting', () => {
  it('is due by the conference, then by the first core group, when they come before its review date', () => {
    const c = new DrivenCase(received());
    c.record(strategyDiscussion('2026-09-08'));
    c.record(ev('2026-09-08', { type: 'written-agreement', reviewBy: '2026-12-01', terms: ['supervised-contact'] }));
    // The ICPC is due on 29 September: the review with it.
    expect(step(c, 'written-agreement-review', '2026-09-08')).toMatchObject({ status: 'due', dueDate: '2026-09-29' });
    c.record(ev('2026-09-21', { type: 'icpc', outcome: 'child-protection-plan', category: 'sexual-abuse' }));
    // The first core group, 10 working days after the conference.
    expect(step(c, 'written-agreement-review', '2026-09-21')).toMatchObject({ status: 'due', dueDate: '2026-10-05' });
    // A renewed agreement is the review; its own review date is later than any meeting planned: it stands.
    c.record(ev('2026-10-05', { type: 'core-group' }));
    c.record(ev('2026-10-05', { type: 'written-agreement', reviewBy: '2026-10-20', terms: ['supervised-contact'] }));
    expect(step(c, 'written-agreement-review', '2026-10-05')).toMatchObject({ status: 'due', dueDate: '2026-10-20' });
  });
});
