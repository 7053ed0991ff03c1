/**
 * Cancellation requests on a run (RequestCancelWorkflowExecution, another workflow's request,
 * parent close policy REQUEST_CANCEL): WorkflowExecutionCancelRequested once; the workflow decides
 * how to end.
 */
import { WorkflowClosedError } from '../../errors';
import { temporal, type ProtoObject } from '../../proto';
import type { WorkflowRun } from '../workflow-run';
import { str, type Req } from '../request-fields';
import type { EngineState } from '../state';
import { deliverExternalEvent } from '../workflow-tasks/external-events';

const ET = temporal.api.enums.v1.EventType;

/** Requests cancellation of an open run (a repeated request is ignored). `external` names the requesting workflow. */
export function requestCancelRun(
  s: EngineState,
  run: WorkflowRun,
  reason: string,
  identity: string,
  external?: { initiatedEventId: number; execution: ProtoObject },
): void {
  if (!run.isOpen) throw new WorkflowClosedError();
  if (run.cancelRequested) return;
  run.cancelRequested = true;
  deliverExternalEvent(s, run, () => {
    run.append(
      ET.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
      {
        cause: reason,
        identity,
        externalInitiatedEventId: external?.initiatedEventId ?? 0,
        externalWorkflowExecution: external?.execution,
      },
      s.clock.now(),
    );
  });
}

/** RequestCancelWorkflowExecution. */
export function requestCancel(s: EngineState, req: Req): void {
  const ns = s.namespace(req.namespace);
  const run = s.openRun(ns.name, req.workflowExecution);
  requestCancelRun(s, run, str(req.reason), str(req.identity));
}
