/**
 * StartWorkflowExecution and SignalWithStartWorkflowExecution: request checks, request-id
 * idempotency, and the workflow id conflict policy (open run) and reuse policy (closed run).
 */
import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, WorkflowAlreadyStartedError } from '../../errors';
import { durationToMs, temporal } from '../../proto';
import { obj, str, type Req } from '../request-fields';
import { validateSearchAttributes } from '../search-attributes';
import { signalRun } from '../signals';
import type { EngineState } from '../state';
import { terminateRun } from './close';
import { createRun, requestedRunParams, type NewRunParams } from './create-run';

const Status = temporal.api.enums.v1.WorkflowExecutionStatus;
const ConflictPolicy = temporal.api.enums.v1.WorkflowIdConflictPolicy;
const ReusePolicy = temporal.api.enums.v1.WorkflowIdReusePolicy;

/** StartWorkflowExecution / SignalWithStart: returns the run id and whether a new run started. */
export function startWorkflow(s: EngineState, req: Req, signal?: NewRunParams['signal']): { runId: string; started: boolean } {
  const ns = s.namespace(req.namespace);
  const workflowId = str(req.workflowId);
  if (!workflowId) throw new InvalidArgumentError('workflowId: WorkflowId is not set on request.');
  const workflowType = str(obj(req.workflowType).name);
  if (!workflowType) throw new InvalidArgumentError('workflowType: WorkflowType is not set on request.');
  const taskQueue = str(obj(req.taskQueue).name);
  if (!taskQueue) throw new InvalidArgumentError('taskQueue: TaskQueue is not set on request.');
  const requestId = str(req.requestId) || randomUUID();
  const searchAttributes = validateSearchAttributes(ns, req.searchAttributes);

  const existing = s.currentRun(ns.name, workflowId);
  if (existing) {
    if (existing.requestIds.has(requestId)) return { runId: existing.runId, started: false };
    if (existing.isOpen) {
      const conflict = Number(req.workflowIdConflictPolicy ?? 0);
      const reuse = Number(req.workflowIdReusePolicy ?? 0);
      if (signal) {
        signalRun(s, existing, signal.signalName, signal.input, signal.header, signal.identity, requestId);
        return { runId: existing.runId, started: false };
      }
      if (conflict === ConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING) {
        return { runId: existing.runId, started: false };
      }
      if (
        conflict === ConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING ||
        reuse === ReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING
      ) {
        terminateRun(s, existing, 'terminated by a new start of the same workflow id', undefined, str(req.identity));
      } else {
        throw new WorkflowAlreadyStartedError(workflowId, existing.runId, existing.startRequestId);
      }
    } else {
      const reuse = Number(req.workflowIdReusePolicy ?? 0);
      if (reuse === ReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE) {
        throw new WorkflowAlreadyStartedError(workflowId, existing.runId, existing.startRequestId);
      }
      if (
        reuse === ReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY &&
        (existing.status === Status.WORKFLOW_EXECUTION_STATUS_COMPLETED ||
          existing.status === Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW)
      ) {
        throw new WorkflowAlreadyStartedError(workflowId, existing.runId, existing.startRequestId);
      }
    }
  }
  const run = createRun(s, {
    namespace: ns.name,
    workflowId,
    workflowType,
    taskQueue,
    ...requestedRunParams(req),
    searchAttributes,
    requestId,
    identity: str(req.identity),
    firstWorkflowTaskBackoffMs: durationToMs(req.workflowStartDelay as never),
    signal,
  });
  return { runId: run.runId, started: true };
}
