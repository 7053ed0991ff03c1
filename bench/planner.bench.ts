/**
 * Planner benchmark: `planTimeline` over a full case — referral with seized devices and bail, LADO trigger,
 * strategy discussion, interviews, §2.18/§3.7/§2.23 records, ICPC with a plan, six months of visits, core
 * groups and a review, police updates, serious forensic results and the new strategy discussion (≈60 events,
 * ≈45 timeline entries). Target: < 50 µs per plan. Run: `npx tsx bench/planner.bench.ts`.
 */
import { performance } from 'node:perf_hooks';
import { loadHolidays } from '../config/holidays';
import { loadPolicy } from '../config/policy-loader';
import { type IsoDate, WorkingDayCalendar } from '../domain/calendar';
import { type CaseEvent, parseCaseEvent, parseReferral } from '../domain/case';
import { nextWakeUp, planTimeline, type PlanInput } from '../domain/planner';

/** One measured scenario. */
export interface PlannerBenchResult {
  readonly name: string;
  readonly microsecondsPerPlan: number;
  readonly plansPerSecond: number;
  readonly detail: string;
}

const TARGET_MICROSECONDS = 50;

/** The full case: a referral and its events across eight months. */
export function fullCase(calendar: WorkingDayCalendar): Omit<PlanInput, 'today'> {
  const referral = parseReferral({
    caseReference: 'CP-2026-000123',
    authority: 'bedford-borough',
    teamId: 'team-north',
    practitionerId: 'sw-0042',
    receivedOn: '2026-08-29',
    children: [{ age: 4 }, { age: 11 }],
    allegedPerson: {
      livesWithChildren: true,
      regularContactWithChildren: false,
      worksOrVolunteersWithChildren: true,
      holdsPositionOfTrust: false,
    },
    police: {
      reference: 'BED/26/001234',
      arrestedOn: '2026-08-28',
      devicesSeized: { count: 3, seizedOn: '2026-08-28' },
      preChargeBailGrantedOn: '2026-08-28',
    },
  });
  const raw: Record<string, unknown>[] = [
    { type: 'referral-decision', occurredOn: '2026-09-01', decision: 'section-47-enquiry' },
    {
      type: 'strategy-discussion',
      occurredOn: '2026-09-01',
      section47: 'initiated',
      questions: { 'relevant-offending-history': 'no' },
      riskFactors: ['images-of-own-children'],
      leavingHomeDecision: 'remains-with-written-agreement',
    },
    { type: 'lado-referral-sent', occurredOn: '2026-09-02' },
    {
      type: 'written-agreement',
      occurredOn: '2026-09-02',
      reviewBy: '2026-10-02',
      terms: ['supervised-contact', 'no-sleep-overs'],
    },
    { type: 'partner-interview', occurredOn: '2026-09-02' },
    { type: 'alleged-perpetrator-interview', occurredOn: '2026-09-07', interviewers: 2 },
    { type: 'lado-referral-acknowledged', occurredOn: '2026-09-03' },
    {
      type: 'information-gathered',
      occurredOn: '2026-09-10',
      imageCategories: ['B', 'C'],
      items: ['other-technology-in-home', 'works-with-children-including-voluntary'],
    },
    {
      type: 'protective-carer-assessment',
      occurredOn: '2026-09-14',
      concerns: ['recent-partner'],
      protectiveQualities: ['good-social-support-and-confidant'],
    },
    {
      type: 'risk-judgement',
      occurredOn: '2026-09-16',
      analysed: ['severity', 'vulnerability', 'likelihood', 'safety'],
      harmConsequences: 'serious',
      probability: 'likely',
    },
    { type: 'icpc', occurredOn: '2026-09-21', outcome: 'child-protection-plan', category: 'sexual-abuse' },
    { type: 'written-agreement', occurredOn: '2026-10-01', reviewBy: '2026-12-01', terms: ['supervised-contact'] },
    { type: 'assessment-completed', occurredOn: '2026-10-20', startedOn: '2026-08-29', authorisedBy: 'tm-007' },
    { type: 'lado-outcome', occurredOn: '2026-11-02', outcome: 'unsubstantiated' },
    {
      type: 'deadline-extended',
      occurredOn: '2026-12-10',
      stepId: 'first-rcpc',
      newDueDate: '2026-12-23',
      reason: 'family-unavailable',
      agreedBy: 'tm-007',
    },
    { type: 'review-conference', occurredOn: '2026-12-18', outcome: 'plan-continues' },
    { type: 'forensic-results', occurredOn: '2027-03-10', findings: ['category-a-images', 'category-c-images'] },
    { type: 'practitioner-reassigned', occurredOn: '2027-01-04', practitionerId: 'sw-0077' },
  ];
  let visit = '2026-09-21' as IsoDate;
  for (let i = 0; i < 16; i += 1) {
    visit = calendar.addWorkingDays(visit, 9);
    raw.push({ type: 'visit', occurredOn: visit });
  }
  for (const on of ['2026-10-02', '2026-11-12', '2026-12-21', '2027-02-01', '2027-03-12'])
    raw.push({ type: 'core-group', occurredOn: on });
  let update = '2026-08-28' as IsoDate;
  for (let i = 0; i < 6; i += 1) {
    update = calendar.addWeeks(update, 4);
    raw.push({
      type: 'forensic-update',
      occurredOn: calendar.workingDayOnOrBefore(update),
      status: 'awaiting-examination',
    });
  }
  const events: CaseEvent[] = raw.map((e) => parseCaseEvent({ recordedBy: 'sw-0042', ...e }));
  return { referral, events, policy: loadPolicy('pan-bedfordshire'), calendar };
}

/** Runs `fn` repeatedly for about `ms` milliseconds after a warm-up; best of five rounds, in µs per call. */
function measure(fn: () => unknown, ms = 400): number {
  for (let i = 0; i < 2_000; i += 1) fn();
  let best = Infinity;
  for (let round = 0; round < 5; round += 1) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ms) {
      for (let i = 0; i < 100; i += 1) fn();
      calls += 100;
      now = performance.now();
    }
    best = Math.min(best, ((now - start) * 1000) / calls);
  }
  return best;
}

/** Runs the planner benchmark and returns its results. */
export function runPlannerBench(): PlannerBenchResult[] {
  const calendar = new WorkingDayCalendar(loadHolidays({ fromYear: 2000, toYear: 2100 }));
  const base = fullCase(calendar);
  const results: PlannerBenchResult[] = [];
  const scenario = (name: string, input: PlanInput) => {
    const timeline = planTimeline(input);
    const us = measure(() => planTimeline(input));
    results.push({
      name,
      microsecondsPerPlan: us,
      plansPerSecond: 1e6 / us,
      detail: `${input.events.length} events → ${timeline.steps.length} entries, ${timeline.findings.length} findings, next wake-up ${nextWakeUp(timeline) ?? 'none'}`,
    });
  };
  scenario('full case, mid-plan (today 2027-03-15)', { ...base, today: '2027-03-15' as IsoDate });
  scenario('full case, replanned with previous timeline', {
    ...base,
    today: '2027-03-15' as IsoDate,
    previous: planTimeline({ ...base, today: '2027-03-14' as IsoDate }),
  });
  scenario('new referral, no events (today = referral date)', { ...base, events: [], today: '2026-08-29' as IsoDate });
  return results;
}

if (require.main === module) {
  const results = runPlannerBench();
  process.stdout.write(`planTimeline — target < ${TARGET_MICROSECONDS} µs per plan\n\n`);
  process.stdout.write('| scenario | µs/plan | plans/s | detail |\n|---|---:|---:|---|\n');
  for (const r of results) {
    process.stdout.write(
      `| ${r.name} | ${r.microsecondsPerPlan.toFixed(1)} | ${Math.round(r.plansPerSecond).toLocaleString('en-GB')} | ${r.detail} |\n`,
    );
  }
  const worst = Math.max(...results.map((r) => r.microsecondsPerPlan));
  process.stdout.write(`\nworst ${worst.toFixed(1)} µs: target ${worst < TARGET_MICROSECONDS ? 'met' : 'NOT met'}\n`);
}
