/**
 * Sticky workflow task queues: a worker that caches a run gets its next workflow tasks on its own
 * sticky queue with only the new events; the server falls back to the normal queue with the full
 * history when the sticky worker does not take the task in time, shuts down, or the run's
 * stickiness is reset, failed or not renewed. Raw gRPC workers show exactly what a task carries;
 * SDK workers show that sdk-core works with it (cached runs, evicted runs, replaced workers).
 */
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { withWorker } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import * as activities from './activities';
import { eventually, historyEvents, startRawWorkflow, untilEvent, type RawWorkflow } from './support';
import { activitiesAndTimers, collectUntilFinish, counter, finishSignal, incrementSignal, pushSignal } from './workflows';

const workflowsPath = path.resolve(__dirname, 'workflows');
const EventType = temporal.api.enums.v1.EventType;
const TaskQueueKind = temporal.api.enums.v1.TaskQueueKind;
type PollResponse = temporal.api.workflowservice.v1.IPollWorkflowTaskQueueResponse;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const env = useTestEnvironment();

/** A raw worker's sticky queue: its name, the attributes it completes tasks with, and polls on it. */
interface RawStickyWorker {
  name: string;
  attributes(scheduleToStartSeconds: number): temporal.api.taskqueue.v1.IStickyExecutionAttributes;
  /** Polls the sticky queue. */
  poll(): Promise<PollResponse>;
  /** Polls the sticky queue and gives up after `ms` (the queue then counts as recently polled). */
  pollBriefly(ms: number): Promise<PollResponse | 'nothing'>;
}

function rawStickyWorker(raw: RawWorkflow): RawStickyWorker {
  const name = `sticky-${randomUUID()}`;
  const taskQueue = { name, kind: TaskQueueKind.TASK_QUEUE_KIND_STICKY, normalName: raw.taskQueue };
  const poll = () => raw.service.pollWorkflowTaskQueue({ namespace: raw.namespace, taskQueue, identity: 'raw-sticky-worker' });
  return {
    name,
    attributes: (seconds) => ({ workerTaskQueue: taskQueue, scheduleToStartTimeout: msToTs(seconds * 1000) }),
    poll,
    pollBriefly: (ms) =>
      env().connection
        .withDeadline(Date.now() + ms, poll)
        .then((task): PollResponse | 'nothing' => (task.taskToken?.length ? task : 'nothing'))
        .catch(() => 'nothing' as const),
  };
}

/** Starts a raw workflow and completes its second task (after a signal) with the sticky attributes. */
async function rawRunStickyTo(prefix: string, scheduleToStartSeconds: number): Promise<{ raw: RawWorkflow; sticky: RawStickyWorker }> {
  const raw = await startRawWorkflow(env(), prefix);
  const sticky = rawStickyWorker(raw);
  await signal(raw, 'to-normal-queue');
  const second = await raw.poll();
  await raw.service.respondWorkflowTaskCompleted({
    namespace: raw.namespace,
    taskToken: second.taskToken,
    identity: 'raw-worker',
    commands: [],
    stickyAttributes: sticky.attributes(scheduleToStartSeconds),
  });
  return { raw, sticky };
}

function signal(raw: RawWorkflow, signalName: string): Promise<unknown> {
  return raw.service.signalWorkflowExecution({
    namespace: raw.namespace,
    workflowExecution: { workflowId: raw.workflowId },
    signalName,
    requestId: randomUUID(),
  });
}

function terminate(raw: RawWorkflow): Promise<unknown> {
  return raw.service.terminateWorkflowExecution({ namespace: raw.namespace, workflowExecution: { workflowId: raw.workflowId }, reason: 'test over' });
}

const ids = (task: PollResponse) => (task.history?.events ?? []).map((e) => Number(e.eventId));
const types = (events: HistoryEvent[]) => events.map((e) => Number(e.eventType));

describe('a run whose worker keeps it cached (raw gRPC worker)', () => {
  it('sends its next workflow task to the sticky queue with only the events after the previous started event', async () => {
    const { raw, sticky } = await rawRunStickyTo('sticky-partial', 10);
    const onSticky = sticky.poll();
    await signal(raw, 'for-the-sticky-worker');
    const task = await onSticky;

    const previous = Number(task.previousStartedEventId);
    const started = Number(task.startedEventId);
    expect(previous).toBeGreaterThan(0);
    expect(ids(task)).toEqual(Array.from({ length: started - previous }, (_, i) => previous + 1 + i));
    expect(types(task.history?.events ?? [])).toEqual([
      EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
      EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
      EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
      EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    ]);
    expect(task.nextPageToken?.length ?? 0).toBe(0);
    expect(task.attempt).toBe(1);
    expect(task.workflowExecutionTaskQueue).toMatchObject({ name: raw.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL });
    // As in Temporal, the scheduled event names the sticky queue the task went to.
    const scheduled = task.history?.events?.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
    expect(scheduled?.workflowTaskScheduledEventAttributes?.taskQueue).toMatchObject({
      name: sticky.name,
      kind: TaskQueueKind.TASK_QUEUE_KIND_STICKY,
      normalName: raw.taskQueue,
    });
    await terminate(raw);
  });

  it('moves a task nobody takes from the sticky queue to the normal queue after schedule-to-start, with the full history, as attempt 1', async () => {
    const { raw, sticky } = await rawRunStickyTo('sticky-timeout', 1);
    expect(await sticky.pollBriefly(200)).toBe('nothing'); // the sticky worker polled recently, then went silent
    const signalledAt = Date.now();
    await signal(raw, 'nobody-on-the-sticky-queue');
    const task = await raw.poll();
    const waited = Date.now() - signalledAt;

    expect(waited).toBeGreaterThanOrEqual(900); // held for the 1 s schedule-to-start timeout (wall clock)...
    expect(waited).toBeLessThan(5000); // ...and no longer
    expect(ids(task)[0]).toBe(1);
    expect(ids(task).at(-1)).toBe(Number(task.startedEventId));
    expect(task.attempt).toBe(1);
    const events = task.history?.events ?? [];
    const timedOut = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
    expect(timedOut?.workflowTaskTimedOutEventAttributes).toMatchObject({
      timeoutType: temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START,
    });
    expect(Number(timedOut?.workflowTaskTimedOutEventAttributes?.startedEventId ?? 0)).toBe(0);
    expect(types(events).slice(-3)).toEqual([
      EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
      EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
      EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    ]);
    expect(events.at(-2)?.workflowTaskScheduledEventAttributes?.taskQueue).toMatchObject({ name: raw.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL });
    await terminate(raw);
  });

  it('sends the task straight to the normal queue when nobody has polled the sticky queue', async () => {
    const { raw } = await rawRunStickyTo('sticky-never-polled', 30);
    const signalledAt = Date.now();
    await signal(raw, 'sticky-worker-never-polled');
    const task = await raw.poll();
    expect(Date.now() - signalledAt).toBeLessThan(3000);
    expect(ids(task)[0]).toBe(1);
    expect(types(task.history?.events ?? [])).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
    await terminate(raw);
  });

  it.each([
    {
      call: 'ShutdownWorker naming the sticky queue',
      fallBack: (raw: RawWorkflow, sticky: RawStickyWorker) =>
        raw.service.shutdownWorker({ namespace: raw.namespace, stickyTaskQueue: sticky.name, identity: 'raw-sticky-worker', reason: 'test' }),
    },
    {
      call: 'ResetStickyTaskQueue naming the run',
      fallBack: (raw: RawWorkflow) => raw.service.resetStickyTaskQueue({ namespace: raw.namespace, execution: { workflowId: raw.workflowId } }),
    },
  ])('moves a waiting sticky task to the normal queue at once on $call, and keeps later tasks there', async ({ fallBack }) => {
    const { raw, sticky } = await rawRunStickyTo('sticky-fallback', 60);
    expect(await sticky.pollBriefly(200)).toBe('nothing');
    await signal(raw, 'waiting-on-the-sticky-queue');
    const waiting = await eventually(
      'the task to be scheduled',
      () => historyEvents(env().client.workflow.getHandle(raw.workflowId)),
      (events) => events.at(-1)?.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
    );
    expect(waiting.at(-1)?.workflowTaskScheduledEventAttributes?.taskQueue).toMatchObject({ name: sticky.name, kind: TaskQueueKind.TASK_QUEUE_KIND_STICKY });
    const calledAt = Date.now();
    await fallBack(raw, sticky);
    const task = await raw.poll();
    expect(Date.now() - calledAt).toBeLessThan(3000); // not the 60 s schedule-to-start timeout
    expect(ids(task)[0]).toBe(1);
    expect(types(task.history?.events ?? [])).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);

    // Completed on the normal queue without sticky attributes: the next task stays there too.
    await raw.service.respondWorkflowTaskCompleted({ namespace: raw.namespace, taskToken: task.taskToken, identity: 'raw-worker', commands: [] });
    const stickyPoll = sticky.pollBriefly(1500);
    await signal(raw, 'after-the-fallback');
    const next = await raw.poll();
    expect(ids(next)[0]).toBe(1);
    expect(await stickyPoll).toBe('nothing');
    await terminate(raw);
  });

  it('sends the retry of a failed sticky task to the normal queue with the full history, as attempt 1', async () => {
    const { raw, sticky } = await rawRunStickyTo('sticky-failed', 10);
    const onSticky = sticky.poll();
    await signal(raw, 'task-that-fails');
    const failing = await onSticky;
    await raw.service.respondWorkflowTaskFailed({
      namespace: raw.namespace,
      taskToken: failing.taskToken,
      identity: 'raw-sticky-worker',
      cause: temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE,
    });
    const retry = await raw.poll();
    expect(ids(retry)[0]).toBe(1);
    expect(retry.attempt).toBe(1);
    expect(types(retry.history?.events ?? []).slice(-3)).toEqual([
      EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
      EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
      EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    ]);
    await terminate(raw);
  });
});

describe('a query on a run whose worker keeps it cached (raw gRPC worker)', () => {
  const answer = (raw: RawWorkflow, task: PollResponse, text: string) =>
    raw.service.respondQueryTaskCompleted({
      namespace: raw.namespace,
      taskToken: task.taskToken,
      completedType: temporal.api.enums.v1.QueryResultType.QUERY_RESULT_TYPE_ANSWERED,
      queryResult: { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(text)) }] },
    });
  const ask = (raw: RawWorkflow) => raw.service.queryWorkflow({ namespace: raw.namespace, execution: { workflowId: raw.workflowId }, query: { queryType: 'phase' } });
  const text = (r: temporal.api.workflowservice.v1.IQueryWorkflowResponse) => Buffer.from(r.queryResult?.payloads?.[0]?.data ?? []).toString('utf8');

  it('goes to the sticky queue as a query-only task with no events', async () => {
    const { raw, sticky } = await rawRunStickyTo('sticky-query', 10);
    const onSticky = sticky.poll();
    const reply = ask(raw);
    const task = await onSticky;
    expect(task.query?.queryType).toBe('phase');
    expect(Number(task.startedEventId)).toBe(0);
    expect(Number(task.previousStartedEventId)).toBeGreaterThan(0);
    expect(task.history?.events ?? []).toEqual([]);
    await answer(raw, task, 'answered from the cache');
    expect(text(await reply)).toBe('"answered from the cache"');
    await terminate(raw);
  });

  it('falls back to the normal queue with the full history when the sticky worker does not take it in time', async () => {
    const { raw, sticky } = await rawRunStickyTo('sticky-query-timeout', 1);
    expect(await sticky.pollBriefly(200)).toBe('nothing');
    const askedAt = Date.now();
    const reply = ask(raw);
    const task = await raw.poll();
    expect(Date.now() - askedAt).toBeGreaterThanOrEqual(900);
    expect(task.query?.queryType).toBe('phase');
    expect(ids(task)[0]).toBe(1);
    await answer(raw, task, 'answered after a full replay');
    expect(text(await reply)).toBe('"answered after a full replay"');
    // The run lost its stickiness: its next workflow task goes to the normal queue too.
    await signal(raw, 'after-the-query');
    const next = await raw.poll();
    expect(ids(next)[0]).toBe(1);
    await terminate(raw);
  });
});

describe('SDK workers with sticky queues', () => {
  it('runs a cached workflow through sticky tasks: every task after the first is scheduled on the worker\'s sticky queue', async () => {
    const result = await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(activitiesAndTimers, { taskQueue, workflowId: `sticky-sdk-${randomUUID()}`, args: [4] });
      const done = await handle.result();
      return { done, events: await historyEvents(handle) };
    });
    expect(result.done).toBe(4);
    const scheduled = result.events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
    const kinds = scheduled.map((e) => e.workflowTaskScheduledEventAttributes?.taskQueue?.kind);
    expect(kinds[0]).toBe(TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
    expect(kinds.length).toBeGreaterThanOrEqual(9);
    expect(kinds.slice(1).every((k) => k === TaskQueueKind.TASK_QUEUE_KIND_STICKY)).toBe(true);
    expect(types(result.events)).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
    expect(types(result.events)).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
  });

  it('lets a worker with a one-run cache fetch the full history for a sticky task of a run it evicted', async () => {
    const results = await withWorker(env(), { workflowsPath, activities, maxCachedWorkflows: 1 }, async ({ client, taskQueue }) => {
      const handles = await Promise.all(
        ['a', 'b', 'c'].map((x) => client.workflow.start(collectUntilFinish, { taskQueue, workflowId: `sticky-evicted-${x}-${randomUUID()}` })),
      );
      // One run at a time takes a task, so each next task of a run finds it evicted by another.
      for (const round of ['first', 'second', 'third']) {
        for (const handle of handles) {
          const before = (await historyEvents(handle)).length;
          await handle.signal(pushSignal, `${round}-${handle.workflowId.split('-')[2]}`);
          await eventuallyCompletedAfter(handle, before);
        }
      }
      for (const handle of handles) await handle.signal(finishSignal);
      return Promise.all(handles.map(async (h) => ({ value: await h.result(), events: await historyEvents(h) })));
    });
    for (const [i, x] of ['a', 'b', 'c'].entries()) {
      expect(results[i].value).toEqual([`first-${x}`, `second-${x}`, `third-${x}`]);
      const kinds = results[i].events
        .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)
        .map((e) => e.workflowTaskScheduledEventAttributes?.taskQueue?.kind);
      // Signals 2 and 3 (and finish) went to the sticky queue although the run had been evicted.
      expect(kinds.filter((k) => k === TaskQueueKind.TASK_QUEUE_KIND_STICKY).length).toBeGreaterThanOrEqual(3);
      expect(types(results[i].events)).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
      expect(types(results[i].events)).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
    }
  });

  it('gives a replacement worker the run of a worker that shut down, at once and with the full history', async () => {
    const taskQueue = `sticky-replaced-${randomUUID()}`;
    const workflowId = `sticky-replaced-${randomUUID()}`;
    await withWorker(env(), { workflowsPath, activities, taskQueue }, async ({ client }) => {
      const handle = await client.workflow.start(counter, { taskQueue, workflowId });
      await untilEvent(handle, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 'the first task to complete');
      const before = (await historyEvents(handle)).length;
      await handle.signal(incrementSignal, 2);
      await eventuallyCompletedAfter(handle, before); // a task on the first worker's sticky queue
    });
    const handle = env().client.workflow.getHandle(workflowId);
    const outcome = await withWorker(env(), { workflowsPath, activities, taskQueue }, async () => {
      const signalledAt = Date.now();
      await handle.signal(incrementSignal, 3);
      await handle.signal(finishSignal);
      const value = await handle.result();
      return { value, ms: Date.now() - signalledAt };
    });
    expect(outcome.value).toBe(5);
    expect(outcome.ms).toBeLessThan(5000); // not held on the old worker's sticky queue for its 10 s timeout
    const events = await historyEvents(handle);
    const queues = events
      .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)
      .map((e) => e.workflowTaskScheduledEventAttributes?.taskQueue);
    expect(queues[1]?.kind).toBe(TaskQueueKind.TASK_QUEUE_KIND_STICKY);
    expect(queues[2]).toMatchObject({ name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL });
    expect(types(events)).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    expect(types(events)).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
  });
});

/** Waits until the workflow's history has a WorkflowTaskCompleted after event `afterEventCount`. */
async function eventuallyCompletedAfter(handle: { fetchHistory(): Promise<temporal.api.history.v1.IHistory> }, afterEventCount: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const events = (await handle.fetchHistory()).events ?? [];
    if (events.slice(afterEventCount).some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)) return;
    if (Date.now() > deadline) throw new Error('timed out waiting for the workflow task after the signal to complete');
    await new Promise((r) => setTimeout(r, 20));
  }
}
