/** Names of workflow execution statuses, as visibility queries and logs spell them. */
import { temporal } from '../proto';

const Status = temporal.api.enums.v1.WorkflowExecutionStatus;

/** The ExecutionStatus name of a status ('Running', 'Completed', …; 'Unspecified' for others). */
export function statusName(status: number): string {
  switch (status) {
    case Status.WORKFLOW_EXECUTION_STATUS_RUNNING:
      return 'Running';
    case Status.WORKFLOW_EXECUTION_STATUS_COMPLETED:
      return 'Completed';
    case Status.WORKFLOW_EXECUTION_STATUS_FAILED:
      return 'Failed';
    case Status.WORKFLOW_EXECUTION_STATUS_CANCELED:
      return 'Canceled';
    case Status.WORKFLOW_EXECUTION_STATUS_TERMINATED:
      return 'Terminated';
    case Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW:
      return 'ContinuedAsNew';
    case Status.WORKFLOW_EXECUTION_STATUS_TIMED_OUT:
      return 'TimedOut';
    default:
      return 'Unspecified';
  }
}
