/** The commands that close a run with a result: CompleteWorkflowExecution, FailWorkflowExecution, CancelWorkflowExecution. */
import { temporal, type ProtoObject } from '../../proto';
import type { WorkflowRun } from '../workflow-run';
import { closeRun } from '../lifecycle/close';
import type { EngineState } from '../state';
import type { CommandContext } from './command-context';

const ET = temporal.api.enums.v1.EventType;
const Status = temporal.api.enums.v1.WorkflowExecutionStatus;
const RetryState = temporal.api.enums.v1.RetryState;

/** CompleteWorkflowExecution: WorkflowExecutionCompleted with the result, then the run closes. */
export function completeWorkflow(s: EngineState, run: WorkflowRun, a: ProtoObject, c: CommandContext): void {
  run.append(ET.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, { result: a.result, workflowTaskCompletedEventId: c.completedId }, s.clock.now());
  closeRun(s, run, Status.WORKFLOW_EXECUTION_STATUS_COMPLETED);
}

/** FailWorkflowExecution: WorkflowExecutionFailed (workflow retry policies are not applied), then the run closes. */
export function failWorkflow(s: EngineState, run: WorkflowRun, a: ProtoObject, c: CommandContext): void {
  run.append(
    ET.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
    { failure: a.failure, retryState: RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET, workflowTaskCompletedEventId: c.completedId },
    s.clock.now(),
  );
  closeRun(s, run, Status.WORKFLOW_EXECUTION_STATUS_FAILED);
}

/** CancelWorkflowExecution: WorkflowExecutionCanceled with the details, then the run closes. */
export function cancelWorkflow(s: EngineState, run: WorkflowRun, a: ProtoObject, c: CommandContext): void {
  run.append(ET.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, { details: a.details, workflowTaskCompletedEventId: c.completedId }, s.clock.now());
  closeRun(s, run, Status.WORKFLOW_EXECUTION_STATUS_CANCELED);
}
