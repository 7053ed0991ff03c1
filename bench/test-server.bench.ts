/**
 * Benchmark of the cpflow test server through the real Temporal SDK (run: npx tsx bench/test-server.bench.ts).
 * Prints wall-clock timings; targets (2-core machine): 180-day workflow < 300 ms, 200 workflows < 10 s.
 * Last scenario: 1,000 concurrent long-lived workflows (13 weekly timers each), with the server process's
 * resident memory sampled before, during and after (it must not keep growing once they are done).
 */
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { createTestEnvironment, workflowBundle } from '../tests/support/temporal';
import * as activities from '../tests/conformance/activities';
import { activitiesAndTimers, oneActivity, weeklyTimers } from '../tests/conformance/workflows';

const workflowsPath = path.resolve(__dirname, '../tests/conformance/workflows');

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** Pid of the test server process sdk-core launched as a child of this process. */
function serverPid(): number {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.includes('cpflow-test-server'));
  if (!line) throw new Error('test server process not found among this process\'s children');
  return Number(line.trim().split(/\s+/)[0]);
}

/** Resident memory of a process in MB (Linux /proc). */
function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

async function main(): Promise<void> {
  const startup = await time(() => createTestEnvironment());
  const env = startup.value;
  const taskQueue = `bench-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(workflowsPath),
    activities,
    maxConcurrentWorkflowTaskExecutions: 100,
    maxConcurrentActivityTaskExecutions: 200,
  });
  const results: string[] = [`environment start-up (server process + connections): ${startup.ms.toFixed(0)} ms`];
  await worker.runUntil(async () => {
    // Warm-up (first workflow pays the workflow isolate start).
    await env.client.workflow.execute(oneActivity, { taskQueue, workflowId: `warm-${randomUUID()}`, args: ['x'] });

    const singles: number[] = [];
    for (let i = 0; i < 20; i++) {
      singles.push((await time(() => env.client.workflow.execute(oneActivity, { taskQueue, workflowId: `one-${randomUUID()}`, args: ['x'] }))).ms);
    }
    singles.sort((a, b) => a - b);
    results.push(`one activity, start -> result: median ${singles[10].toFixed(1)} ms, max ${singles[19].toFixed(1)} ms (20 runs)`);

    const longRuns: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await time(() => env.client.workflow.execute(weeklyTimers, { taskQueue, workflowId: `weekly-${randomUUID()}`, args: [26] }));
      if (r.value < 182 * 24 * 3600 * 1000) throw new Error(`weeklyTimers slept only ${r.value} ms`);
      longRuns.push(r.ms);
    }
    longRuns.sort((a, b) => a - b);
    results.push(`180 days through 26 weekly timers: median ${longRuns[2].toFixed(0)} ms, max ${longRuns[4].toFixed(0)} ms (5 runs; target < 300 ms)`);

    // result() of the time-skipping client unlocks/relocks time skipping around each call, which
    // cannot be nested (as in Temporal's test server); for concurrent waits unlock once, then use a plain client.
    const plain = new Client({ connection: env.connection });
    const testService = env.connection.testService;
    if (!testService) throw new Error('the environment has no TestService');
    const many = await time(async () => {
      await testService.unlockTimeSkipping({});
      try {
        return await Promise.all(
          Array.from({ length: 200 }, () =>
            plain.workflow.execute(activitiesAndTimers, { taskQueue, workflowId: `many-${randomUUID()}`, args: [5] }),
          ),
        );
      } finally {
        await testService.lockTimeSkipping({});
      }
    });
    if (many.value.some((n) => n !== 5)) throw new Error('a workflow did not finish its 5 steps');
    results.push(`200 concurrent workflows x (5 activities + 5 timers): ${many.ms.toFixed(0)} ms (target < 10000 ms)`);

    const pid = serverPid();
    const before = rssMb(pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(pid));
    }, 250);
    const longLived = await time(async () => {
      await testService.unlockTimeSkipping({});
      try {
        return await Promise.all(
          Array.from({ length: 1000 }, () =>
            plain.workflow.execute(weeklyTimers, { taskQueue, workflowId: `long-${randomUUID()}`, args: [13] }),
          ),
        );
      } finally {
        await testService.lockTimeSkipping({});
      }
    });
    const afterFirst = rssMb(pid);
    // A second wave of the same size: memory must level off, not grow by the same amount again.
    await testService.unlockTimeSkipping({});
    try {
      await Promise.all(
        Array.from({ length: 1000 }, () => plain.workflow.execute(weeklyTimers, { taskQueue, workflowId: `long2-${randomUUID()}`, args: [13] })),
      );
    } finally {
      await testService.lockTimeSkipping({});
    }
    clearInterval(sampler);
    const afterSecond = rssMb(pid);
    if (longLived.value.some((ms) => ms < 13 * 7 * 24 * 3600 * 1000)) throw new Error('a long-lived workflow woke up early');
    results.push(
      `1,000 concurrent workflows x 13 weekly timers: ${longLived.ms.toFixed(0)} ms; server RSS ${before.toFixed(0)} MB before, ` +
        `peak ${peak.toFixed(0)} MB, ${afterFirst.toFixed(0)} MB after, ${afterSecond.toFixed(0)} MB after a second 1,000`,
    );
  });
  await env.teardown();
  for (const line of results) console.log(line);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
