/**
 * Closing a run, however it ends (command, termination, run timeout, continue-as-new): status and
 * close time, visibility, everything pending released (workflow task, timers, activities,
 * updates, queries), the parent told, parent close policies applied, history waiters woken.
 */
import { WorkflowClosedError } from '../../errors';
import { temporal, type ProtoObject } from '../../proto';
import type { WorkflowRun } from '../workflow-run';
import { dropActivity } from '../activities/closing';
import { applyParentClosePolicies } from '../children/parent-close-policy';
import { reportToParent } from '../children/report-to-parent';
import { cancelAllTimers } from '../commands/timers';
import { dispatchWaitingQueries } from '../queries/routing';
import { str, type Payloads, type Req } from '../request-fields';
import type { EngineState } from '../state';
import { statusName } from '../status-name';
import { settleUpdatesOnClose } from '../updates/protocol-messages';
import { withdrawFromStickyQueue } from '../workflow-tasks/sticky';

const ET = temporal.api.enums.v1.EventType;
const Status = temporal.api.enums.v1.WorkflowExecutionStatus;
const RetryState = temporal.api.enums.v1.RetryState;

/** Closes a run whose close event is already appended. */
export function closeRun(s: EngineState, run: WorkflowRun, status: number): void {
  run.status = status;
  run.closeTime = s.clock.now();
  s.visibility.refresh(run);
  run.buffered = [];
  run.runTimeoutTimer?.cancel();
  run.sticky = undefined;
  if (run.wft) {
    withdrawFromStickyQueue(s, run, run.wft);
    run.wft.timeoutTimer?.cancel();
    run.queriesAwaitingTask.push(...run.wft.queries);
    run.wft = undefined;
  }
  s.clock.markIdle(`wft:${run.runId}`);
  cancelAllTimers(run);
  for (const a of run.activities.values()) dropActivity(s, run, a);
  settleUpdatesOnClose(run);
  dispatchWaitingQueries(s, run);
  reportToParent(s, run);
  applyParentClosePolicies(s, run);
  for (const w of [...run.historyWaiters]) w();
  run.compactAfterClose();
  s.log(`closed ${run.workflowId}/${run.runId} ${statusName(status)}`);
}

/** The close event of a closed run (its last event), or undefined while it is open. */
export function closeEvent(run: WorkflowRun): ProtoObject | undefined {
  return run.isOpen ? undefined : run.history[run.history.length - 1];
}

/** Run (or execution) timeout: WorkflowExecutionTimedOut and close (no-op on a closed run). */
export function timeoutRun(s: EngineState, run: WorkflowRun): void {
  if (!run.isOpen) return;
  run.append(ET.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, { retryState: RetryState.RETRY_STATE_TIMEOUT }, s.clock.now());
  closeRun(s, run, Status.WORKFLOW_EXECUTION_STATUS_TIMED_OUT);
}

/** WorkflowExecutionTerminated and close; a closed run is "already completed". */
export function terminateRun(s: EngineState, run: WorkflowRun, reason: string, details: Payloads, identity: string): void {
  if (!run.isOpen) throw new WorkflowClosedError();
  run.append(ET.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, { reason, details, identity }, s.clock.now());
  closeRun(s, run, Status.WORKFLOW_EXECUTION_STATUS_TERMINATED);
}

/** TerminateWorkflowExecution. */
export function terminate(s: EngineState, req: Req): void {
  const ns = s.namespace(req.namespace);
  const run = s.findRun(ns.name, req.workflowExecution);
  terminateRun(s, run, str(req.reason), req.details as Payloads, str(req.identity));
}
