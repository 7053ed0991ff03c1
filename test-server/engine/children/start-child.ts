/**
 * StartChildWorkflowExecution: StartChildWorkflowExecutionInitiated now; after the completion,
 * the child run is started and the parent gets ChildWorkflowExecutionStarted, or
 * StartChildWorkflowExecutionFailed when the workflow id is taken or the start is refused.
 */
import { randomUUID } from 'node:crypto';
import { ServiceError, WorkflowAlreadyStartedError } from '../../errors';
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
    let runId: string;
    try {
      const existing = s.currentRun(namespace, workflowId);
      if (existing?.isOpen) throw new WorkflowAlreadyStartedError(workflowId, existing.runId, existing.startRequestId);
      const run = createRun(s, {
        namespace,
        workflowId,
        workflowType,
        taskQueue,
        ...requestedRunParams(a),
        searchAttributes: validateSearchAttributes(s.namespace(namespace), a.searchAttributes),
        requestId: randomUUID(),
        identity: '',
        parent: { namespace: parent.namespace, workflowId: parent.workflowId, runId: parent.runId, initiatedEventId },
      });
      runId = run.runId;
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      parent.children.delete(initiatedEventId);
      deliverExternalEvent(s, parent, () => {
        parent.append(
          ET.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED,
          {
            namespace,
            workflowId,
            workflowType: { name: workflowType },
            cause: StartChildFailedCause.START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS,
            control: a.control,
            initiatedEventId,
            workflowTaskCompletedEventId: c.completedId,
          },
          s.clock.now(),
        );
      });
      return;
    }
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
