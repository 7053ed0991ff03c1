/**
 * A new run, whatever started it (a client's start, a child command, continue-as-new):
 * WorkflowExecutionStarted, registration as the current run of its workflow id, its visibility
 * record, the run timeout and the first workflow task (after the start delay, if any).
 */
import { randomUUID } from 'node:crypto';
import { durationToMs, msToDuration, msToTimestamp, temporal, type ProtoObject } from '../../proto';
import { WorkflowRun, type ParentRef } from '../workflow-run';
import type { Payloads } from '../request-fields';
import { memoFields } from '../search-attributes';
import type { EngineState } from '../state';
import { scheduleWorkflowTask } from '../workflow-tasks/dispatch';
import { timeoutRun } from './close';

const ET = temporal.api.enums.v1.EventType;
const TaskQueueKind = temporal.api.enums.v1.TaskQueueKind;

/** Workflow task start-to-close timeout when a start does not set one. */
const DEFAULT_WFT_TIMEOUT_MS = 10_000;

/**
 * What a start request and a StartChildWorkflowExecution command both ask for the new run: input,
 * header, memo, retry policy, and the workflow task, run and execution timeouts in ms (0 = none;
 * the workflow task timeout defaults to {@link DEFAULT_WFT_TIMEOUT_MS}).
 */
export function requestedRunParams(
  request: ProtoObject,
): Pick<NewRunParams, 'input' | 'header' | 'memo' | 'retryPolicy' | 'workflowTaskTimeoutMs' | 'runTimeoutMs' | 'executionTimeoutMs'> {
  return {
    input: request.input as Payloads,
    header: request.header as Payloads,
    memo: memoFields(request.memo),
    retryPolicy: request.retryPolicy as Payloads,
    workflowTaskTimeoutMs: durationToMs(request.workflowTaskTimeout as never) || DEFAULT_WFT_TIMEOUT_MS,
    runTimeoutMs: durationToMs(request.workflowRunTimeout as never),
    executionTimeoutMs: durationToMs(request.workflowExecutionTimeout as never),
  };
}

/** Parameters of a new run (from a start request, a child command or continue-as-new). */
export interface NewRunParams {
  namespace: string;
  workflowId: string;
  workflowType: string;
  taskQueue: string;
  input?: Payloads;
  header?: Payloads;
  memo?: Record<string, ProtoObject>;
  searchAttributes?: Record<string, ProtoObject>;
  workflowTaskTimeoutMs: number;
  runTimeoutMs: number;
  executionTimeoutMs: number;
  requestId: string;
  identity: string;
  parent?: ParentRef;
  root?: { workflowId: string; runId: string };
  firstRunId?: string;
  continuedExecutionRunId?: string;
  initiator?: number;
  continuedFailure?: Payloads;
  lastCompletionResult?: Payloads;
  retryPolicy?: Payloads;
  firstWorkflowTaskBackoffMs?: number;
  signal?: { signalName: string; input?: Payloads; header?: Payloads; identity: string };
}

/** Creates, records and starts a run (id policies are the caller's business). */
export function createRun(s: EngineState, p: NewRunParams): WorkflowRun {
  const now = s.clock.now();
  const runId = randomUUID();
  const runTimeoutMs = p.runTimeoutMs || p.executionTimeoutMs;
  const run = new WorkflowRun(
    p.namespace,
    p.workflowId,
    runId,
    p.firstRunId ?? runId,
    p.workflowType,
    p.taskQueue,
    now,
    now + (p.firstWorkflowTaskBackoffMs ?? 0),
    p.requestId,
    p.workflowTaskTimeoutMs,
    runTimeoutMs,
    p.executionTimeoutMs,
    p.parent,
    p.root ?? { workflowId: p.workflowId, runId },
  );
  run.requestIds.add(p.requestId);
  run.memo = { ...(p.memo ?? {}) };
  run.searchAttributes = { ...(p.searchAttributes ?? {}) };
  const parentRun = p.parent ? s.runById(p.parent.runId) : undefined;
  run.append(
    ET.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
    {
      workflowType: { name: p.workflowType },
      parentWorkflowNamespace: p.parent?.namespace ?? '',
      parentWorkflowNamespaceId: p.parent ? s.namespace(p.parent.namespace).id : '',
      parentWorkflowExecution: p.parent ? { workflowId: p.parent.workflowId, runId: p.parent.runId } : null,
      parentInitiatedEventId: p.parent?.initiatedEventId ?? 0,
      taskQueue: { name: p.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      input: p.input,
      workflowExecutionTimeout: p.executionTimeoutMs ? msToDuration(p.executionTimeoutMs) : null,
      workflowRunTimeout: runTimeoutMs ? msToDuration(runTimeoutMs) : null,
      workflowTaskTimeout: msToDuration(p.workflowTaskTimeoutMs),
      continuedExecutionRunId: p.continuedExecutionRunId ?? '',
      initiator: p.initiator ?? 0,
      continuedFailure: p.continuedFailure,
      lastCompletionResult: p.lastCompletionResult,
      originalExecutionRunId: runId,
      identity: p.identity,
      firstExecutionRunId: run.firstRunId,
      retryPolicy: p.retryPolicy,
      attempt: 1,
      workflowExecutionExpirationTime: p.executionTimeoutMs ? msToTimestamp(now + p.executionTimeoutMs) : null,
      firstWorkflowTaskBackoff: p.firstWorkflowTaskBackoffMs ? msToDuration(p.firstWorkflowTaskBackoffMs) : null,
      memo: Object.keys(run.memo).length ? { fields: run.memo } : null,
      searchAttributes: Object.keys(run.searchAttributes).length ? { indexedFields: run.searchAttributes } : null,
      header: p.header,
      workflowId: p.workflowId,
      rootWorkflowExecution: parentRun ? { ...parentRun.root } : { workflowId: p.workflowId, runId },
    },
    now,
  );
  s.addRun(run);
  s.visibility.add(run);
  if (p.signal) {
    run.append(
      ET.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
      { signalName: p.signal.signalName, input: p.signal.input, identity: p.signal.identity, header: p.signal.header },
      now,
    );
  }
  if (runTimeoutMs > 0) {
    run.runTimeoutTimer = s.clock.scheduleAt(now + runTimeoutMs, () => timeoutRun(s, run));
  }
  const backoff = p.firstWorkflowTaskBackoffMs ?? 0;
  if (backoff > 0) s.clock.scheduleIn(backoff, () => scheduleWorkflowTask(s, run, 1));
  else scheduleWorkflowTask(s, run, 1);
  s.log(`started ${p.workflowType} ${p.workflowId}/${runId}`);
  return run;
}
