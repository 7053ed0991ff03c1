/**
 * Workflow tasks from scheduling to a worker: the WorkflowTaskScheduled event, the hold while a
 * query-only task of the run is with a worker, the queue (the run's sticky queue or its normal
 * one, see `sticky.ts`), and the poll response built when a worker takes the task
 * (WorkflowTaskStarted, the history — only the new events on the sticky queue —, attached
 * queries and update request messages).
 */
import { randomUUID } from 'node:crypto';
import { InvalidArgumentError } from '../../errors';
import { EncodedHistory } from '../../history-codec';
import { msToDuration, msToTimestamp, packAny, temporal, type ProtoObject } from '../../proto';
import type { PollOptions } from '../task-queue';
import type { UpdateState, WorkflowRun, WorkflowTaskState } from '../workflow-run';
import { TASK_POLL_MS } from '../long-poll';
import { obj, str, type Req } from '../request-fields';
import type { EngineState } from '../state';
import { encodeTaskToken } from '../task-token';
import { timeoutWorkflowTask } from './failure';
import { StickyQueues } from '../sticky-queues';
import { noteStickyPollEnded, noteStickyPollStarted, offerOnStickyQueue, stickyQueueForNextTask, withdrawFromStickyQueue } from './sticky';

const ET = temporal.api.enums.v1.EventType;
const TaskQueueKind = temporal.api.enums.v1.TaskQueueKind;

/**
 * Schedules a workflow task unless the run is closed or already has one. A heartbeat task
 * (`forceCreateNewWorkflowTask`) carries only updates never sent before.
 */
export function scheduleWorkflowTask(s: EngineState, run: WorkflowRun, attempt: number, heartbeat = false): void {
  if (!run.isOpen || run.wft) return;
  const now = s.clock.now();
  // As in Temporal, the event names the queue the task is scheduled on: the sticky one if any.
  const stickyQueue = stickyQueueForNextTask(s, run);
  const scheduledEventId = run.append(
    ET.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
    {
      taskQueue: stickyQueue
        ? { name: stickyQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_STICKY, normalName: run.taskQueue }
        : { name: run.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      startToCloseTimeout: msToDuration(run.workflowTaskTimeoutMs),
      attempt,
    },
    now,
  );
  const wft: WorkflowTaskState = {
    state: 'scheduled',
    scheduledEventId,
    startedEventId: 0,
    attempt,
    scheduledTime: now,
    startedTime: 0,
    queries: [],
    updateIds: [],
    heartbeat,
  };
  run.wft = wft;
  run.needsWorkflowTask = false;
  s.clock.markBusy(`wft:${run.runId}`);
  if (run.queryTasksInFlight.size > 0) run.deferredWorkflowTask = wft;
  else offerWorkflowTask(s, run, wft);
}

/**
 * Puts a scheduled workflow task on its queue: the run's sticky queue if it has a usable one,
 * else its normal queue. A task scheduled while a query-only task of the run is with a worker
 * waits for that answer: sdk-core would buffer the real task behind the query and, without a
 * cache, drop it when it evicts the run after the query (the task would then only come back
 * after its start-to-close timeout).
 */
function offerWorkflowTask(s: EngineState, run: WorkflowRun, wft: WorkflowTaskState): void {
  if (offerOnStickyQueue(s, run, wft, (poll) => startWorkflowTask(s, run, wft, poll))) return;
  offerOnNormalQueue(s, run, wft);
}

/** Puts a scheduled workflow task on the run's normal queue (also where a sticky task falls back to). */
export function offerOnNormalQueue(s: EngineState, run: WorkflowRun, wft: WorkflowTaskState): void {
  s.workflowTasks.offer(run.namespace, run.taskQueue, (poll) => (wft.onStickyQueue ? undefined : startWorkflowTask(s, run, wft, poll)));
}

/** Offers the workflow task held back by query-only tasks, once none is with a worker any more. */
export function releaseDeferredWorkflowTask(s: EngineState, run: WorkflowRun): void {
  const wft = run.deferredWorkflowTask;
  if (!wft || run.queryTasksInFlight.size > 0) return;
  run.deferredWorkflowTask = undefined;
  if (run.isOpen && run.wft === wft && wft.state === 'scheduled') offerWorkflowTask(s, run, wft);
}

/** A worker takes the task: WorkflowTaskStarted, the start-to-close timer, and the poll response. */
function startWorkflowTask(s: EngineState, run: WorkflowRun, wft: WorkflowTaskState, poll: Req): ProtoObject | undefined {
  if (!run.isOpen || run.wft !== wft || wft.state !== 'scheduled') return undefined;
  withdrawFromStickyQueue(s, run, wft);
  // Only a task taken from the run's sticky queue gets the new events alone. A worker taking it
  // from another queue ends the stickiness (Temporal's RecordWorkflowTaskStarted does the same).
  const pollQueue = obj(poll.taskQueue);
  const viaSticky =
    Number(pollQueue.kind) === TaskQueueKind.TASK_QUEUE_KIND_STICKY && run.sticky !== undefined && run.sticky.queue === str(pollQueue.name);
  if (!viaSticky) run.sticky = undefined;
  const now = s.clock.now();
  // Queries that arrived while it was scheduled ride along with this task.
  const messages: ProtoObject[] = [];
  // Updates never sent, and (as Temporal's includeAlreadySent) those a failed or timed-out task
  // carried — except on a heartbeat task, where the worker still holds them. In admission order.
  const toSend = wft.heartbeat ? run.undeliveredUpdates() : [...run.sentUnansweredUpdates(), ...run.undeliveredUpdates()];
  for (const u of [...run.updates.values()].filter((x) => toSend.includes(x))) {
    u.sent = true;
    wft.updateIds.push(u.updateId);
  }
  wft.startedEventId = run.append(
    ET.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    {
      scheduledEventId: wft.scheduledEventId,
      identity: str(poll.identity),
      requestId: randomUUID(),
      historySizeBytes: 0,
    },
    now,
  );
  wft.state = 'started';
  wft.startedTime = now;
  for (const id of wft.updateIds) {
    const u = run.updates.get(id) as UpdateState;
    messages.push({
      id: `${id}/request`,
      protocolInstanceId: id,
      eventId: wft.startedEventId - 1,
      body: packAny('temporal.api.update.v1.Request', u.request),
    });
  }
  wft.timeoutTimer = s.clock.scheduleIn(run.workflowTaskTimeoutMs, () => timeoutWorkflowTask(s, run, wft));
  const queries: Record<string, ProtoObject> = {};
  wft.queries = wft.queries.filter((q) => !q.cancelled);
  for (const q of wft.queries) queries[q.id] = q.query;
  return {
    taskToken: encodeTaskToken({ k: 'w', r: run.runId, s: wft.scheduledEventId, a: wft.attempt }),
    workflowExecution: { workflowId: run.workflowId, runId: run.runId },
    workflowType: { name: run.workflowType },
    previousStartedEventId: run.lastCompletedStartedEventId,
    startedEventId: wft.startedEventId,
    attempt: wft.attempt,
    // Temporal's frontend: events from previousStartedEventId + 1 on a sticky task, else all of them.
    history: new EncodedHistory(viaSticky ? run.history.slice(run.lastCompletedStartedEventId) : run.history.slice()),
    workflowExecutionTaskQueue: { name: run.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    scheduledTime: msToTimestamp(wft.scheduledTime),
    startedTime: msToTimestamp(now),
    queries,
    messages,
  };
}

/** PollWorkflowTaskQueue, on a normal queue or on a worker's sticky queue. */
export function pollWorkflowTask(s: EngineState, req: Req, options: Omit<PollOptions, 'timeoutMs'>): Promise<ProtoObject | undefined> {
  const ns = s.namespace(req.namespace);
  const tq = obj(req.taskQueue);
  const name = str(tq.name);
  if (!name) throw new InvalidArgumentError('taskQueue.name: TaskQueue is not set on request.');
  if (Number(tq.kind) !== TaskQueueKind.TASK_QUEUE_KIND_STICKY) {
    return s.workflowTasks.poll(ns.name, name, req, { ...options, timeoutMs: TASK_POLL_MS });
  }
  noteStickyPollStarted(s, ns.name, name);
  const polled = s.workflowTasks.poll(ns.name, StickyQueues.matcherQueue(name), req, { ...options, timeoutMs: TASK_POLL_MS });
  return polled.finally(() => noteStickyPollEnded(s, ns.name, name));
}
