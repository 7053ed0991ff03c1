/**
 * Case workflow benchmark: the twelve-month case with a forensic wait of tests/workflows/full-case.test.ts
 * (≈50 recorded events, 95 notifications, ≈1,000 history events across the case and its forensic child) on
 * Temporal's time-skipping test server, beside its SDK floor in the same run: do-nothing workflows with the same
 * timers, local activities and updates (bench/floor/), driven the same way. As in production the worker runs in
 * its own process (./case-support/worker-process.ts) and this process is the client that records the events.
 * Measures the wall time of each simulation (server start and bundling excluded), in interleaved pairs, and
 * reports the ratio case / floor — what cpflow costs above what any workflow of that shape costs here.
 * Run: `npx tsx bench/case-12-months.ts [pairs]` (default 3).
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { IsoDate } from '../domain/calendar';
import type { caseWorkflow } from '../workflows';
import { twelveMonthCase } from '../tests/workflows/scenarios';
import { caseInput, createCaseTestEnvironment, WORKFLOWS_PATH } from '../tests/workflows/support';
import { recordEventUpdate } from '../workflows/case/messages';
import { VirtualClock } from './case-support/virtual-clock';
import { bundleWorkflowsInChildProcess } from '../worker/workflow-bundle';
import { historyShape } from './case-support/measure';
import { startRemoteWorker } from './case-support/remote-worker';
import { floorRecordEvent } from './floor/floor-workflow';
import { describePlan, type FloorPlan, floorPlanOf } from './floor/plan';

const scenario = twelveMonthCase('CP-2027-000100');
const START = { date: '2027-01-04' as IsoDate, hour: 8 };

interface Run {
  readonly seconds: number;
  readonly workerCpuMs: number;
}

/** One environment, one worker process, one drive; the environment is torn down after. */
async function withEnvironment<T>(
  bundleCode: string,
  drive: (env: TestWorkflowEnvironment, taskQueue: string) => Promise<T>,
): Promise<T & { workerCpuMs: number }> {
  const env = await createCaseTestEnvironment();
  try {
    const taskQueue = `tq-${randomUUID()}`;
    const worker = await startRemoteWorker(env, taskQueue, bundleCode, {});
    worker.measure();
    const result = await drive(env, taskQueue);
    const report = await worker.stop();
    return { ...result, workerCpuMs: report.cpuMs };
  } finally {
    await env.teardown();
  }
}

/** The case: events recorded at 10:00 UK time on their dates, to closure. */
async function runCase(bundleCode: string): Promise<Run & { plans: FloorPlan[]; shape: string }> {
  return withEnvironment(bundleCode, async (env, taskQueue) => {
    const clock = new VirtualClock(env);
    await clock.advanceTo(START.date, START.hour);
    const started = performance.now();
    const handle = await env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
      taskQueue,
      workflowId: scenario.referral.caseReference,
      args: [caseInput(scenario.referral)],
    });
    for (const event of scenario.events) {
      await clock.advanceTo(event.occurredOn, 10);
      await handle.executeUpdate(recordEventUpdate, { args: [event] });
    }
    await handle.result();
    const seconds = (performance.now() - started) / 1000;
    const forensic = env.client.workflow.getHandle(`${scenario.referral.caseReference}-forensic`);
    const [caseShape, forensicShape] = [await historyShape(handle), await historyShape(forensic)];
    return {
      seconds,
      plans: [floorPlanOf(await handle.fetchHistory()), floorPlanOf(await forensic.fetchHistory())],
      shape:
        `case ${caseShape.events} history events, ${caseShape.workflowTasks} workflow tasks; ` +
        `forensic child ${forensicShape.events} events, ${forensicShape.workflowTasks} workflow tasks`,
    };
  });
}

/** The floor: the same shape, driven the same way (the case's plan receives its updates). */
async function runFloor(bundleCode: string, plans: readonly FloorPlan[]): Promise<Run> {
  return withEnvironment(bundleCode, async (env, taskQueue) => {
    const clock = new VirtualClock(env);
    await clock.advanceTo(START.date, START.hour);
    const started = performance.now();
    const handles: WorkflowHandle[] = [];
    for (const plan of plans) {
      handles.push(
        await env.client.workflow.start('floorWorkflow', {
          taskQueue,
          workflowId: `floor-${randomUUID()}`,
          args: [plan],
        }),
      );
    }
    for (const event of scenario.events) {
      await clock.advanceTo(event.occurredOn, 10);
      await handles[0].executeUpdate(floorRecordEvent, { args: [event] });
    }
    await Promise.all(handles.map((h) => h.result()));
    return { seconds: (performance.now() - started) / 1000 };
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const pairs = Number(process.argv[2] ?? 3);
  const caseBundle = await bundleWorkflowsInChildProcess(WORKFLOWS_PATH);
  const floorBundle = await bundleWorkflowsInChildProcess(path.join(__dirname, 'floor', 'index.ts'));
  const cases: Run[] = [];
  const floors: Run[] = [];
  let plans: FloorPlan[] = [];
  let shape = '';
  for (let i = 0; i < pairs; i += 1) {
    const c = await runCase(caseBundle.code);
    cases.push(c);
    plans = c.plans;
    shape = c.shape;
    floors.push(await runFloor(floorBundle.code, plans));
    console.log(`  pair ${i + 1}: case ${c.seconds.toFixed(2)} s, floor ${floors[i].seconds.toFixed(2)} s`);
  }
  const s = (runs: Run[]) =>
    `${median(runs.map((r) => r.seconds)).toFixed(2)} s (${runs.map((r) => r.seconds.toFixed(2)).join(', ')})`;
  const cpu = (runs: Run[]) => `${(median(runs.map((r) => r.workerCpuMs)) / 1000).toFixed(2)} s`;
  console.log(
    `twelve-month case on Temporal's time-skipping test server: median ${s(cases)}, worker CPU ${cpu(cases)}`,
  );
  console.log(`  ${shape}; 95 notifications`);
  console.log(`SDK floor (same timers, local activities and updates): median ${s(floors)}, worker CPU ${cpu(floors)}`);
  console.log(`  case plan ${describePlan(plans[0])}; forensic plan ${describePlan(plans[1])}`);
  console.log(
    `ratio case / floor: ${(median(cases.map((r) => r.seconds)) / median(floors.map((r) => r.seconds))).toFixed(2)} (wall), ` +
      `${(median(cases.map((r) => r.workerCpuMs)) / median(floors.map((r) => r.workerCpuMs))).toFixed(2)} (worker CPU)`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
