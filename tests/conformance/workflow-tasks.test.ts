import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { withWorker } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import * as activities from './activities';
import { historyEvents, untilEvent } from './support';
import { noteSignal, notesAfterBusyTask, twice } from './workflows';

const workflowsPath = path.resolve(__dirname, 'workflows');
const EventType = temporal.api.enums.v1.EventType;
const env = useTestEnvironment();

describe('signals during a running workflow task', () => {
  it('buffers them until the task completes and delivers them in the next task', async () => {
    const workflowId = `buffered-${randomUUID()}`;
    const result = await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(notesAfterBusyTask, { taskQueue, workflowId, args: [2] });
      await untilEvent(handle, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, 'the first workflow task to start');
      await delay(200); // inside the 1.5 s local activity of that task
      await handle.signal(noteSignal, 'first');
      await handle.signal(noteSignal, 'second');
      return handle.result();
    });
    expect(result).toEqual(['seen during the busy task: 0', 'first', 'second']);

    const events = await historyEvents(env().client.workflow.getHandle(workflowId));
    const idOf = (type: number) => Number(events.find((e) => e.eventType === type)?.eventId);
    const firstStarted = idOf(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
    const firstCompleted = idOf(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    const signals = events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED).map((e) => Number(e.eventId));
    expect(signals).toHaveLength(2);
    // Nothing lands inside the running task: both signals follow its completion, then a new task is scheduled.
    expect(signals.every((id) => id > firstCompleted)).toBe(true);
    expect(firstCompleted).toBe(firstStarted + 1);
    expect(events[Math.max(...signals)]?.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
  });
});

describe('workflow task timeout', () => {
  it('times out a task its worker never answers, refuses the late answer, and retries the task as attempt 2', async () => {
    const taskQueue = `wft-timeout-${randomUUID()}`;
    const workflowId = `wft-timeout-${randomUUID()}`;
    const service = env().connection.workflowService;
    const handle = await env().client.workflow.start(twice, { taskQueue, workflowId, args: [21], workflowTaskTimeout: '1s' });
    const stalled = await service.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, identity: 'stalled-worker' });
    expect(stalled.attempt).toBe(1);
    await untilEvent(handle, EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT, 'the workflow task to time out');
    const late = await service
      .respondWorkflowTaskCompleted({ namespace: 'default', taskToken: stalled.taskToken, identity: 'stalled-worker', commands: [] })
      .catch((e: unknown) => e as { code?: number });
    expect(late).toMatchObject({ code: 5 }); // NOT_FOUND: the task is gone

    const result = await withWorker(env(), { workflowsPath, activities, taskQueue }, () => handle.result());
    expect(result).toBe(42);
    const events = await historyEvents(handle);
    const timedOut = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
    expect(timedOut?.workflowTaskTimedOutEventAttributes?.timeoutType).toBe(temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
    const scheduled = events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
    expect(scheduled.map((e) => e.workflowTaskScheduledEventAttributes?.attempt)).toEqual([1, 2]);
    const started = events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
    expect(started[0]?.workflowTaskStartedEventAttributes?.identity).toBe('stalled-worker');
    expect(events.at(-1)?.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  });
});
