/**
 * Workflow updates after admission: the worker's protocol messages (Acceptance, Rejection,
 * Response), the server's rejection of updates a completed task left unanswered, and the outcome
 * of updates still pending when the run closes. Waiters are woken on every change.
 */
import { InvalidArgumentError, WorkflowClosedError } from '../../errors';
import { temporal, unpackAny, type ProtoObject } from '../../proto';
import type { UpdateState, WorkflowRun } from '../workflow-run';
import { obj, str } from '../request-fields';
import type { EngineState } from '../state';

const ET = temporal.api.enums.v1.EventType;
const UpdateStage = temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;

function wakeWaiters(u: UpdateState): void {
  for (const w of [...u.waiters]) w();
}

/** Gives an update its outcome (stage COMPLETED) and wakes its waiters. */
function completeUpdate(u: UpdateState, outcome: ProtoObject): void {
  u.outcome = outcome;
  u.stage = UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
  wakeWaiters(u);
}

/** A server-side failure outcome of an update, of application failure type `type`. */
function serverFailure(message: string, type: string): ProtoObject {
  return { failure: { message, source: 'Server', applicationFailureInfo: { type, nonRetryable: true } } };
}

/** Applies one protocol message of a completion (messages for unknown updates are ignored). */
export function applyProtocolMessage(s: EngineState, run: WorkflowRun, message: ProtoObject): void {
  const updateId = str(message.protocolInstanceId);
  const u = run.updates.get(updateId);
  if (!u) return;
  const { typeName, message: body } = unpackAny(obj(message.body) as never);
  const now = s.clock.now();
  if (typeName === 'temporal.api.update.v1.Acceptance') {
    u.acceptedEventId = run.append(
      ET.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
      {
        protocolInstanceId: updateId,
        acceptedRequestMessageId: body.acceptedRequestMessageId,
        acceptedRequestSequencingEventId: body.acceptedRequestSequencingEventId,
        acceptedRequest: body.acceptedRequest ?? u.request,
      },
      now,
    );
    u.stage = UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED;
    wakeWaiters(u);
  } else if (typeName === 'temporal.api.update.v1.Rejection') {
    // A rejected update leaves no trace in history.
    completeUpdate(u, { failure: body.failure });
  } else if (typeName === 'temporal.api.update.v1.Response') {
    run.append(
      ET.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
      { meta: body.meta ?? { updateId }, acceptedEventId: u.acceptedEventId, outcome: body.outcome },
      now,
    );
    completeUpdate(u, obj(body.outcome));
  } else {
    throw new InvalidArgumentError(`messages: unsupported protocol message body ${typeName}`);
  }
}

/**
 * After a successful (non-heartbeat) completion, updates the worker was sent but neither
 * accepted nor rejected are rejected by the server, as Temporal's RejectUnprocessed does; they
 * are never sent again (a worker that saw a request twice would hold a stale protocol message).
 */
export function rejectUnprocessedUpdates(s: EngineState, run: WorkflowRun): void {
  for (const u of run.sentUnansweredUpdates()) {
    u.outcome = serverFailure(
      "Workflow Update is rejected because it wasn't processed by worker. Probably, Workflow Update is not supported by the worker.",
      'UnprocessedUpdate',
    );
    u.stage = UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
    s.log(`rejected unprocessed update ${u.updateId} of ${run.workflowId}/${run.runId}`);
    wakeWaiters(u);
  }
}

/**
 * Updates still pending when their run closes: an accepted one fails (AcceptedUpdateCompletedWorkflow),
 * any other gets "workflow execution already completed".
 */
export function settleUpdatesOnClose(run: WorkflowRun): void {
  for (const u of run.updates.values()) {
    if (u.outcome || u.error) continue;
    if (u.acceptedEventId > 0) {
      completeUpdate(u, serverFailure('Workflow Update failed because the Workflow completed before the Update completed.', 'AcceptedUpdateCompletedWorkflow'));
    } else {
      u.error = new WorkflowClosedError();
      wakeWaiters(u);
    }
  }
}
