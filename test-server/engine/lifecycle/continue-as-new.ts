/**
 * ContinueAsNewWorkflowExecution: the closing event, a new run of the same workflow id carrying
 * input, memo and search attributes (unless the command replaces them), and the new run id
 * filled into the closing event.
 */
import { randomUUID } from 'node:crypto';
import { eventChanged } from '../../history-codec';
import { durationToMs, msToDuration, temporal, type ProtoObject } from '../../proto';
import type { WorkflowRun } from '../workflow-run';
import { obj, str, type Payloads } from '../request-fields';
import { memoFields, validateSearchAttributes } from '../search-attributes';
import type { EngineState } from '../state';
import { closeRun } from './close';
import { createRun } from './create-run';
import type { CommandContext } from '../commands/command-context';

const ET = temporal.api.enums.v1.EventType;
const Status = temporal.api.enums.v1.WorkflowExecutionStatus;
const TaskQueueKind = temporal.api.enums.v1.TaskQueueKind;

/** Closes `run` as continued-as-new and starts its successor. */
export function continueAsNew(s: EngineState, run: WorkflowRun, a: ProtoObject, c: CommandContext): void {
  const ns = s.namespace(run.namespace);
  const searchAttributes = a.searchAttributes ? validateSearchAttributes(ns, a.searchAttributes) : { ...run.searchAttributes };
  const memo = a.memo ? memoFields(a.memo) : { ...run.memo };
  const workflowType = str(obj(a.workflowType).name) || run.workflowType;
  const taskQueue = str(obj(a.taskQueue).name) || run.taskQueue;
  const runTimeoutMs = durationToMs(a.workflowRunTimeout as never) || run.runTimeoutMs;
  const wftTimeoutMs = durationToMs(a.workflowTaskTimeout as never) || run.workflowTaskTimeoutMs;
  const eventId = run.append(
    ET.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
    {
      newExecutionRunId: '',
      workflowType: { name: workflowType },
      taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      input: a.input,
      workflowRunTimeout: runTimeoutMs ? msToDuration(runTimeoutMs) : null,
      workflowTaskTimeout: msToDuration(wftTimeoutMs),
      workflowTaskCompletedEventId: c.completedId,
      backoffStartInterval: a.backoffStartInterval,
      initiator: a.initiator,
      failure: a.failure,
      lastCompletionResult: a.lastCompletionResult,
      header: a.header,
      memo: Object.keys(memo).length ? { fields: memo } : null,
      searchAttributes: Object.keys(searchAttributes).length ? { indexedFields: searchAttributes } : null,
    },
    s.clock.now(),
  );
  run.status = Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW;
  const next = createRun(s, {
    namespace: run.namespace,
    workflowId: run.workflowId,
    workflowType,
    taskQueue,
    input: a.input as Payloads,
    header: a.header as Payloads,
    memo,
    searchAttributes,
    workflowTaskTimeoutMs: wftTimeoutMs,
    runTimeoutMs,
    executionTimeoutMs: run.executionTimeoutMs,
    requestId: randomUUID(),
    identity: '',
    parent: run.parent,
    root: run.root.runId === run.runId ? undefined : run.root,
    firstRunId: run.firstRunId,
    continuedExecutionRunId: run.runId,
    initiator: Number(a.initiator ?? 0),
    continuedFailure: a.failure as Payloads,
    lastCompletionResult: a.lastCompletionResult as Payloads,
    firstWorkflowTaskBackoffMs: durationToMs(a.backoffStartInterval as never),
  });
  run.newExecutionRunId = next.runId;
  (run.attributesOf(eventId) as ProtoObject).newExecutionRunId = next.runId;
  eventChanged(run.history[eventId - 1]);
  run.status = Status.WORKFLOW_EXECUTION_STATUS_RUNNING;
  closeRun(s, run, Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW);
}
