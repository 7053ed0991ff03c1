import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { withWorker } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import * as activities from './activities';
import {
  cancelRunningActivity,
  heartbeatTimeoutFinal,
  heartbeatTimeoutRetried,
  nonRetryableFailure,
  retryUntilSuccess,
  scheduleToCloseExpires,
  startToCloseFinal,
  startToCloseRetried,
} from './workflows';

const workflowsPath = path.resolve(__dirname, 'workflows');
const env = useTestEnvironment();

describe('activity retries', () => {
  it('retries a failing activity with the exponential backoff of its retry policy', async () => {
    const workflowId = `retry-${randomUUID()}`;
    const attempt = await withWorker(env(), { workflowsPath, activities }, ({ client, taskQueue }) =>
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
    const seen = await withWorker(env(), { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(nonRetryableFailure, { taskQueue, workflowId: `fatal-${randomUUID()}` }),
    );
    expect(seen).toBe('ApplicationFailure:FatalReferralError');
  });
});

describe('activity timeouts and cancellation', () => {
  it('times out a silent activity by heartbeat and hands its last heartbeat details to the next attempt', async () => {
    const result = await withWorker(env(), { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(heartbeatTimeoutRetried, { taskQueue, workflowId: `hb-${randomUUID()}` }),
    );
    expect(result).toBe('attempt 2 resumed from progress-1');
  });

  it('reports a heartbeat timeout to the workflow when no retry is left', async () => {
    const workflowId = `hb-final-${randomUUID()}`;
    const result = await withWorker(env(), { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(heartbeatTimeoutFinal, { taskQueue, workflowId }),
    );
    expect(result).toBe('TimeoutFailure:HEARTBEAT');
    const history = await env().client.workflow.getHandle(workflowId).fetchHistory();
    expect(history.events?.some((e) => e.activityTaskTimedOutEventAttributes)).toBe(true);
  });

  it('delivers a cancellation request through the heartbeat response', async () => {
    const workflowId = `cancel-act-${randomUUID()}`;
    const result = await withWorker(env(), { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(cancelRunningActivity, { taskQueue, workflowId }),
    );
    expect(result).toBe('cancelled');
    const history = await env().client.workflow.getHandle(workflowId).fetchHistory();
    expect(history.events?.some((e) => e.activityTaskCancelRequestedEventAttributes)).toBe(true);
    expect(history.events?.some((e) => e.activityTaskCanceledEventAttributes)).toBe(true);
  });
});

describe('activity start-to-close and schedule-to-close timeouts', () => {
  const TimeoutType = temporal.api.enums.v1.TimeoutType;

  it('times out an attempt running past start-to-close and retries it', async () => {
    const workflowId = `stc-retry-${randomUUID()}`;
    const attempt = await withWorker(env(), { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(startToCloseRetried, { taskQueue, workflowId }),
    );
    expect(attempt).toBe(2);
    const events = (await env().client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const started = events.find((e) => e.activityTaskStartedEventAttributes)?.activityTaskStartedEventAttributes;
    // One ActivityTaskStarted (the last attempt), carrying the timeout of attempt 1 as its last failure.
    expect(started?.attempt).toBe(2);
    expect(started?.lastFailure?.timeoutFailureInfo?.timeoutType).toBe(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
    expect(events.some((e) => e.activityTaskCompletedEventAttributes)).toBe(true);
  });

  it('reports a start-to-close timeout to the workflow when no retry is left', async () => {
    const workflowId = `stc-final-${randomUUID()}`;
    const seen = await withWorker(env(), { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(startToCloseFinal, { taskQueue, workflowId }),
    );
    expect(seen).toEqual({ failure: 'TimeoutFailure', timeoutType: 'START_TO_CLOSE' });
    const events = (await env().client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const timedOut = events.find((e) => e.activityTaskTimedOutEventAttributes)?.activityTaskTimedOutEventAttributes;
    expect(timedOut?.retryState).toBe(temporal.api.enums.v1.RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
  });

  it('times out the whole activity at schedule-to-close, retries or not', async () => {
    const workflowId = `s2c-${randomUUID()}`;
    const seen = await withWorker(env(), { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(scheduleToCloseExpires, { taskQueue, workflowId }),
    );
    expect(seen).toEqual({ failure: 'TimeoutFailure', timeoutType: 'SCHEDULE_TO_CLOSE' });
    const events = (await env().client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes)?.eventTime;
    const timedOut = events.find((e) => e.activityTaskTimedOutEventAttributes);
    expect(timedOut?.activityTaskTimedOutEventAttributes?.failure?.timeoutFailureInfo?.timeoutType).toBe(
      TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE,
    );
    const elapsedMs = (Number(timedOut?.eventTime?.seconds) - Number(scheduled?.seconds)) * 1000;
    expect(elapsedMs).toBeGreaterThanOrEqual(0);
    expect(elapsedMs).toBeLessThanOrEqual(2000);
  });
});
