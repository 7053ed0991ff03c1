/**
 * Query-only ("legacy") tasks, sent when no workflow task is pending, and their answers
 * (RespondQueryTaskCompleted). While one is with a worker it holds time skipping, and a workflow
 * task scheduled meanwhile — or another query-only task of the same run — waits for the answer.
 */
import { NotFoundError } from '../../errors';
import { EncodedHistory } from '../../history-codec';
import { msToTimestamp, temporal, type ProtoObject } from '../../proto';
import type { PendingQuery, WorkflowRun } from '../workflow-run';
import type { Req } from '../request-fields';
import type { EngineState } from '../state';
import { parseTaskToken, encodeTaskToken } from '../task-token';
import { releaseDeferredWorkflowTask } from '../workflow-tasks/dispatch';
import { offerQueryOnStickyQueue } from '../workflow-tasks/sticky';
import { settleQuery } from './routing';

const TaskQueueKind = temporal.api.enums.v1.TaskQueueKind;

/**
 * Sends a query as a query-only task, as Temporal does when no workflow task is pending. Like
 * Temporal's servers, the task carries the run's real history and no workflow task of its own:
 * `startedEventId` is 0 and `previousStartedEventId` is the started event of the last completed
 * workflow task. (Inventing a scheduled/started pair here would be wrong: sdk-core's cached run
 * would consume those event ids, then skip the real events that later take them, e.g. a
 * TimerFired, and the workflow would never wake up.)
 */
export function dispatchQueryTask(s: EngineState, run: WorkflowRun, q: PendingQuery): void {
  if (q.cancelled) return;
  s.legacyQueries.set(q.id, q);
  s.clock.markBusy(`query:${q.id}`);
  const original = { resolve: q.resolve, reject: q.reject };
  q.resolve = (r) => {
    releaseQueryTask(s, run, q);
    original.resolve(r);
  };
  q.reject = (e) => {
    releaseQueryTask(s, run, q);
    original.reject(e);
  };
  offerQueryTask(s, run, q);
}

/**
 * The query no longer needs a query-only task (answered, given up by its caller, or moved onto a
 * workflow task): time skipping is released and, if its task was with a worker, what waited for
 * that answer (a workflow task, the next query-only task) goes out.
 */
function releaseQueryTask(s: EngineState, run: WorkflowRun, q: PendingQuery): void {
  s.legacyQueries.delete(q.id);
  s.clock.markIdle(`query:${q.id}`);
  if (run.queryTasksInFlight.delete(q.id)) {
    releaseDeferredWorkflowTask(s, run);
    // All go back on the queue: the first one a worker takes goes out, the others wait again.
    for (const waiting of run.queriesAwaitingQueryTask.splice(0)) offerQueryTask(s, run, waiting);
  }
}

/**
 * Puts a query-only task on the run's sticky queue if it has a usable one (falling back to the
 * normal queue, see `sticky.ts`), else on its normal queue. When a worker takes it, the query goes with a
 * workflow task pending by then, or waits while another query-only task of the run is with a
 * worker: sdk-core without a cache buffers the second behind the first, drops it when it evicts
 * the run, and the query would never be answered.
 */
function offerQueryTask(s: EngineState, run: WorkflowRun, q: PendingQuery): void {
  const onNormalQueue = () => {
    if (s.legacyQueries.has(q.id)) s.workflowTasks.offer(run.namespace, run.taskQueue, () => claimQueryTask(s, run, q, false));
  };
  if (!offerQueryOnStickyQueue(s, run, () => claimQueryTask(s, run, q, true), onNormalQueue)) onNormalQueue();
}

/**
 * A worker takes a query-only task: it goes out now, or joins a workflow task pending by then,
 * or waits for another query-only task of the run. From the sticky queue it carries no events
 * (the worker answers from its cached run, as with Temporal), else the run's history.
 */
function claimQueryTask(s: EngineState, run: WorkflowRun, q: PendingQuery, sticky: boolean): ProtoObject | undefined {
  if (!s.legacyQueries.has(q.id)) return undefined;
  if (run.isOpen && run.wft) {
    // A workflow task became pending after the query was queued: the query goes with that
    // task (or the next one), so a query task never shows history the workflow has not seen.
    releaseQueryTask(s, run, q);
    if (run.wft.state === 'scheduled') run.wft.queries.push(q);
    else run.queriesAwaitingTask.push(q);
    return undefined;
  }
  if (run.queryTasksInFlight.size > 0) {
    run.queriesAwaitingQueryTask.push(q);
    return undefined;
  }
  const now = s.clock.now();
  run.queryTasksInFlight.add(q.id);
  return {
    taskToken: encodeTaskToken({ k: 'q', r: run.runId, q: q.id }),
    workflowExecution: { workflowId: run.workflowId, runId: run.runId },
    workflowType: { name: run.workflowType },
    previousStartedEventId: run.lastCompletedStartedEventId,
    startedEventId: 0,
    attempt: 1,
    history: new EncodedHistory(sticky ? [] : run.history.slice()),
    query: q.query,
    workflowExecutionTaskQueue: { name: run.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    scheduledTime: msToTimestamp(now),
    startedTime: msToTimestamp(now),
  };
}

/** RespondQueryTaskCompleted (the answer to a query-only task). */
export function respondQueryTaskCompleted(s: EngineState, req: Req): void {
  const t = parseTaskToken(req.taskToken);
  const q = t.k === 'q' ? s.legacyQueries.get(t.q ?? '') : undefined;
  if (!q) throw new NotFoundError('query task not found');
  settleQuery(q, req.completedType, req.queryResult, req.errorMessage);
}
