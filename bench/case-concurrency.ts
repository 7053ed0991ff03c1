/**
 * Concurrency benchmark: N case workflows (default 1,000) started together and run through 90 virtual days on
 * the in-memory server — each a referral on 4 January 2027 whose practitioner records the decision, strategy
 * discussion and interviews, then nothing (so reminders and escalations keep firing) — with one worker process
 * over the real activities and an in-memory mailer. Measures the wall time of the 90 days and the worker
 * process's peak RSS (the server runs in its own process). Targets: < 60 s, < 500 MB.
 * Run: `npx tsx bench/case-concurrency.ts [N]` (env: CASE_CACHE = workflow cache size, default N;
 * CASE_WORKFLOW_THREADS = workflow threads, default the SDK's 1).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { caseWorkflow } from '../workflows';
import { recordEventUpdate } from '../workflows/case/messages';
import { bundleWorkflowsInChildProcess } from '../worker/workflow-bundle';
import { cpuSnapshot, describeCpu, historyShape } from './case-support/measure';
import { advanceTo, caseInput, createCaseTestEnvironment, createCaseWorker, ev, outsideWorld, referral, useWorkflowBundle, WORKFLOWS_PATH } from '../tests/workflows/support';

const TARGET_SECONDS = 60;
const TARGET_RSS_MB = 500;

async function main(): Promise<void> {
  const cases = Number(process.argv[2] ?? 1000);
  const env = await createCaseTestEnvironment();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 200);
  try {
    useWorkflowBundle(await bundleWorkflowsInChildProcess(WORKFLOWS_PATH));
    const afterBundle = process.memoryUsage().rss;
    peakRss = afterBundle;
    const world = outsideWorld({ stampTimes: false });
    const taskQueue = `tq-${randomUUID()}`;
    const worker = await createCaseWorker(env, taskQueue, world, {
      maxConcurrentWorkflowTaskExecutions: 100,
      maxConcurrentActivityTaskExecutions: 200,
      // Every case stays cached: an evicted case replays its whole history at each wake (200 cases with a cache of
      // 50: 255 s instead of 14-24 s). CASE_CACHE=<n> measures another size.
      maxCachedWorkflows: Number(process.env.CASE_CACHE ?? cases),
      ...(process.env.CASE_WORKFLOW_THREADS ? { workflowThreadPoolSize: Number(process.env.CASE_WORKFLOW_THREADS) } : {}),
    });
    const started = performance.now();
    const cpuBefore = cpuSnapshot();
    let startedAt = 0;
    let shapeLine = '';
    const seconds = await worker.runUntil(async () => {
      await advanceTo(env, '2027-01-04', 8);
      const handles = [];
      for (let i = 0; i < cases; i += 1) {
        const ref = referral('2027-01-04', {}, `CP-2027-${String(i + 1).padStart(6, '0')}`);
        handles.push(
          env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', { taskQueue, workflowId: ref.caseReference, args: [caseInput(ref)] }),
        );
      }
      const running = await Promise.all(handles);
      startedAt = performance.now();
      await advanceTo(env, '2027-01-04', 10);
      await Promise.all(
        running.map(async (handle) => {
          await handle.executeUpdate(recordEventUpdate, { args: [ev('2027-01-04', { type: 'referral-decision', decision: 'section-47-enquiry' })] });
          await handle.executeUpdate(recordEventUpdate, { args: [ev('2027-01-04', { type: 'strategy-discussion', section47: 'initiated', questions: {}, riskFactors: [] })] });
        }),
      );
      await advanceTo(env, '2027-04-04', 10);
      const elapsed = (performance.now() - started) / 1000;
      const cpuAfter = cpuSnapshot();
      const shape = await historyShape(running[0]);
      shapeLine = `one case: ${shape.events} history events, ${shape.workflowTasks} workflow tasks, ${shape.timers} timers, ${shape.activities} activities`;
      shapeLine = `${describeCpu(cpuBefore, cpuAfter)}; ${shapeLine}`;
      return elapsed;
    });
    console.log(
      `${cases} cases through 90 virtual days: ${seconds.toFixed(1)} s wall (starting ${((startedAt - started) / 1000).toFixed(1)} s; target < ${TARGET_SECONDS} s), ` +
        `${world.mailer.sent.length} emails, worker peak RSS ${(peakRss / 1048576).toFixed(0)} MB (target < ${TARGET_RSS_MB} MB; ` +
        `${(afterBundle / 1048576).toFixed(0)} MB of it before the first case; workflows bundled in a child process)`,
    );
    console.log(`  ${shapeLine}`);
  } finally {
    clearInterval(sampler);
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
