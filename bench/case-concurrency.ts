/**
 * Concurrency benchmark: N case workflows (default 1,000) started together and run through 90 virtual days on
 * Temporal's time-skipping test server — each a referral on 4 January 2027 whose practitioner records the
 * decision and strategy discussion, then nothing (so reminders and escalations keep firing) — beside the SDK
 * floor in the same run: N do-nothing workflows with the timers, local activities and updates of one such case
 * (bench/floor/), driven the same way. As in production the worker is its own process
 * (./case-support/worker-process.ts), every workflow kept cached, and this process is the client. Reports wall
 * time, worker CPU and worker peak RSS of both, their ratios, and resident memory per cached workflow.
 * Run: `npx tsx bench/case-concurrency.ts [N]` (env: CASE_CACHE = workflow cache size, default N;
 * CASE_WORKFLOW_THREADS = workflow threads, default the production worker's; CASE_WORKER_NODE_OPTIONS = extra
 * node flags of the worker process).
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { caseWorkflow } from '../workflows';
import { recordEventUpdate } from '../workflows/case/messages';
import { bundleWorkflowsInChildProcess } from '../worker/workflow-bundle';
import { cpuSnapshot, historyShape } from './case-support/measure';
import { startRemoteWorker } from './case-support/remote-worker';
import type { WorkerProcessReport } from './case-support/worker-process';
import { floorRecordEvent } from './floor/floor-workflow';
import { describePlan, type FloorPlan, floorPlanOf } from './floor/plan';
import {
  advanceTo,
  caseInput,
  createCaseTestEnvironment,
  ev,
  referral,
  WORKFLOWS_PATH,
} from '../tests/workflows/support';

const MB = 1048576;
const EVENTS = [
  ev('2027-01-04', { type: 'referral-decision', decision: 'section-47-enquiry' }),
  ev('2027-01-04', { type: 'strategy-discussion', section47: 'initiated', questions: {}, riskFactors: [] }),
];

/** What one run measured. */
interface Run {
  readonly seconds: number;
  readonly serverCpuMs: number | undefined;
  readonly report: WorkerProcessReport;
}

/**
 * Starts `count` workflows at 08:00 on 4 January 2027 (`start`), records the two events on each at 10:00
 * (`update`), and runs virtual time to 4 April; the worker runs in its own process with every workflow cached.
 */
async function drive(
  bundleCode: string,
  count: number,
  start: (env: TestWorkflowEnvironment, taskQueue: string, i: number) => Promise<WorkflowHandle>,
  update: (handle: WorkflowHandle, event: (typeof EVENTS)[number]) => Promise<unknown>,
  after?: (env: TestWorkflowEnvironment, handles: WorkflowHandle[]) => Promise<void>,
): Promise<Run> {
  const env = await createCaseTestEnvironment();
  try {
    const taskQueue = `tq-${randomUUID()}`;
    const worker = await startRemoteWorker(env, taskQueue, bundleCode, {
      maxConcurrentWorkflowTaskExecutions: 100,
      // Every workflow stays cached: an evicted case replays its whole history at each wake.
      maxCachedWorkflows: Number(process.env.CASE_CACHE ?? count),
      ...(process.env.CASE_WORKFLOW_THREADS
        ? { workflowThreadPoolSize: Number(process.env.CASE_WORKFLOW_THREADS) }
        : {}),
    });
    await advanceTo(env, '2027-01-04', 8);
    worker.measure();
    const cpuBefore = cpuSnapshot();
    const started = performance.now();
    const handles = await Promise.all(Array.from({ length: count }, (_, i) => start(env, taskQueue, i)));
    await advanceTo(env, '2027-01-04', 10);
    await Promise.all(
      handles.map(async (handle) => {
        for (const event of EVENTS) await update(handle, event);
      }),
    );
    await advanceTo(env, '2027-04-04', 10);
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuSnapshot();
    const report = await worker.stop();
    await after?.(env, handles);
    const serverCpuMs =
      cpuBefore.serverMs === undefined || cpuAfter.serverMs === undefined
        ? undefined
        : cpuAfter.serverMs - cpuBefore.serverMs;
    return { seconds, serverCpuMs, report };
  } finally {
    await env.teardown();
  }
}

function line(what: string, count: number, run: Run): string {
  const s = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);
  const perWorkflow = (run.report.peakRss - run.report.readyRss) / count / 1024;
  return (
    `${what}: ${run.seconds.toFixed(1)} s wall, worker CPU ${s(run.report.cpuMs)}, server CPU ${s(run.serverCpuMs)}, ` +
    `worker peak RSS ${(run.report.peakRss / MB).toFixed(0)} MB (${(run.report.readyRss / MB).toFixed(0)} MB when ready; ` +
    `${perWorkflow.toFixed(0)} KB per cached workflow), ${run.report.emails} emails`
  );
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1000);
  const caseBundle = await bundleWorkflowsInChildProcess(WORKFLOWS_PATH);
  const floorBundle = await bundleWorkflowsInChildProcess(path.join(__dirname, 'floor', 'index.ts'));
  let plan: FloorPlan | undefined;
  let shape = '';
  const cases = await drive(
    caseBundle.code,
    count,
    (env, taskQueue, i) => {
      const ref = referral('2027-01-04', {}, `CP-2027-${String(i + 1).padStart(6, '0')}`);
      return env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
        taskQueue,
        workflowId: ref.caseReference,
        args: [caseInput(ref)],
      });
    },
    (handle, event) => handle.executeUpdate(recordEventUpdate, { args: [event] }),
    async (_env, handles) => {
      plan = floorPlanOf(await handles[0].fetchHistory());
      const h = await historyShape(handles[0]);
      shape = `one case: ${h.events} history events, ${h.workflowTasks} workflow tasks, ${h.timers} timers`;
    },
  );
  if (plan === undefined) throw new Error('no case history to take the floor from');
  const floorPlan = plan;
  const floor = await drive(
    floorBundle.code,
    count,
    (env, taskQueue, i) =>
      env.client.workflow.start('floorWorkflow', { taskQueue, workflowId: `floor-${i}`, args: [floorPlan] }),
    (handle, event) => handle.executeUpdate(floorRecordEvent, { args: [event] }),
  );
  console.log(line(`${count} cases through 90 virtual days`, count, cases));
  console.log(`  ${shape}; worker at the end: ${cases.report.memoryAtEnd}`);
  console.log(line(`${count} floor workflows (${describePlan(floorPlan)} each)`, count, floor));
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  console.log(
    `ratios case / floor: wall ${ratio(cases.seconds, floor.seconds)}, worker CPU ${ratio(cases.report.cpuMs, floor.report.cpuMs)}, ` +
      `worker peak RSS ${ratio(cases.report.peakRss, floor.report.peakRss)}, RSS per cached workflow ` +
      `${ratio(cases.report.peakRss - cases.report.readyRss, floor.report.peakRss - floor.report.readyRss)}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
