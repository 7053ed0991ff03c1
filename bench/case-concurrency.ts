/**
 * Concurrency benchmark: N case workflows (default 1,000) started together and run through 90 virtual days on
 * the in-memory server — each a referral on 4 January 2027 whose practitioner records the decision and strategy
 * discussion, then nothing (so reminders and escalations keep firing). As in production, the worker is its own
 * process (./case-support/worker-process.ts: real activities, an in-memory mailer and sent log) and this process
 * is the client that starts the cases and records their events. Measures the wall time of the 90 days and the
 * worker process's peak RSS. Targets: < 60 s, < 500 MB.
 * Run: `npx tsx bench/case-concurrency.ts [N]` (env: CASE_CACHE = workflow cache size, default N;
 * CASE_WORKFLOW_THREADS = workflow threads, default the production worker's (worker/tuning.ts); CASE_WORKER_NODE_OPTIONS = extra node flags
 * of the worker process).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { caseWorkflow } from '../workflows';
import { recordEventUpdate } from '../workflows/case/messages';
import { bundleWorkflowsInChildProcess } from '../worker/workflow-bundle';
import { cpuSnapshot, historyShape } from './case-support/measure';
import { startRemoteWorker } from './case-support/remote-worker';
import { advanceTo, caseInput, createCaseTestEnvironment, ev, referral, WORKFLOWS_PATH } from '../tests/workflows/support';

const TARGET_SECONDS = 60;
const TARGET_RSS_MB = 500;
const MB = 1048576;

async function main(): Promise<void> {
  const cases = Number(process.argv[2] ?? 1000);
  const env = await createCaseTestEnvironment();
  try {
    const bundle = await bundleWorkflowsInChildProcess(WORKFLOWS_PATH);
    const taskQueue = `tq-${randomUUID()}`;
    const worker = await startRemoteWorker(env, taskQueue, bundle.code, {
      maxConcurrentWorkflowTaskExecutions: 100,
      // Every case stays cached: an evicted case replays its whole history at each wake (200 cases with a cache of
      // 50: 255 s instead of 14-24 s). CASE_CACHE=<n> measures another size.
      maxCachedWorkflows: Number(process.env.CASE_CACHE ?? cases),
      ...(process.env.CASE_WORKFLOW_THREADS ? { workflowThreadPoolSize: Number(process.env.CASE_WORKFLOW_THREADS) } : {}),
    });
    await advanceTo(env, '2027-01-04', 8);
    worker.measure();
    const started = performance.now();
    const cpuBefore = cpuSnapshot();
    const handles = [];
    for (let i = 0; i < cases; i += 1) {
      const ref = referral('2027-01-04', {}, `CP-2027-${String(i + 1).padStart(6, '0')}`);
      handles.push(env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', { taskQueue, workflowId: ref.caseReference, args: [caseInput(ref)] }));
    }
    const running = await Promise.all(handles);
    const startedAt = performance.now();
    await advanceTo(env, '2027-01-04', 10);
    await Promise.all(
      running.map(async (handle) => {
        await handle.executeUpdate(recordEventUpdate, { args: [ev('2027-01-04', { type: 'referral-decision', decision: 'section-47-enquiry' })] });
        await handle.executeUpdate(recordEventUpdate, { args: [ev('2027-01-04', { type: 'strategy-discussion', section47: 'initiated', questions: {}, riskFactors: [] })] });
      }),
    );
    await advanceTo(env, '2027-04-04', 10);
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuSnapshot();
    const report = await worker.stop();
    const shape = await historyShape(running[0]);
    const serverCpu = cpuBefore.serverMs === undefined || cpuAfter.serverMs === undefined ? 'n/a' : `${((cpuAfter.serverMs - cpuBefore.serverMs) / 1000).toFixed(2)} s`;
    const threads = Object.entries(report.threadsMs)
      .filter(([, ms]) => ms >= 100)
      .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
      .join(', ');
    console.log(
      `${cases} cases through 90 virtual days: ${seconds.toFixed(1)} s wall (starting ${((startedAt - started) / 1000).toFixed(1)} s; target < ${TARGET_SECONDS} s), ` +
        `${report.emails} emails, worker peak RSS ${(report.peakRss / MB).toFixed(0)} MB (target < ${TARGET_RSS_MB} MB; ` +
        `${(report.readyRss / MB).toFixed(0)} MB when ready)`,
    );
    console.log(`  worker at the end: ${report.memoryAtEnd}`);
    console.log(
      `  worker CPU ${(report.cpuMs / 1000).toFixed(2)} s (${threads}), server CPU ${serverCpu}, client CPU ${((cpuAfter.workerMs - cpuBefore.workerMs) / 1000).toFixed(2)} s; ` +
        `one case: ${shape.events} history events, ${shape.workflowTasks} workflow tasks, ${shape.timers} timers, ${shape.activities} activities`,
    );
    if (seconds >= TARGET_SECONDS) console.log(`ABOVE TIME TARGET by ${(seconds - TARGET_SECONDS).toFixed(1)} s`);
    if (report.peakRss / MB >= TARGET_RSS_MB) console.log(`ABOVE MEMORY TARGET by ${(report.peakRss / MB - TARGET_RSS_MB).toFixed(0)} MB`);
  } finally {
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
