/**
 * Web service benchmark: the server time of the pages managers and practitioners wait on, measured over HTTP on
 * loopback with a signed-in session (sign-in through the local OpenID provider, as in use):
 * - *Team* for a service manager over 10,000 open cases (two teams of 5,000), answered from the dev server's
 *   visibility (the cases' published due dates and timeliness counts), as `bench/overdue.bench.ts` sets them up;
 * - *Case* for a twelve-month case (the example scenario's 40 events, moved back in whole weeks so it ends before
 *   today, recorded through the case workflow on a worker in this process): three queries to the case and the
 *   page with its timeline picture.
 * Run: `npx tsx bench/web.bench.ts` (a few minutes: starting 10,000 workflows dominates). Results:
 * docs/benchmarks-web.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TypedSearchAttributes } from '@temporalio/common';
import { openCase, readCase, recordCaseEvent } from '../cli/cases/case-client';
import { readOpenCaseRows } from '../cli/cases/overdue';
import { auditTrailQuery, caseStatusQuery, timelineQuery } from '../workflows/case/messages';
import { caseCalendarData } from '../cli/cases/inputs';
import { todayInEngland } from '../cli/options';
import { loadPolicy } from '../config/policy-loader';
import { fromEpochDay, type IsoDate, toEpochDay, WorkingDayCalendar } from '../domain/calendar';
import { parseCaseEvent, parseReferral } from '../domain/case';
import { createDevServerEnvironment } from '../tests/support/temporal';
import { HttpBrowser, startTestWorker, startWeb } from '../tests/web/support';
import {
  CPFLOW_ASSIGNEE,
  CPFLOW_CASE_OPEN,
  CPFLOW_EARLIEST_DUE,
  CPFLOW_OPEN_STEP_DUES,
  CPFLOW_SEARCH_ATTRIBUTES,
  CPFLOW_STAGE,
  CPFLOW_TEAM,
  CPFLOW_TIMELINESS,
} from '../workflows/search-attributes';
import { seededRandom } from './support/random';

/** `--case-only`: just the twelve-month case, with each of its queries timed (for finding where time goes). */
const CASE_ONLY = process.argv.includes('--case-only');
const CASES = CASE_ONLY ? 0 : 10_000;
const RUNS = 21;
const TEAMS = ['team-north', 'team-south'];
const STEPS = ['strategy-discussion', 'partner-interview', 'icpc', 'assessment-complete', 'visit-3', 'core-group-2'];

/** Median and 95th percentile of samples (ms). */
function stats(samples: number[]): { median: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)],
    p95: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)],
  };
}

async function timePage(browser: HttpBrowser, url: string, expect: string): Promise<number[]> {
  const samples: number[] = [];
  for (let run = 0; run <= RUNS; run += 1) {
    const start = performance.now();
    const page = await browser.get(url);
    const ms = performance.now() - start;
    if (page.status !== 200 || !page.body.includes(expect)) throw new Error(`${url}: ${page.status}`);
    if (run > 0) samples.push(ms);
    else console.log(`  first view of ${new URL(url).pathname}: ${ms.toFixed(0)} ms`);
  }
  return samples;
}

async function main(): Promise<void> {
  const env = await createDevServerEnvironment({ searchAttributes: CPFLOW_SEARCH_ATTRIBUTES });
  const client = env.client;
  const today = todayInEngland();
  const taskQueue = 'cpflow-web-bench';
  const worker = await startTestWorker(env, taskQueue);
  const web = await startWeb(client, { taskQueue });
  try {
    // 10,000 open cases, as cases publish them.
    const rnd = seededRandom(11);
    const setup = performance.now();
    for (let batch = 0; batch < CASES; batch += 250) {
      await Promise.all(
        Array.from({ length: Math.min(250, CASES - batch) }, (_, k) => {
          const i = batch + k;
          const open = Array.from({ length: 2 + Math.floor(rnd() * 4) }, (_, j) => ({
            stepId: STEPS[(i + j) % STEPS.length],
            due: fromEpochDay(toEpochDay(today) + Math.floor(rnd() * 90) - 45),
          }));
          const earliest = open.map((s) => s.due).sort()[0];
          return client.workflow.start('caseWorkflow', {
            workflowId: `CP-2026-${String(100_000 + i)}`,
            taskQueue: 'cpflow-bench-no-worker',
            args: [],
            typedSearchAttributes: new TypedSearchAttributes([
              { key: CPFLOW_TEAM, value: TEAMS[i % TEAMS.length] },
              { key: CPFLOW_ASSIGNEE, value: `sw-${String(1000 + (i % 400))}` },
              { key: CPFLOW_STAGE, value: 'child-protection-plan' },
              { key: CPFLOW_CASE_OPEN, value: true },
              { key: CPFLOW_OPEN_STEP_DUES, value: open.map((s) => `${s.stepId}@${s.due}`) },
              { key: CPFLOW_EARLIEST_DUE, value: new Date(`${earliest}T00:00:00Z`) },
              { key: CPFLOW_TIMELINESS, value: [`icpc:${rnd() < 0.8 ? 'on-time' : 'late'}:1`, 'visit:on-time:4'] },
            ]),
          });
        }),
      );
    }
    console.log(`setup: ${CASES} open cases in ${((performance.now() - setup) / 1000).toFixed(0)} s`);

    // The twelve-month case, moved back in whole weeks (weekdays kept) to end before today.
    const scenario = JSON.parse(
      readFileSync(join(__dirname, '../examples/scenarios/twelve-month-case.json'), 'utf8'),
    ) as {
      referral: Record<string, unknown> & { receivedOn: string };
      events: { at: string; record?: Record<string, unknown> }[];
      until: string;
    };
    // Whole weeks keep the weekdays; the first shift that puts no conference on a bank holiday.
    const calendar = WorkingDayCalendar.fromData(caseCalendarData(today));
    const conferences = scenario.events
      .filter((e) => e.record !== undefined && ['icpc', 'review-conference'].includes(String(e.record.type)))
      .map((e) => e.at.slice(0, 10) as IsoDate);
    let weeks = Math.ceil((toEpochDay(scenario.until as IsoDate) - toEpochDay(today) + 1) / 7);
    while (conferences.some((d) => !calendar.isWorkingDay(fromEpochDay(toEpochDay(d) - 7 * weeks)))) weeks += 1;
    const shift = (date: string) => fromEpochDay(toEpochDay(date as IsoDate) - 7 * weeks);
    const shiftDates = (value: unknown): unknown => {
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return shift(value);
      if (Array.isArray(value)) return value.map(shiftDates);
      if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftDates(v)]));
      }
      return value;
    };
    const referral = parseReferral({
      ...(shiftDates(scenario.referral) as Record<string, unknown>),
      caseReference: 'CP-2026-990001',
    });
    await openCase(
      client,
      { referral, policy: loadPolicy('pan-bedfordshire'), calendar: caseCalendarData(referral.receivedOn) },
      { taskQueue },
    );
    let recorded = 0;
    for (const e of scenario.events) {
      // Kept open: a closed case's workflow has completed, and reading it replays its whole history.
      if (e.record === undefined || e.record.type === 'case-closed') continue;
      const event = parseCaseEvent({
        ...(shiftDates(e.record) as Record<string, unknown>),
        occurredOn: shift(e.at.slice(0, 10)),
        recordedBy: (e.record.recordedBy as string | undefined) ?? 'sw-0042',
      });
      try {
        await recordCaseEvent(client, referral.caseReference, event);
        recorded += 1;
      } catch (err) {
        console.log(`  (event ${event.type} on ${event.occurredOn} refused: ${(err as Error).message.slice(0, 120)})`);
      }
    }
    console.log(
      `twelve-month case: ${recorded} of ${scenario.events.length} events recorded, received ${referral.receivedOn}`,
    );

    if (CASE_ONLY) {
      await new Promise((resolve) => setTimeout(resolve, Number(process.env.PAUSE_MS ?? 0)));
      const handle = client.workflow.getHandle(referral.caseReference);
      for (const id of [
        referral.caseReference,
        `${referral.caseReference}-forensic`,
        `${referral.caseReference}-lado`,
      ]) {
        const d = await client.workflow
          .getHandle(id)
          .describe()
          .catch(() => undefined);
        console.log(`  ${id}: ${d?.status.name ?? 'none'}, ${d?.historyLength ?? 0} history events`);
      }
      const cpu0 = process.cpuUsage();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const cpu = process.cpuUsage(cpu0);
      console.log(`  idle 3 s: this process used ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms of CPU`);
      for (const [name, q] of [
        ['caseStatus', caseStatusQuery],
        ['timeline', timelineQuery],
        ['auditTrail', auditTrailQuery],
      ] as const) {
        const samples: number[] = [];
        for (let run = 0; run <= 7; run += 1) {
          const start = performance.now();
          const answer: unknown = await handle.query(q as never, today as never);
          if (run > 0) samples.push(performance.now() - start);
          if (run === 0) console.log(`  ${name}: ${JSON.stringify(answer).length} bytes of JSON`);
        }
        console.log(`  ${name} query: median ${stats(samples).median.toFixed(0)} ms`);
      }
      return;
    }
    const manager = new HttpBrowser();
    // Signing in lands on Team: its first view, with the visibility read (the sign-in's own redirects included).
    const cold = performance.now();
    const landing = await manager.signIn(web.url, 'sm-0101');
    console.log(
      `  sign-in landing on /team (first, cold read of ${CASES} rows): ${(performance.now() - cold).toFixed(0)} ms`,
    );
    const caseload = [
      ...landing.body.matchAll(
        /<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)<\/td>\s*<td[^>]*>\d+<\/td>\s*<td[^>]*>\d+<\/td>\s*<\/tr>/g,
      ),
    ];
    const total = caseload.reduce((sum, m) => sum + Number(m[1]), 0);
    // The 10,000 and the twelve-month case (team-north).
    if (total !== CASES + 1) throw new Error(`Team counts ${total} open cases, not ${CASES + 1}`);
    const team = stats(await timePage(manager, `${web.url}/team`, 'data-table="caseloads"'));
    const auditor = new HttpBrowser();
    await auditor.signIn(web.url, 'au-0001');
    const casePage = stats(
      await timePage(auditor, `${web.url}/cases/${referral.caseReference}`, 'data-figure="timeline"'),
    );
    // Where the time goes: the service layer alone (Temporal's answers), without the page.
    const service = async (fn: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let run = 0; run <= 7; run += 1) {
        const start = performance.now();
        await fn();
        if (run > 0) samples.push(performance.now() - start);
      }
      return stats(samples);
    };
    const rows = await service(() => readOpenCaseRows(client, { teams: TEAMS }));
    const queries = await service(() => readCase(client, referral.caseReference));
    console.log(
      `  of which: visibility rows ${rows.median.toFixed(0)} ms; the case's three queries ${queries.median.toFixed(0)} ms`,
    );
    console.log(
      `Team (service manager, ${CASES} open cases): median ${team.median.toFixed(0)} ms, p95 ${team.p95.toFixed(0)} ms`,
    );
    console.log(`Case (twelve-month case): median ${casePage.median.toFixed(0)} ms, p95 ${casePage.p95.toFixed(0)} ms`);
  } finally {
    await web.stop();
    await worker.stop();
    await env.teardown();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
