import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WithStartWorkflowOperation, WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { CancelledFailure, TerminatedFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { withWorker } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import * as activities from './activities';
import { eventTypes, eventually, historyEvents, untilEvent, WORKER_CACHES } from './support';
import {
  addUpdate,
  approveSignal,
  asyncCompleted,
  awaitApproval,
  cancellableWithCleanup,
  collectUntilFinish,
  countQuery,
  counter,
  finishSignal,
  incrementSignal,
  pushSignal,
  sleeper,
} from './workflows';

const workflowsPath = path.resolve(__dirname, 'workflows');
const EventType = temporal.api.enums.v1.EventType;
const env = useTestEnvironment();

/** The event types of the workflow's history, in order. */
const eventTypesOf = (workflowId: string): Promise<number[]> => eventTypes(env().client.workflow.getHandle(workflowId));

describe.each(WORKER_CACHES)('signals, queries and updates ($cache)', ({ workerOptions }) => {
  it('applies signals, answers queries and runs accepted updates to completion', async () => {
    const workflowId = `counter-${randomUUID()}`;
    const { result, queried, updated } = await withWorker(
      env(),
      { workflowsPath, activities, ...workerOptions },
      async ({ client, taskQueue }) => {
        const handle = await client.workflow.start(counter, { taskQueue, workflowId });
        await handle.signal(incrementSignal, 2);
        await handle.signal(incrementSignal, 3);
        const queried = await handle.query(countQuery);
        // The update handler sleeps an hour of workflow time; env.sleep unlocks time skipping meanwhile.
        const [updated] = await Promise.all([handle.executeUpdate(addUpdate, { args: [10] }), env().sleep('2 hours')]);
        await handle.signal(finishSignal);
        const result = await handle.result();
        // Queries keep working on a closed workflow (legacy query task, full replay).
        expect(await handle.query(countQuery)).toBe(result);
        return { result, queried, updated };
      },
    );
    expect(queried).toBe(5);
    expect(updated).toBe(15);
    expect(result).toBe(15);
    const types = await eventTypesOf(workflowId);
    expect(types).toContain(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    expect(types).toContain(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
  });

  it('rejects an update failing its validator: the caller gets the error and nothing changes', async () => {
    const workflowId = `reject-${randomUUID()}`;
    const { error, countAfter } = await withWorker(
      env(),
      { workflowsPath, activities, ...workerOptions },
      async ({ client, taskQueue }) => {
        const handle = await client.workflow.start(counter, { taskQueue, workflowId });
        await handle.signal(incrementSignal, 4);
        const error = await handle.executeUpdate(addUpdate, { args: [-1] }).catch((e: unknown) => e);
        const countAfter = await handle.query(countQuery);
        await handle.terminate('test over');
        return { error, countAfter };
      },
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((error as WorkflowUpdateFailedError).cause?.message)).toMatch(/must be a positive integer/);
    expect(countAfter).toBe(4);
    const types = await eventTypesOf(workflowId);
    expect(types).not.toContain(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    expect(types).not.toContain(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
  });
});

describe('updates: wait stages', () => {
  it('returns at ACCEPTED and later yields the result', async () => {
    const workflowId = `stage-${randomUUID()}`;
    const result = await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(counter, { taskQueue, workflowId });
      const update = await handle.startUpdate(addUpdate, { args: [7], waitForStage: 'ACCEPTED' });
      // The update handler sleeps an hour of workflow time: let time skip.
      const [value] = await Promise.all([update.result(), env().sleep('2 hours')]);
      await handle.signal(finishSignal);
      // Wait for the end: a workflow task left pending without a worker would stop time skipping.
      await handle.result();
      return value;
    });
    expect(result).toBe(7);
  });
});

describe('update-with-start', () => {
  it('starts the workflow and runs the update in its first workflow task', async () => {
    const workflowId = `uws-${randomUUID()}`;
    const { updated, result } = await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const startWorkflowOperation = new WithStartWorkflowOperation(counter, {
        workflowId,
        taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      const [updated] = await Promise.all([
        client.workflow.executeUpdateWithStart(addUpdate, { args: [5], startWorkflowOperation }),
        env().sleep('2 hours'),
      ]);
      const handle = await startWorkflowOperation.workflowHandle();
      await handle.signal(finishSignal);
      return { updated, result: await handle.result() };
    });
    expect(updated).toBe(5);
    expect(result).toBe(5);
  });
});

describe('signal racing a workflow task completion', () => {
  it('rejects the completing task and delivers the signal in a new workflow task', async () => {
    const workflowId = `race-${randomUUID()}`;
    const result = await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(collectUntilFinish, { taskQueue, workflowId });
      await handle.signal(pushSignal, 'early');
      await handle.signal(finishSignal);
      // The finishing task runs a 1.5 s local activity; this signal lands while it is open.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await handle.signal(pushSignal, 'late');
      return handle.result();
    });
    expect(result).toEqual(['early', 'late']);
    const history = await env().client.workflow.getHandle(workflowId).fetchHistory();
    const failed = history.events?.find((e) => e.workflowTaskFailedEventAttributes);
    expect(failed?.workflowTaskFailedEventAttributes?.cause).toBe(
      temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
    );
  });
});

describe('timers raced by signals', () => {
  it('cancels the deadline timer when the signal arrives first', async () => {
    const workflowId = `approve-${randomUUID()}`;
    const result = await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(awaitApproval, { taskQueue, workflowId });
      // Signal once the deadline timer exists (a signal before the first task would mean no timer at all).
      for (let i = 0; i < 500 && !(await eventTypesOf(workflowId)).includes(EventType.EVENT_TYPE_TIMER_STARTED); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await handle.signal(approveSignal);
      return handle.result();
    });
    expect(result).toBe('approved');
    expect(await eventTypesOf(workflowId)).toContain(EventType.EVENT_TYPE_TIMER_CANCELED);
  });

  it('escalates when the deadline timer fires first', async () => {
    const workflowId = `escalate-${randomUUID()}`;
    const result = await withWorker(env(), { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(awaitApproval, { taskQueue, workflowId }),
    );
    expect(result).toBe('escalated');
    expect(await eventTypesOf(workflowId)).toContain(EventType.EVENT_TYPE_TIMER_FIRED);
  });
});

describe('asynchronous activity completion', () => {
  it('heartbeats and completes an activity by workflow id and activity id', async () => {
    const workflowId = `async-${randomUUID()}`;
    const result = await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(asyncCompleted, { taskQueue, workflowId });
      for (let i = 0; i < 100; i++) {
        const pending = (await handle.describe()).raw.pendingActivities ?? [];
        if (pending[0]?.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await client.activity.heartbeat({ workflowId, activityId: '1' }, 'halfway');
      const described = await handle.describe();
      expect(described.raw.pendingActivities?.[0]?.heartbeatDetails?.payloads?.length).toBe(1);
      await client.activity.complete({ workflowId, activityId: '1' }, 'completed from outside');
      return handle.result();
    });
    expect(result).toBe('completed from outside');
  });
});

describe('cancellation and termination', () => {
  it('cancels a sleeping workflow', async () => {
    const error = await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(sleeper, { taskQueue, workflowId: `cancel-${randomUUID()}`, args: [86_400_000] });
      await handle.cancel();
      return handle.result().catch((e: unknown) => e);
    });
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  });

  it('terminates a workflow', async () => {
    const handle = await env().client.workflow.start(sleeper, {
      taskQueue: `nobody-${randomUUID()}`,
      workflowId: `terminate-${randomUUID()}`,
      args: [1000],
    });
    await handle.terminate('closed by test');
    const error = await handle.result().catch((e: unknown) => e);
    expect((error as WorkflowFailedError).cause).toBeInstanceOf(TerminatedFailure);
    expect((await handle.describe()).status.name).toBe('TERMINATED');
  });
});

describe('cancellation and termination: history and cleanup', () => {
  it('records the cancel request, lets the workflow run its cleanup activity, and closes it as canceled', async () => {
    const workflowId = `cancel-cleanup-${randomUUID()}`;
    const error = await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(cancellableWithCleanup, { taskQueue, workflowId });
      await untilEvent(handle, EventType.EVENT_TYPE_TIMER_STARTED, 'the day-long timer to start');
      await handle.cancel();
      return handle.result().catch((e: unknown) => e);
    });
    expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    const types = await eventTypesOf(workflowId);
    const requested = types.indexOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED);
    const cleanup = types.indexOf(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
    expect(requested).toBeGreaterThan(0);
    expect(cleanup).toBeGreaterThan(requested);
    expect(types).toContain(EventType.EVENT_TYPE_TIMER_CANCELED);
    expect(types.at(-1)).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
  });

  it('terminates a workflow with a running activity: reason in history, nothing pending, second terminate refused', async () => {
    const workflowId = `terminate-busy-${randomUUID()}`;
    await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(asyncCompleted, { taskQueue, workflowId });
      await eventually(
        'the activity to start',
        async () => (await handle.describe()).raw.pendingActivities ?? [],
        (acts) => acts[0]?.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED,
      );
      await handle.terminate('case closed by the test');
      const described = await handle.describe();
      expect(described.status.name).toBe('TERMINATED');
      expect(described.raw.pendingActivities ?? []).toEqual([]);
      const again = await handle.terminate('twice').catch((e: unknown) => e);
      expect(again).toBeInstanceOf(WorkflowNotFoundError);
      // The activity's worker learns the workflow is gone when it reports back.
      const late = await client.activity.complete({ workflowId, activityId: '1' }, 'too late').catch((e: unknown) => e);
      expect(late).toBeInstanceOf(Error);
    });
    const events = await historyEvents(env().client.workflow.getHandle(workflowId));
    expect(events.at(-1)?.workflowExecutionTerminatedEventAttributes?.reason).toBe('case closed by the test');
  });
});

describe('worker replacement', () => {
  it('lets a new worker finish a workflow another worker started, from history', async () => {
    const workflowId = `handover-${randomUUID()}`;
    const taskQueue = `handover-${randomUUID()}`;
    await withWorker(env(), { workflowsPath, activities, taskQueue }, async ({ client }) => {
      const handle = await client.workflow.start(counter, { taskQueue, workflowId });
      await handle.signal(incrementSignal, 5);
      expect(await handle.query(countQuery)).toBe(5);
    });
    const result = await withWorker(env(), { workflowsPath, activities, taskQueue }, async ({ client }) => {
      const handle = client.workflow.getHandle(workflowId);
      await handle.signal(incrementSignal, 1);
      await handle.signal(finishSignal);
      return handle.result();
    });
    expect(result).toBe(6);
  });
});
