/**
 * What the Temporal SDK and sdk-core cost per cached workflow, whatever the workflow does: N workflows that hold
 * nothing and wake W times over 90 virtual days (default 1,000 × 18, the wake-ups of a 90-day case), all kept
 * cached, run by a worker in its own process exactly as bench/case-concurrency.ts runs the cases. The worker's
 * peak RSS here is the floor under the case benchmark's (docs/benchmarks-workflows.md).
 * Run: `npx tsx bench/sdk-floor.ts [N] [W]` (env CASE_WORKER_NODE_OPTIONS: node flags of the worker process).
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundleWorkflowCode } from '@temporalio/worker';
import { quietLogger } from '../worker/workflow-bundle';
import { startRemoteWorker } from './case-support/remote-worker';
import { advanceTo, createCaseTestEnvironment } from '../tests/workflows/support';

const MB = 1048576;

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1000);
  const wakes = Number(process.argv[3] ?? 18);
  const env = await createCaseTestEnvironment();
  try {
    const bundle = await bundleWorkflowCode({
      workflowsPath: path.join(__dirname, 'sdk-floor', 'workflows.ts'),
      logger: quietLogger,
      webpackConfigHook: (config) => ({ ...config, devtool: 'inline-nosources-cheap-module-source-map' }),
    });
    const taskQueue = `floor-${randomUUID()}`;
    const worker = await startRemoteWorker(env, taskQueue, bundle.code, { maxConcurrentWorkflowTaskExecutions: 100, maxCachedWorkflows: count });
    await advanceTo(env, '2027-01-04', 8);
    worker.measure();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: count }, (_, i) => env.client.workflow.start('floorWorkflow', { taskQueue, workflowId: `floor-${i}`, args: [wakes] })),
    );
    await advanceTo(env, '2027-04-03', 10);
    const seconds = (performance.now() - started) / 1000;
    const report = await worker.stop();
    console.log(
      `${count} empty workflows × ${wakes} wake-ups over 90 virtual days: ${seconds.toFixed(1)} s wall, worker CPU ${(report.cpuMs / 1000).toFixed(1)} s, ` +
        `worker peak RSS ${(report.peakRss / MB).toFixed(0)} MB (${(report.readyRss / MB).toFixed(0)} MB when ready; ` +
        `${((report.peakRss - report.readyRss) / count / 1024).toFixed(0)} KB per cached workflow)`,
    );
    console.log(`  worker at the end: ${report.memoryAtEnd}`);
  } finally {
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
