/**
 * A child run's close reported to its open parent: ChildWorkflowExecution{Completed, Failed,
 * Canceled, Terminated, TimedOut}. A child that continued as new reports when its last run closes.
 */
import { temporal, type ProtoObject } from '../../proto';
import type { WorkflowRun } from '../workflow-run';
import { closeEvent } from '../lifecycle/close';
import { obj } from '../request-fields';
import type { EngineState } from '../state';
import { deliverExternalEvent } from '../workflow-tasks/external-events';

const ET = temporal.api.enums.v1.EventType;
const Status = temporal.api.enums.v1.WorkflowExecutionStatus;
const RetryState = temporal.api.enums.v1.RetryState;

/** Tells the parent of a closed child run how it ended (nothing if the parent is gone or closed). */
export function reportToParent(s: EngineState, run: WorkflowRun): void {
  if (!run.parent || run.status === Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW) return;
  const parent = s.runById(run.parent.runId);
  if (!parent || !parent.isOpen) return;
  const child = parent.children.get(run.parent.initiatedEventId);
  if (!child) return;
  const close = closeEvent(run) as ProtoObject;
  const base = {
    namespace: run.namespace,
    workflowExecution: { workflowId: run.workflowId, runId: run.runId },
    workflowType: { name: run.workflowType },
    initiatedEventId: child.initiatedEventId,
  };
  deliverExternalEvent(s, parent, () => {
    parent.children.delete(child.initiatedEventId);
    const started = { ...base, startedEventId: child.startedEventId };
    const now = s.clock.now();
    switch (run.status) {
      case Status.WORKFLOW_EXECUTION_STATUS_COMPLETED:
        parent.append(ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED, { ...started, result: obj(close.workflowExecutionCompletedEventAttributes).result }, now);
        return;
      case Status.WORKFLOW_EXECUTION_STATUS_FAILED: {
        const f = obj(close.workflowExecutionFailedEventAttributes);
        parent.append(ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED, { ...started, failure: f.failure, retryState: f.retryState }, now);
        return;
      }
      case Status.WORKFLOW_EXECUTION_STATUS_CANCELED:
        parent.append(ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED, { ...started, details: obj(close.workflowExecutionCanceledEventAttributes).details }, now);
        return;
      case Status.WORKFLOW_EXECUTION_STATUS_TERMINATED:
        parent.append(ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED, started, now);
        return;
      case Status.WORKFLOW_EXECUTION_STATUS_TIMED_OUT:
        parent.append(ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT, { ...started, retryState: RetryState.RETRY_STATE_TIMEOUT }, now);
        return;
    }
  });
}
