/** Signals to a run (SignalWorkflowExecution, signal-with-start, another workflow's signal), idempotent per request id. */
import { InvalidArgumentError, WorkflowClosedError } from '../errors';
import { temporal, type ProtoObject } from '../proto';
import type { WorkflowRun } from './workflow-run';
import { str, type Payloads, type Req } from './request-fields';
import type { EngineState } from './state';
import { deliverExternalEvent } from './workflow-tasks/external-events';

const ET = temporal.api.enums.v1.EventType;

/** Delivers a signal to an open run (WorkflowExecutionSignaled); a request id seen before is ignored. */
export function signalRun(
  s: EngineState,
  run: WorkflowRun,
  signalName: string,
  input: Payloads,
  header: Payloads,
  identity: string,
  requestId: string,
  external?: { initiatedEventId: number; execution: ProtoObject },
): void {
  if (!run.isOpen) throw new WorkflowClosedError();
  if (requestId && run.requestIds.has(requestId)) return;
  if (requestId) run.requestIds.add(requestId);
  deliverExternalEvent(s, run, () => {
    run.append(
      ET.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
      { signalName, input, identity, header, externalWorkflowExecution: external?.execution },
      s.clock.now(),
    );
  });
}

/** SignalWorkflowExecution. */
export function signal(s: EngineState, req: Req): void {
  const ns = s.namespace(req.namespace);
  if (!str(req.signalName)) throw new InvalidArgumentError('signalName: SignalName is not set on request.');
  const run = s.openRun(ns.name, req.workflowExecution);
  signalRun(s, run, str(req.signalName), req.input as Payloads, req.header as Payloads, str(req.identity), str(req.requestId));
}
