import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTestEnvironment, withWorker } from '../support/temporal';
import * as activities from './activities';
import {
  cancelRunningActivity,
  heartbeatTimeoutFinal,
  heartbeatTimeoutRetried,
  nonRetryableFailure,
  retryUntilSuccess,
} from './workflows';

const workflowsPath = path.resolve(__dirname, 'workflows');
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
});
afterAll(async () => {
  await env?.teardown();
});

describe('activity retries', () => {
  it('retries a failing activity with the exponential backoff of its retry policy', async () => {
    const workflowId = `retry-${randomUUID()}`;
    const attempt = await withWorker(env, { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(retryUntilSuccess, { taskQueue, workflowId }),
    );
    expect(attempt).toBe(3);
    const times = activities.attemptTimes.get(workflowId) ?? [];
    expect(times).toHaveLength(3);
    // initialInterval 1s, coefficient 2: 1s then 2s of (virtual) backoff between attempts.
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(1000);
    expect(times[1] - times[0]).toBeLessThan(1500);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(2000);
    expect(times[2] - times[1]).toBeLessThan(2500);
  });

  it('does not retry a non-retryable failure type', async () => {
    const seen = await withWorker(env, { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(nonRetryableFailure, { taskQueue, workflowId: `fatal-${randomUUID()}` }),
    );
    expect(seen).toBe('ApplicationFailure:FatalReferralError');
  });
});

describe('activity timeouts and cancellation', () => {
  it('times out a silent activity by heartbeat and hands its last heartbeat details to the next attempt', async () => {
    const result = await withWorker(env, { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(heartbeatTimeoutRetried, { taskQueue, workflowId: `hb-${randomUUID()}` }),
    );
    expect(result).toBe('attempt 2 resumed from progress-1');
  });

  it('reports a heartbeat timeout to the workflow when no retry is left', async () => {
    const workflowId = `hb-final-${randomUUID()}`;
    const result = await withWorker(env, { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(heartbeatTimeoutFinal, { taskQueue, workflowId }),
    );
    expect(result).toBe('TimeoutFailure:HEARTBEAT');
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    expect(history.events?.some((e) => e.activityTaskTimedOutEventAttributes)).toBe(true);
  });

  it('delivers a cancellation request through the heartbeat response', async () => {
    const workflowId = `cancel-act-${randomUUID()}`;
    const result = await withWorker(env, { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(cancelRunningActivity, { taskQueue, workflowId }),
    );
    expect(result).toBe('cancelled');
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    expect(history.events?.some((e) => e.activityTaskCancelRequestedEventAttributes)).toBe(true);
    expect(history.events?.some((e) => e.activityTaskCanceledEventAttributes)).toBe(true);
  });
});
