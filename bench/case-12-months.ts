/**
 * Case workflow benchmark: the twelve-month case with a forensic wait of tests/workflows/full-case.test.ts
 * (≈50 recorded events, 95 notifications, ≈1,200 history events across the case and its forensic child)
 * simulated in virtual time on the in-memory server. As in production, the worker runs in its own process
 * (./case-support/worker-process.ts: the real activities, an in-memory mailer and sent log) and this process is
 * the client that records the events. Measures the wall time of the simulation itself (server start and
 * workflow bundling excluded). Target: < 2 s. Run: `npx tsx bench/case-12-months.ts`.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { IsoDate } from '../domain/calendar';
import type { caseWorkflow } from '../workflows';
import { twelveMonthCase } from '../tests/workflows/scenarios';
import { caseInput, createCaseTestEnvironment, WORKFLOWS_PATH } from '../tests/workflows/support';
import { recordEventUpdate } from '../workflows/case/messages';
import { VirtualClock } from './case-support/virtual-clock';
import { bundleWorkflowsInChildProcess } from '../worker/workflow-bundle';
import { cpuSnapshot, historyShape } from './case-support/measure';
import { startRemoteWorker } from './case-support/remote-worker';

const TARGET_SECONDS = 2;

async function main(): Promise<void> {
  const env = await createCaseTestEnvironment();
  try {
    const bundle = await bundleWorkflowsInChildProcess(WORKFLOWS_PATH);
    const scenario = twelveMonthCase('CP-2027-000100');
    const taskQueue = `tq-${randomUUID()}`;
    const worker = await startRemoteWorker(env, taskQueue, bundle.code, {});
    const clock = new VirtualClock(env);
    await clock.advanceTo('2027-01-04' as IsoDate, 8);
    worker.measure();
    const started = performance.now();
    const cpuBefore = cpuSnapshot();
    const handle = await env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
      taskQueue,
      workflowId: scenario.referral.caseReference,
      args: [caseInput(scenario.referral, process.env.CASE_HISTORY_LIMIT === undefined ? undefined : { historyLength: Number(process.env.CASE_HISTORY_LIMIT) })],
    });
    // Each event at 10:00 UK time on its date, as tests/workflows/full-case.test.ts records them.
    for (const event of scenario.events) {
      await clock.advanceTo(event.occurredOn, 10);
      await handle.executeUpdate(recordEventUpdate, { args: [event] });
    }
    await handle.result();
    // One run per process: virtual time cannot go back to the referral date in the same environment.
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuSnapshot();
    const report = await worker.stop();
    const caseShape = await historyShape(handle);
    const forensicShape = await historyShape(env.client.workflow.getHandle(`${scenario.referral.caseReference}-forensic`));
    const s = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
    console.log(`twelve-month case: ${seconds.toFixed(2)} s wall (target < ${TARGET_SECONDS} s), ${report.emails} emails`);
    console.log(
      `  worker CPU ${s(report.cpuMs)}, server CPU ${s(cpuAfter.serverMs === undefined || cpuBefore.serverMs === undefined ? undefined : cpuAfter.serverMs - cpuBefore.serverMs)}, ` +
        `client CPU ${s(cpuAfter.workerMs - cpuBefore.workerMs)}`,
    );
    console.log(
      `  case: ${caseShape.events} history events, ${caseShape.workflowTasks} workflow tasks, ${caseShape.timers} timers; ` +
        `forensic child: ${forensicShape.events} events, ${forensicShape.workflowTasks} workflow tasks, ${forensicShape.timers} timers`,
    );
    if (seconds >= TARGET_SECONDS) console.log(`ABOVE TARGET by ${(seconds - TARGET_SECONDS).toFixed(2)} s`);
  } finally {
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
