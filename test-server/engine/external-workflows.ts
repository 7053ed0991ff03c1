/**
 * Commands acting on another workflow: SignalExternalWorkflowExecution and
 * RequestCancelExternalWorkflowExecution. The initiated event is recorded now; after the
 * completion the target (which must be open) is signalled or asked to cancel, and the initiating
 * run gets the success event or the failure event with cause EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND.
 */
import { randomUUID } from 'node:crypto';
import { temporal, type ProtoObject } from '../proto';
import type { WorkflowRun } from './workflow-run';
import type { CommandContext } from './commands/command-context';
import { requestCancelRun } from './lifecycle/cancel-request';
import { signalRun } from './signals';
import { obj, str, type Payloads } from './request-fields';
import type { EngineState } from './state';
import { deliverExternalEvent } from './workflow-tasks/external-events';

const ET = temporal.api.enums.v1.EventType;
const SignalFailedCause = temporal.api.enums.v1.SignalExternalWorkflowExecutionFailedCause;
const CancelFailedCause = temporal.api.enums.v1.CancelExternalWorkflowExecutionFailedCause;

/** How one kind of request to another workflow is recorded and delivered. */
interface ExternalRequestKind {
  initiatedEventType: number;
  /** Initiated-event attributes besides the common ones (namespace, execution, control, …). */
  initiatedAttributes: ProtoObject;
  /** Acts on the open target, naming the initiating workflow as the source. */
  deliver(target: WorkflowRun, source: { initiatedEventId: number; execution: ProtoObject }): void;
  succeededEventType: number;
  /** Whether the success event carries the command's `control` (signal yes, cancel no). */
  succeededWithControl: boolean;
  failedEventType: number;
  failedCause: number;
}

/** Records the initiated event now; after the completion, delivers to the target if open and records the outcome. */
function requestExternal(
  s: EngineState,
  run: WorkflowRun,
  a: ProtoObject,
  execution: ProtoObject,
  c: CommandContext,
  kind: ExternalRequestKind,
): void {
  const namespace = str(a.namespace) || run.namespace;
  const initiatedEventId = run.append(
    kind.initiatedEventType,
    {
      workflowTaskCompletedEventId: c.completedId,
      namespace,
      workflowExecution: execution,
      control: a.control,
      childWorkflowOnly: a.childWorkflowOnly,
      ...kind.initiatedAttributes,
    },
    s.clock.now(),
  );
  c.afterCommit.push(() => {
    let target: WorkflowRun | undefined;
    try {
      target = s.openRun(namespace, execution);
    } catch {
      target = undefined;
    }
    if (target) kind.deliver(target, { initiatedEventId, execution: { workflowId: run.workflowId, runId: run.runId } });
    deliverExternalEvent(s, run, () => {
      if (target) {
        const control = kind.succeededWithControl ? { control: a.control } : {};
        run.append(kind.succeededEventType, { initiatedEventId, namespace, workflowExecution: execution, ...control }, s.clock.now());
      } else {
        run.append(
          kind.failedEventType,
          {
            cause: kind.failedCause,
            workflowTaskCompletedEventId: c.completedId,
            namespace,
            workflowExecution: execution,
            initiatedEventId,
            control: a.control,
          },
          s.clock.now(),
        );
      }
    });
  });
}

/** Applies a SignalExternalWorkflowExecution command. */
export function signalExternalWorkflow(s: EngineState, run: WorkflowRun, a: ProtoObject, c: CommandContext): void {
  requestExternal(s, run, a, obj(a.execution), c, {
    initiatedEventType: ET.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
    initiatedAttributes: { signalName: a.signalName, input: a.input, header: a.header },
    deliver: (target, source) => signalRun(s, target, str(a.signalName), a.input as Payloads, a.header as Payloads, '', randomUUID(), source),
    succeededEventType: ET.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED,
    succeededWithControl: true,
    failedEventType: ET.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED,
    failedCause: SignalFailedCause.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
  });
}

/** Applies a RequestCancelExternalWorkflowExecution command. */
export function requestCancelExternalWorkflow(s: EngineState, run: WorkflowRun, a: ProtoObject, c: CommandContext): void {
  requestExternal(s, run, a, { workflowId: a.workflowId, runId: a.runId }, c, {
    initiatedEventType: ET.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
    initiatedAttributes: { reason: a.reason },
    deliver: (target, source) => requestCancelRun(s, target, str(a.reason), '', source),
    succeededEventType: ET.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
    succeededWithControl: false,
    failedEventType: ET.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED,
    failedCause: CancelFailedCause.CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
  });
}
