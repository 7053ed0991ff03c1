/**
 * StartChildWorkflowExecution: StartChildWorkflowExecutionInitiated now; after the completion,
 * the child run is started and the parent gets ChildWorkflowExecutionStarted, or
 * StartChildWorkflowExecutionFailed naming the cause: the workflow id is taken by an open run
 * (WORKFLOW_ALREADY_EXISTS) or the child's namespace does not exist (NAMESPACE_NOT_FOUND).
 * Search attributes the namespace's registry refuses fail the command itself (INVALID_ARGUMENT,
 * as for UpsertWorkflowSearchAttributes), before anything is recorded.
 */
import { randomUUID } from 'node:crypto';
import { temporal, type ProtoObject } from '../../proto';
import type { ChildState, WorkflowRun } from '../workflow-run';
import { createRun, requestedRunParams } from '../lifecycle/create-run';
import { obj, str } from '../request-fields';
import { validateSearchAttributes } from '../search-attributes';
import type { EngineState } from '../state';
import { deliverExternalEvent } from '../workflow-tasks/external-events';
import type { CommandContext } from '../commands/command-context';

const ET = temporal.api.enums.v1.EventType;
const TaskQueueKind = temporal.api.enums.v1.TaskQueueKind;
const StartChildFailedCause = temporal.api.enums.v1.StartChildWorkflowExecutionFailedCause;

/** Applies a StartChildWorkflowExecution command; the child starts in `afterCommit`. */
export function startChildWorkflow(s: EngineState, parent: WorkflowRun, a: ProtoObject, c: CommandContext): void {
  const namespace = str(a.namespace) || parent.namespace;
  const workflowId = str(a.workflowId);
  const workflowType = str(obj(a.workflowType).name);
  const taskQueue = str(obj(a.taskQueue).name) || parent.taskQueue;
  const target = s.namespaces.get(namespace);
  const searchAttributes = target ? validateSearchAttributes(target, a.searchAttributes) : undefined;
  const initiatedEventId = parent.append(
    ET.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
    {
      namespace,
      workflowId,
      workflowType: { name: workflowType },
      taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      input: a.input,
      workflowExecutionTimeout: a.workflowExecutionTimeout,
      workflowRunTimeout: a.workflowRunTimeout,
      workflowTaskTimeout: a.workflowTaskTimeout,
      parentClosePolicy: a.parentClosePolicy,
      control: a.control,
      workflowTaskCompletedEventId: c.completedId,
      workflowIdReusePolicy: a.workflowIdReusePolicy,
      retryPolicy: a.retryPolicy,
      cronSchedule: a.cronSchedule,
      header: a.header,
      memo: a.memo,
      searchAttributes: a.searchAttributes,
      priority: a.priority,
    },
    s.clock.now(),
  );
  const child: ChildState = {
    initiatedEventId,
    startedEventId: 0,
    namespace,
    workflowId,
    workflowType,
    runId: '',
    parentClosePolicy: Number(a.parentClosePolicy ?? 0),
  };
  parent.children.set(initiatedEventId, child);
  c.afterCommit.push(() => {
    const cause = startRefusal(s, namespace, workflowId);
    if (cause !== undefined) {
      parent.children.delete(initiatedEventId);
      deliverExternalEvent(s, parent, () => {
        parent.append(
          ET.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED,
          {
            namespace,
            workflowId,
            workflowType: { name: workflowType },
            cause,
            control: a.control,
            initiatedEventId,
            workflowTaskCompletedEventId: c.completedId,
          },
          s.clock.now(),
        );
      });
      return;
    }
    const runId = createRun(s, {
      namespace,
      workflowId,
      workflowType,
      taskQueue,
      ...requestedRunParams(a),
      searchAttributes,
      requestId: randomUUID(),
      identity: '',
      parent: { namespace: parent.namespace, workflowId: parent.workflowId, runId: parent.runId, initiatedEventId },
    }).runId;
    child.runId = runId;
    deliverExternalEvent(s, parent, () => {
      child.startedEventId = parent.append(
        ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED,
        {
          namespace,
          initiatedEventId,
          workflowExecution: { workflowId, runId: child.runId },
          workflowType: { name: workflowType },
          header: a.header,
        },
        s.clock.now(),
      );
    });
  });
}

/** Why a child cannot start (a StartChildWorkflowExecutionFailedCause), or undefined when it can. */
function startRefusal(s: EngineState, namespace: string, workflowId: string): number | undefined {
  if (!s.namespaces.has(namespace)) return StartChildFailedCause.START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_NAMESPACE_NOT_FOUND;
  if (s.currentRun(namespace, workflowId)?.isOpen) return StartChildFailedCause.START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS;
  return undefined;
}
