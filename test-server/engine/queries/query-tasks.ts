/**
 * Query-only ("legacy") tasks, sent when no workflow task is pending, and their answers
 * (RespondQueryTaskCompleted). While one is with a worker it holds time skipping, and a workflow
 * task scheduled meanwhile waits for the answer.
 */
import { NotFoundError } from '../../errors';
import { EncodedHistory } from '../../history-codec';
import { msToTimestamp, temporal } from '../../proto';
import type { PendingQuery, WorkflowRun } from '../workflow-run';
import type { Req } from '../request-fields';
import type { EngineState } from '../state';
import { parseTaskToken, encodeTaskToken } from '../task-token';
import { releaseDeferredWorkflowTask } from '../workflow-tasks/dispatch';
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
  const key = `query:${q.id}`;
  s.clock.markBusy(key);
  const release = () => {
    s.legacyQueries.delete(q.id);
    s.clock.markIdle(key);
    if (run.queryTasksInFlight.delete(q.id)) releaseDeferredWorkflowTask(s, run);
  };
  const original = { resolve: q.resolve, reject: q.reject };
  q.resolve = (r) => {
    release();
    original.resolve(r);
  };
  q.reject = (e) => {
    release();
    original.reject(e);
  };
  s.workflowTasks.offer(run.namespace, run.taskQueue, () => {
    if (!s.legacyQueries.has(q.id)) return undefined;
    if (run.isOpen && run.wft) {
      // A workflow task became pending after the query was queued: the query goes with that
      // task (or the next one), so a query task never shows history the workflow has not seen.
      release();
      if (run.wft.state === 'scheduled') run.wft.queries.push(q);
      else run.queriesAwaitingTask.push(q);
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
      history: new EncodedHistory(run.history.slice()),
      query: q.query,
      workflowExecutionTaskQueue: { name: run.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      scheduledTime: msToTimestamp(now),
      startedTime: msToTimestamp(now),
    };
  });
}

/** RespondQueryTaskCompleted (the answer to a query-only task). */
export function respondQueryTaskCompleted(s: EngineState, req: Req): void {
  const t = parseTaskToken(req.taskToken);
  const q = t.k === 'q' ? s.legacyQueries.get(t.q ?? '') : undefined;
  if (!q) throw new NotFoundError('query task not found');
  settleQuery(q, req.completedType, req.queryResult, req.errorMessage);
}
