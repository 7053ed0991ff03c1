/**
 * Case scenarios shared by the workflow tests, the replay recorder and the benchmarks, and an oracle that
 * says which notifications a case should send, computed day by day straight from the planner (independently
 * of the workflow's timers, windows and catch-up logic).
 */
import { addDays, type IsoDate, WorkingDayCalendar } from '../../domain/calendar';
import type { CaseEvent, Referral } from '../../domain/case';
import { notificationsOn, planTimeline, type Timeline } from '../../domain/planner';
import { seriousForensicResults } from '../../domain/rules';
import {
  allocationNotice,
  assignmentOf,
  emailTitle,
  noticeFor,
  recipientFor,
  scheduledNotices,
} from '../../domain/case-process';
import { isDated } from '../../domain/planner';
import { calendarData, ev, policy, referral } from './support';

/** The case calendar of the tests. */
export const calendar = WorkingDayCalendar.fromData(calendarData);

/** A scenario: a referral and the events a practitioner records, each on its date (at 10:00 UK time). */
export interface Scenario {
  readonly referral: Referral;
  readonly events: readonly CaseEvent[];
  /** Last day simulated. */
  readonly until: IsoDate;
}

const RECURRING: Record<string, CaseEvent['type']> = {
  visit: 'visit',
  'core-group': 'core-group',
  'police-update': 'forensic-update',
};

/**
 * Adds the recurring events (visits, core groups, police updates) a diligent practitioner records on each due
 * date — `lateBy` working days late for the occurrence ids listed — while their period lasts: planned from
 * the events that open the periods, each series stopping at the end of its period (plan ended, results,
 * closure) or `until`.
 */
export function withRecurringEvents(
  ref: Referral,
  fixed: readonly CaseEvent[],
  until: IsoDate,
  lateBy: Record<string, number> = {},
): CaseEvent[] {
  const ending = (e: CaseEvent) =>
    e.type === 'case-closed' ||
    e.type === 'forensic-results' ||
    (e.type === 'review-conference' && e.outcome === 'plan-ends');
  const closedOn = fixed.find((e) => e.type === 'case-closed')?.occurredOn ?? until;
  const planEnds =
    fixed.find((e) => e.type === 'review-conference' && e.outcome === 'plan-ends')?.occurredOn ?? closedOn;
  const resultsOn = fixed.find((e) => e.type === 'forensic-results')?.occurredOn ?? closedOn;
  const endOf: Record<string, IsoDate> = { visit: planEnds, 'core-group': planEnds, 'police-update': resultsOn };
  const base = fixed.filter((e) => !ending(e));
  const added: CaseEvent[] = [];
  // `occurrence@due` → the day it is recorded (late ones later); a new plan's visit-1 is another occurrence.
  const owed = new Map<string, IsoDate>();
  const first = fixed.reduce((d, e) => (e.occurredOn < d ? e.occurredOn : d), ref.receivedOn);
  // Day by day, as a practitioner would: each occurrence planned from what is recorded by then.
  for (let day = first; day <= until; day = addDays(day, 1)) {
    const known = [...base.filter((e) => e.occurredOn <= day), ...added];
    const timeline = planTimeline({ referral: ref, events: known, policy, calendar, today: day });
    for (const step of timeline.steps.filter(isDated)) {
      if (step.series === undefined || !(step.series in RECURRING) || step.status === 'done') continue;
      const key = `${step.id}@${step.dueDate}`;
      if (step.status === 'not-required' || step.dueDate !== day || owed.has(key)) continue;
      const late = lateBy[step.id] ?? 0;
      owed.set(key, late > 0 ? calendar.addWorkingDays(step.dueDate, late) : step.dueDate);
    }
    for (const [key, on] of owed) {
      if (on !== day) continue;
      const series = timeline.steps.find((st) => st.id === key.slice(0, key.indexOf('@')))?.series ?? '';
      owed.set(key, 'recorded' as IsoDate);
      if (on > endOf[series]) continue;
      added.push(
        series === 'police-update'
          ? ev(on, { type: 'forensic-update', status: 'examination-in-progress' })
          : ev(on, { type: RECURRING[series] } as never),
      );
    }
  }
  // Stable sort: on the same day, the fixed events come first.
  return [...fixed, ...added].sort((a, b) => (a.occurredOn < b.occurredOn ? -1 : a.occurredOn > b.occurredOn ? 1 : 0));
}

const questions = {
  'child-at-immediate-risk-of-significant-harm': 'no',
  'person-accessing-images-in-contact-with-children-at-work': 'no',
  'person-accessing-images-in-voluntary-work-or-position-of-trust': 'no',
  'timescale-for-forensic-investigation': 'not-known',
} as const;

/**
 * Twelve months of a case with a forensic wait (2027): referral on Monday 4 January with devices seized and
 * pre-charge bail, S47 enquiry (partner first), written agreement (§2.10), ICPC with a plan, visits, core
 * groups and reviews until the plan ends in October, police updates every 4 weeks until serious results in
 * September open a new enquiry (new discussion, interviews, conference), bail extended twice until the police
 * charge in October, closure in December. One visit is recorded 2 working days late.
 */
export function twelveMonthCase(caseReference = 'CP-2027-000001'): Scenario {
  const ref = referral(
    '2027-01-04',
    {
      police: {
        reference: 'BED/27/000123',
        arrestedOn: '2027-01-04',
        devicesSeized: { count: 3, seizedOn: '2027-01-04' },
        preChargeBailGrantedOn: '2027-01-04',
      },
    },
    caseReference,
  );
  const fixed: CaseEvent[] = [
    ev('2027-01-04', { type: 'referral-decision', decision: 'section-47-enquiry' }),
    ev('2027-01-05', {
      type: 'strategy-discussion',
      section47: 'initiated',
      questions,
      riskFactors: ['images-of-own-children'],
      leavingHomeDecision: 'remains-with-written-agreement',
    }),
    ev('2027-01-06', { type: 'partner-interview' }),
    ev('2027-01-06', {
      type: 'written-agreement',
      reviewBy: '2027-03-01',
      terms: ['supervised-contact', 'internet-and-device-use'],
    }),
    ev('2027-01-06', { type: 'icpc-booked', conferenceOn: '2027-01-25' }),
    ev('2027-01-13', { type: 'alleged-perpetrator-interview', interviewers: 2 }),
    ev('2027-01-25', { type: 'icpc', outcome: 'child-protection-plan', category: 'sexual-abuse' }),
    ev('2027-03-01', {
      type: 'written-agreement',
      reviewBy: '2027-06-01',
      terms: ['supervised-contact', 'internet-and-device-use'],
    }),
    ev('2027-03-05', { type: 'assessment-completed', startedOn: '2027-01-04', authorisedBy: 'tm-0007' }),
    ev('2027-04-01', { type: 'police-bail', action: 'extended', bailUntil: '2027-07-02', authorisedBy: 'inspector' }),
    ev('2027-04-23', { type: 'review-conference', outcome: 'plan-continues' }),
    ev('2027-06-01', {
      type: 'written-agreement',
      reviewBy: '2027-09-01',
      terms: ['supervised-contact', 'internet-and-device-use'],
    }),
    ev('2027-07-01', {
      type: 'police-bail',
      action: 'extended',
      bailUntil: '2027-10-01',
      authorisedBy: 'superintendent',
    }),
    ev('2027-09-01', { type: 'written-agreement', reviewBy: '2027-12-01', terms: ['supervised-contact'] }),
    ev('2027-09-20', { type: 'forensic-results', findings: ['category-a-images', 'category-c-images'] }),
    ev('2027-09-21', {
      type: 'strategy-discussion',
      section47: 'initiated',
      questions,
      riskFactors: ['images-of-own-children'],
      leavingHomeDecision: 'remains-with-written-agreement',
    }),
    ev('2027-09-22', { type: 'partner-interview' }),
    ev('2027-09-22', { type: 'icpc-booked', conferenceOn: '2027-10-12' }),
    ev('2027-09-29', { type: 'alleged-perpetrator-interview', interviewers: 2 }),
    ev('2027-09-30', { type: 'police-outcome', outcome: 'charged' }),
    ev('2027-10-12', { type: 'icpc', outcome: 'child-protection-plan', category: 'sexual-abuse' }),
    ev('2027-10-22', { type: 'review-conference', outcome: 'plan-ends' }),
    ev('2027-12-01', { type: 'written-agreement', reviewBy: '2028-01-04', terms: ['supervised-contact'] }),
    ev('2027-12-17', { type: 'case-closed', reason: 'services-ceased-other-reason' }),
  ];
  const until = '2027-12-17' as IsoDate;
  return { referral: ref, events: withRecurringEvents(ref, fixed, until, { 'visit-5': 2 }), until };
}

/** One notification the oracle expects: its id and the UK date it is sent on. */
export interface ExpectedNotification {
  readonly id: string;
  readonly date: IsoDate;
}

/**
 * The notifications a case should send, day by day from `from` to the scenario's end: at 09:00 those of the
 * day planned from the events recorded before it, then, after each event of the day (recorded at 10:00), any
 * new ones of the day; plus the immediate notice of serious forensic results. Nothing after closure.
 */
export function expectedNotifications(s: Scenario, from: IsoDate): ExpectedNotification[] {
  const out = new Map<string, IsoDate>();
  const known: CaseEvent[] = [];
  let pending = [...s.events];
  const collect = (timeline: Timeline, day: IsoDate) => {
    if (notificationsOn(timeline, day).length === 0) return;
    const assignment = assignmentOf(s.referral, known, policy);
    for (const n of scheduledNotices(timeline, day, day, ['child-protection', 'lado', 'forensic'], assignment))
      out.set(n.notificationId, day);
  };
  // At opening, the practitioner's allocation email with the first deadlines.
  const opening = planTimeline({ referral: s.referral, events: [], policy, calendar, today: from });
  const allocated = allocationNotice(
    opening,
    recipientFor('practitioner', assignmentOf(s.referral, [], policy)),
    `allocated-${from}`,
  );
  if (allocated !== undefined) out.set(allocated.notificationId, from);
  for (let day = from; day <= s.until; day = addDays(day, 1)) {
    if (known.some((e) => e.type === 'case-closed')) break;
    collect(planTimeline({ referral: s.referral, events: known, policy, calendar, today: day }), day);
    const today = pending.filter((e) => e.occurredOn === day);
    pending = pending.filter((e) => e.occurredOn !== day);
    for (const e of today) {
      known.push(e);
      const timeline = planTimeline({ referral: s.referral, events: known, policy, calendar, today: day });
      if (e.type !== 'case-closed') collect(timeline, day);
      const serious = seriousForensicResults(known);
      if (e.type === 'forensic-results' && serious?.on === day) {
        const step = timeline.steps.find((st) => st.id === 'forensic-strategy-discussion');
        if (step !== undefined && isDated(step)) {
          const base = {
            caseReference: s.referral.caseReference,
            stepId: step.id,
            stepTitle: emailTitle(step.title),
            dueDate: step.dueDate,
            kind: 'reminder' as const,
            recipient: recipientFor('practitioner', assignmentOf(s.referral, known, policy)),
          };
          out.set(noticeFor(base, `opened-${day}`).notificationId, day);
        }
      }
    }
  }
  return [...out]
    .map(([id, date]) => ({ id, date }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1));
}

/**
 * A long forensic wait: referral on 4 January 2027 with devices seized and bail, S47 enquiry, no ICPC needed
 * (§2.16), the assessment, then police updates every 4 weeks for `months` months (bail never extended)
 * until serious results, a new enquiry from the strategy discussion the next working day (no conference needed
 * again), the police's charge, and closure a month after the results.
 */
export function longForensicWait(months: number, caseReference = 'CP-2027-000001'): Scenario {
  const ref = referral(
    '2027-01-04',
    {
      police: { devicesSeized: { count: 2, seizedOn: '2027-01-04' }, preChargeBailGrantedOn: '2027-01-04' },
    },
    caseReference,
  );
  const resultsOn = calendar.workingDayOnOrAfter(calendar.addCalendarMonths('2027-01-04' as IsoDate, months));
  const discussion = calendar.addWorkingDays(resultsOn, 1);
  const closedOn = calendar.workingDayOnOrAfter(calendar.addCalendarMonths(resultsOn, 1));
  const fixed: CaseEvent[] = [
    ev('2027-01-04', { type: 'referral-decision', decision: 'section-47-enquiry' }),
    ev('2027-01-05', { type: 'strategy-discussion', section47: 'initiated', questions, riskFactors: [] }),
    ev('2027-01-06', { type: 'partner-interview' }),
    ev('2027-01-13', { type: 'alleged-perpetrator-interview', interviewers: 2 }),
    ev('2027-01-20', { type: 'icpc-not-required', reason: 'significant-factors-against-conference' }),
    ev('2027-02-26', { type: 'assessment-completed', startedOn: '2027-01-04', authorisedBy: 'tm-0007' }),
    ev(resultsOn, { type: 'forensic-results', findings: ['category-a-images'] }),
    ev(discussion, { type: 'strategy-discussion', section47: 'initiated', questions, riskFactors: [] }),
    ev(discussion, { type: 'partner-interview' }),
    ev(discussion, { type: 'alleged-perpetrator-interview', interviewers: 2 }),
    ev(discussion, { type: 'icpc-not-required', reason: 'significant-factors-against-conference' }),
    ev(discussion, { type: 'police-outcome', outcome: 'charged' }),
    ev(closedOn, { type: 'case-closed', reason: 'services-ceased-other-reason' }),
  ];
  return { referral: ref, events: withRecurringEvents(ref, fixed, closedOn), until: closedOn };
}
