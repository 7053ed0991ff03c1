/**
 * Parent close policies: when a parent closes (other than by continue-as-new), each open child it
 * started is terminated (TERMINATE, the default), asked to cancel (REQUEST_CANCEL) or left alone
 * (ABANDON).
 */
import { temporal } from '../../proto';
import type { WorkflowRun } from '../workflow-run';
import { requestCancelRun } from '../lifecycle/cancel-request';
import { terminateRun } from '../lifecycle/close';
import type { EngineState } from '../state';

const Status = temporal.api.enums.v1.WorkflowExecutionStatus;
const ParentClosePolicy = temporal.api.enums.v1.ParentClosePolicy;

/** Applies the close policy of each child of a parent that just closed, then forgets its children. */
export function applyParentClosePolicies(s: EngineState, parent: WorkflowRun): void {
  if (parent.status === Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW) return;
  for (const child of parent.children.values()) {
    if (!child.runId) continue;
    const run = s.currentRun(child.namespace, child.workflowId);
    if (!run || !run.isOpen || (run.parent?.runId !== parent.runId && run.firstRunId !== child.runId)) continue;
    if (child.parentClosePolicy === ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON) continue;
    if (child.parentClosePolicy === ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL) {
      requestCancelRun(s, run, 'parent close policy', '', undefined);
    } else {
      terminateRun(s, run, 'by parent close policy', undefined, '');
    }
  }
  parent.children.clear();
}
