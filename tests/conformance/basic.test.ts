import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTestEnvironment, withWorker } from '../support/temporal';
import * as activities from './activities';
import { oneActivity, sleeper } from './workflows';

const workflowsPath = path.resolve(__dirname, 'workflows');
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
});
afterAll(async () => {
  await env?.teardown();
});

describe('bare path', () => {
  it('runs a workflow with one activity to its result', async () => {
    const result = await withWorker(env, { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(oneActivity, { taskQueue, workflowId: 'one-activity', args: ['case-1'] }),
    );
    expect(result).toBe('hello case-1');
  });

  it('completes a workflow sleeping six months in well under a second of wall time', async () => {
    const sixMonths = 183 * 24 * 3600 * 1000;
    const { result, wallMs } = await withWorker(env, { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const wallStart = Date.now();
      const result = await client.workflow.execute(sleeper, { taskQueue, workflowId: 'six-months', args: [sixMonths] });
      return { result, wallMs: Date.now() - wallStart };
    });
    expect(result.after - result.before).toBeGreaterThanOrEqual(sixMonths);
    expect(wallMs).toBeLessThan(1000);
  });
});
