/**
 * Case workflow benchmark: the twelve-month case with a forensic wait of tests/workflows/full-case.test.ts
 * (≈100 recorded events, ≈95 notifications, ≈2,000 history events across the case and its forensic child)
 * simulated in virtual time on the in-memory server with the real activities and an in-memory mailer.
 * Measures the wall time of the simulation itself (server start and workflow bundling excluded).
 * Target: < 2 s. Run: `npx tsx bench/case-12-months.ts`.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { caseWorkflow } from '../workflows';
import { twelveMonthCase } from '../tests/workflows/scenarios';
import { advanceTo, caseInput, createCaseTestEnvironment, createCaseWorker, outsideWorld, recordOn, useWorkflowBundle, WORKFLOWS_PATH } from '../tests/workflows/support';
import { bundleWorkflowsInChildProcess } from '../worker/workflow-bundle';
import { cpuSnapshot, describeCpu, historyShape } from './case-support/measure';

const TARGET_SECONDS = 2;

async function main(): Promise<void> {
  const env = await createCaseTestEnvironment();
  try {
    useWorkflowBundle(await bundleWorkflowsInChildProcess(WORKFLOWS_PATH));
    {
      const scenario = twelveMonthCase('CP-2027-000100');
      const world = outsideWorld({ stampTimes: false });
      const taskQueue = `tq-${randomUUID()}`;
      const worker = await createCaseWorker(env, taskQueue, world);
      const started = performance.now();
      const cpuBefore = cpuSnapshot();
      let shapes = '';
      await worker.runUntil(async () => {
        await advanceTo(env, '2027-01-04', 8);
        const handle = await env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
          taskQueue,
          workflowId: scenario.referral.caseReference,
          args: [caseInput(scenario.referral, process.env.CASE_HISTORY_LIMIT === undefined ? undefined : { historyLength: Number(process.env.CASE_HISTORY_LIMIT) })],
        });
        for (const event of scenario.events) await recordOn(env, handle, event);
        await handle.result();
        const caseShape = await historyShape(handle);
        const forensicShape = await historyShape(env.client.workflow.getHandle(`${scenario.referral.caseReference}-forensic`));
        shapes =
          `case: ${caseShape.events} history events, ${caseShape.workflowTasks} workflow tasks, ${caseShape.timers} timers, ${caseShape.activities} activities; ` +
          `forensic child: ${forensicShape.events} events, ${forensicShape.workflowTasks} workflow tasks, ${forensicShape.timers} timers, ${forensicShape.activities} activities`;
      });
      const cpuAfter = cpuSnapshot();
      // One run per process: virtual time cannot go back to the referral date in the same environment.
      const seconds = (performance.now() - started) / 1000;
      console.log(`twelve-month case: ${seconds.toFixed(2)} s wall (target < ${TARGET_SECONDS} s), ${world.mailer.sent.length} emails`);
      console.log(`  ${describeCpu(cpuBefore, cpuAfter)}`);
      console.log(`  ${shapes}`);
      if (seconds >= TARGET_SECONDS) console.log(`ABOVE TARGET by ${(seconds - TARGET_SECONDS).toFixed(2)} s`);
    }
  } finally {
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
