/** Small helpers shared by the conformance tests. */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

/**
 * The two worker caches the message and history tests run under: the SDK's default sticky cache, and none,
 * where every workflow task replays the whole history. Spread `workerOptions` into the worker's options.
 */
export const WORKER_CACHES = [
  { cache: 'default cache', workerOptions: {} },
  { cache: 'no cache (full replay on every task)', workerOptions: { maxCachedWorkflows: 0 } },
] as const;

/** Polls `read` (real time, every 20 ms) until `done` holds for its value; fails after 10 s naming `what`. */
export async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(value)}`);
    await delay(20);
  }
}

/** The events of a workflow's history as fetched from the server. */
export async function historyEvents(handle: WorkflowHandle): Promise<temporal.api.history.v1.IHistoryEvent[]> {
  return (await handle.fetchHistory()).events ?? [];
}

/** The event types of a workflow's history, in order. */
export async function eventTypes(handle: WorkflowHandle): Promise<number[]> {
  return (await historyEvents(handle)).map((e) => Number(e.eventType));
}

/** Waits until the workflow's history contains an event of `type`. */
export async function untilEvent(handle: WorkflowHandle, type: number, what: string): Promise<void> {
  await eventually(what, () => eventTypes(handle), (types) => types.includes(type));
}

/** A workflow driven by the test itself acting as a raw gRPC worker (no SDK worker). */
export interface RawWorkflow {
  service: TestWorkflowEnvironment['connection']['workflowService'];
  namespace: string;
  taskQueue: string;
  workflowId: string;
  /** Long-polls the workflow's task queue as the raw worker. */
  poll(): Promise<temporal.api.workflowservice.v1.IPollWorkflowTaskQueueResponse>;
}

/** Starts workflow `<prefix>-<uuid>` on its own task queue and completes its first workflow task with no commands. */
export async function startRawWorkflow(env: TestWorkflowEnvironment, prefix: string): Promise<RawWorkflow> {
  const service = env.connection.workflowService;
  const namespace = 'default';
  const taskQueue = `${prefix}-${randomUUID()}`;
  const workflowId = `${prefix}-${randomUUID()}`;
  await service.startWorkflowExecution({
    namespace,
    workflowId,
    workflowType: { name: 'rawWorkflow' },
    taskQueue: { name: taskQueue },
    requestId: randomUUID(),
  });
  const poll = () => service.pollWorkflowTaskQueue({ namespace, taskQueue: { name: taskQueue }, identity: 'raw-worker' });
  const first = await poll();
  await service.respondWorkflowTaskCompleted({ taskToken: first.taskToken, identity: 'raw-worker', commands: [] });
  return { service, namespace, taskQueue, workflowId, poll };
}
