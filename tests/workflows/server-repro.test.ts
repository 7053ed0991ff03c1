/**
 * Regression tests of test-server behaviour the case workflows depend on (run against the embedded server),
 * with the worker's workflow cache on (the SDK default). The third was a failing repro of a server bug — a
 * query answered on a cached workflow broke its next task (non-determinism on WorkflowTaskStarted) — fixed in
 * the server by 7041e53.
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import { stepQuery, type timerThenActivity } from './fixtures/repro-workflows';

const env = useTestEnvironment({ searchAttributes: { CpflowStage: 'Keyword' } });

async function run(withQuery: boolean, withUpsert: boolean): Promise<number[]> {
  const taskQueue = `tq-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env().nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(path.join(__dirname, 'fixtures', 'repro-workflows.ts')),
    activities: { echo: (n: number) => Promise.resolve(n) },
  });
  return worker.runUntil(async () => {
    const handle = await env().client.workflow.start<typeof timerThenActivity>('timerThenActivity', {
      taskQueue,
      workflowId: randomUUID(),
      args: [withUpsert],
    });
    if (withQuery) expect(await handle.query(stepQuery)).toBe(0);
    return handle.result();
  });
}

describe('test server: timer then activity on a cached workflow', () => {
  it('completes without a query', async () => {
    expect(await run(false, false)).toEqual([0, 1]);
  }, 30_000);
  it('completes with a search attribute upsert', async () => {
    expect(await run(false, true)).toEqual([0, 1]);
  }, 30_000);
  it('completes after a query was answered before the timer fired', async () => {
    expect(await run(true, false)).toEqual([0, 1]);
  }, 30_000);
});
