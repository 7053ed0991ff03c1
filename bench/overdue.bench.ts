/**
 * `cpflow overdue` benchmark: the manager's listing across 10,000 open cases, answered from the visibility of
 * Temporal's dev server (SQLite) — one ListWorkflowExecutions query on the cpflow search attributes, paged through
 * (the server's 1,000 rows per page), decoded, sorted client-side, with working days overdue counted on the
 * holiday calendar. Target: < 500 ms.
 *
 * Setup: the dev server in its own process, as `npm start` runs it apart from the CLI; 10,000 case workflows
 * started with their search attributes set as cases publish them (team, assignee, open, `CpflowOpenStepDues` =
 * `stepId@dueDate` of 2–6 open steps, some due before TODAY and some after, and `CpflowEarliestDue`); the listing
 * decides which are overdue. No worker runs, so each case simply stays open with those attributes — for a
 * listing answered from visibility alone, that is all a case contributes. The number of lines listed is checked
 * against the number of overdue steps generated.
 * Run: `npx tsx bench/overdue.bench.ts [--all-overdue]` (a few minutes: starting 10,000 workflows dominates).
 */
import { performance } from 'node:perf_hooks';
import { type SearchAttributePair, TypedSearchAttributes } from '@temporalio/common';
import { listOverdueSteps } from '../cli/cases/overdue';
import { addDays, type IsoDate } from '../domain/calendar';
import { createDevServerEnvironment } from '../tests/support/temporal';
import {
  CPFLOW_ASSIGNEE,
  CPFLOW_CASE_OPEN,
  CPFLOW_EARLIEST_DUE,
  CPFLOW_OPEN_STEP_DUES,
  CPFLOW_SEARCH_ATTRIBUTES,
  CPFLOW_STAGE,
  CPFLOW_TEAM,
} from '../workflows/search-attributes';
import { seededRandom } from './support/random';

const CASES = 10_000;
/** Share of open cases with overdue steps: 0.6, or 1 with `--all-overdue` (the worst case: every case listed). */
const OVERDUE_SHARE = process.argv.includes('--all-overdue') ? 1 : 0.6;
const TARGET_MS = 500;
const RUNS = 7;
const TODAY = '2027-03-01' as IsoDate;
/** Overdue steps fall due between this date and 120 days later (all before TODAY). */
const EARLIEST_DUE = '2026-10-30' as IsoDate;
/** Open steps not yet overdue fall due between TODAY (due today: not overdue) and 90 days later. */
const FUTURE_DAYS = 90;
const TEAMS = ['team-north', 'team-south', 'team-east', 'team-west', 'team-central'];
const STEPS = [
  'strategy-discussion',
  'partner-interview',
  'icpc',
  'assessment-complete',
  'visit-3',
  'core-group-2',
  'first-rcpc',
];

/** Median and maximum of samples. */
function stats(samples: number[]): { median: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] };
}

async function main(): Promise<void> {
  const env = await createDevServerEnvironment({ searchAttributes: CPFLOW_SEARCH_ATTRIBUTES });
  const client = env.client;
  try {
    const rnd = seededRandom(7);
    let withOverdue = 0;
    let openStepDues = 0;
    /** Overdue steps generated, all teams and per team: what the listing must print. */
    const expectedLines = new Map<string | undefined, number>();
    const count = (team: string, lines: number) => {
      expectedLines.set(undefined, (expectedLines.get(undefined) ?? 0) + lines);
      expectedLines.set(team, (expectedLines.get(team) ?? 0) + lines);
    };
    const setupStart = performance.now();
    for (let batch = 0; batch < CASES; batch += 250) {
      await Promise.all(
        Array.from({ length: Math.min(250, CASES - batch) }, (_, k) => {
          const i = batch + k;
          const team = TEAMS[i % TEAMS.length];
          const step = (j: number) => STEPS[(i + j) % STEPS.length];
          // OVERDUE_SHARE of the cases have 1–3 overdue steps, due in the 120 days before TODAY.
          const overdue =
            rnd() < OVERDUE_SHARE
              ? Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, j) => ({
                  stepId: step(j),
                  due: addDays(EARLIEST_DUE, Math.floor(rnd() * 120)),
                }))
              : [];
          if (overdue.length > 0) withOverdue += 1;
          count(team, overdue.length);
          // Every open step's due date: the overdue ones and 1–3 still to come (some due today).
          const upcoming = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, j) => ({
            stepId: step(overdue.length + j),
            due: addDays(TODAY, Math.floor(rnd() * FUTURE_DAYS)),
          }));
          const open = [...overdue, ...upcoming];
          openStepDues += open.length;
          const earliest = open.map((s) => s.due).sort()[0];
          const steps: SearchAttributePair[] = [
            { key: CPFLOW_OPEN_STEP_DUES, value: open.map((s) => `${s.stepId}@${s.due}`) },
            { key: CPFLOW_EARLIEST_DUE, value: new Date(`${earliest}T00:00:00Z`) },
          ];
          return client.workflow.start('caseWorkflow', {
            workflowId: `CP-2026-${String(100_000 + i)}`,
            taskQueue: 'cpflow-bench-no-worker',
            args: [],
            typedSearchAttributes: new TypedSearchAttributes([
              { key: CPFLOW_TEAM, value: team },
              { key: CPFLOW_ASSIGNEE, value: `sw-${String(1000 + (i % 400))}` },
              { key: CPFLOW_STAGE, value: 'child-protection-plan' },
              { key: CPFLOW_CASE_OPEN, value: true },
              ...steps,
            ]),
          });
        }),
      );
    }
    // Visibility is written after each start is acknowledged: wait until the server lists every case.
    while ((await client.workflow.count('CpflowCaseOpen = true')).count < CASES) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const setupSeconds = (performance.now() - setupStart) / 1000;
    process.stdout.write(
      `Started ${CASES} open cases on the dev server in ${setupSeconds.toFixed(1)} s ` +
        `(${openStepDues} open step due dates); ${withOverdue} cases with ${expectedLines.get(undefined) ?? 0} overdue steps\n`,
    );

    for (const [label, team] of [
      ['all teams', undefined],
      ['one team (--team team-north)', 'team-north'],
    ] as const) {
      await listOverdueSteps(client, { today: TODAY, ...(team === undefined ? {} : { team }) }); // warm-up
      const samples: number[] = [];
      let lines = 0;
      for (let run = 0; run < RUNS; run++) {
        const start = performance.now();
        const listing = await listOverdueSteps(client, { today: TODAY, ...(team === undefined ? {} : { team }) });
        samples.push(performance.now() - start);
        lines = listing.steps.length;
      }
      if (lines !== (expectedLines.get(team) ?? 0)) {
        throw new Error(`overdue, ${label}: listed ${lines} lines, expected ${expectedLines.get(team) ?? 0}`);
      }
      const { median, max } = stats(samples);
      process.stdout.write(
        `overdue, ${label}: ${lines} lines from ${CASES} open cases — median ${median.toFixed(0)} ms, max ${max.toFixed(0)} ms ` +
          `over ${RUNS} runs (target < ${TARGET_MS} ms: ${median < TARGET_MS ? 'met' : 'NOT met'})\n`,
      );
    }
  } finally {
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
