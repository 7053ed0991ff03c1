/**
 * QueryWorkflow: reject conditions, and where a query goes — attached to a scheduled workflow
 * task, held until a running one ends, or sent as a query-only task — and the answers workers
 * give with a workflow task completion.
 */
import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, ServiceError } from '../../errors';
import { temporal, type ProtoObject } from '../../proto';
import type { PendingQuery, WorkflowRun, WorkflowTaskState } from '../workflow-run';
import { obj, str, type Req } from '../request-fields';
import type { EngineState } from '../state';
import { dispatchQueryTask } from './query-tasks';

const Status = temporal.api.enums.v1.WorkflowExecutionStatus;
const QueryRejectCondition = temporal.api.enums.v1.QueryRejectCondition;
const QueryResultType = temporal.api.enums.v1.QueryResultType;

/** QueryWorkflow: routes the query to a worker and waits for its answer. */
export function query(s: EngineState, req: Req, onCancel: (cb: () => void) => void): Promise<ProtoObject> {
  const ns = s.namespace(req.namespace);
  const run = s.findRun(ns.name, req.execution);
  const queryMessage = obj(req.query);
  if (!str(queryMessage.queryType)) throw new InvalidArgumentError('query.queryType: QueryType is not set on request.');
  if (rejectsQuery(run, Number(req.queryRejectCondition ?? 0))) {
    return Promise.resolve({ queryRejected: { status: run.status } });
  }
  return new Promise<ProtoObject>((resolve, reject) => {
    const q: PendingQuery = { id: randomUUID(), query: queryMessage, resolve, reject };
    // Through q.reject: a query-only task replaces it to release its hold on time skipping.
    onCancel(() => {
      q.cancelled = true;
      q.reject(new ServiceError(1, 'query cancelled by caller'));
    });
    if (run.isOpen && run.wft?.state === 'scheduled') run.wft.queries.push(q);
    else if (run.isOpen && run.wft?.state === 'started') run.queriesAwaitingTask.push(q);
    else dispatchQueryTask(s, run, q);
  });
}

/** Whether a query's reject condition refuses it on this run (closed runs only). */
function rejectsQuery(run: WorkflowRun, condition: number): boolean {
  if (run.isOpen) return false;
  if (condition === QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_OPEN) return true;
  return (
    condition === QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY &&
    run.status !== Status.WORKFLOW_EXECUTION_STATUS_COMPLETED
  );
}

/**
 * Once no workflow task is running: queries that waited for it go with the scheduled task, if
 * any, or as query-only tasks.
 */
export function dispatchWaitingQueries(s: EngineState, run: WorkflowRun): void {
  if (run.wft?.state === 'started') return;
  const waiting = run.queriesAwaitingTask;
  run.queriesAwaitingTask = [];
  for (const q of waiting) {
    if (run.isOpen && run.wft?.state === 'scheduled') run.wft.queries.push(q);
    else dispatchQueryTask(s, run, q);
  }
}

/** Settles a query with a worker's answer: the result when ANSWERED, else INVALID_ARGUMENT with the worker's message. */
export function settleQuery(q: PendingQuery, resultType: unknown, result: unknown, errorMessage: unknown): void {
  if (Number(resultType) === QueryResultType.QUERY_RESULT_TYPE_ANSWERED) q.resolve({ queryResult: result });
  else q.reject(new InvalidArgumentError(str(errorMessage) || 'query failed'));
}

/** Settles the queries of a completed task that the worker answered; the others stay on the task. */
export function answerAttachedQueries(wft: WorkflowTaskState, results: Record<string, ProtoObject>): void {
  const remaining: PendingQuery[] = [];
  for (const q of wft.queries) {
    const r = results[q.id];
    if (!r) {
      remaining.push(q);
      continue;
    }
    settleQuery(q, r.resultType, r.answer, r.errorMessage);
  }
  wft.queries = remaining;
}
