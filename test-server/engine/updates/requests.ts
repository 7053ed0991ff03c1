/**
 * Client side of workflow updates: UpdateWorkflowExecution admits an update (scheduling a
 * workflow task for it) and waits for the requested stage; PollWorkflowExecutionUpdate waits on
 * an update of any run of the workflow id.
 */
import { InvalidArgumentError, NotFoundError, WorkflowClosedError } from '../../errors';
import { temporal, type ProtoObject } from '../../proto';
import type { UpdateState, WorkflowRun } from '../workflow-run';
import { waitUntil } from '../long-poll';
import { obj, str, type Req } from '../request-fields';
import type { EngineState } from '../state';
import { scheduleWorkflowTask } from '../workflow-tasks/dispatch';

const UpdateStage = temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;

function waitForStage(u: UpdateState, stage: number, onCancel: (cb: () => void) => void): Promise<void> {
  return waitUntil(
    u.waiters,
    () =>
      u.error !== undefined ||
      u.outcome !== undefined ||
      (stage <= u.stage && stage !== UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED),
    onCancel,
  );
}

function updateResponse(run: WorkflowRun, u: UpdateState): ProtoObject {
  if (u.error) throw u.error;
  return {
    updateRef: { workflowExecution: { workflowId: run.workflowId, runId: run.runId }, updateId: u.updateId },
    outcome: u.outcome,
    stage: u.outcome ? UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED : u.stage,
  };
}

/** UpdateWorkflowExecution: admits the update (once per update id) and waits for the requested stage (at least ACCEPTED). */
export async function update(s: EngineState, req: Req, onCancel: (cb: () => void) => void): Promise<ProtoObject> {
  const ns = s.namespace(req.namespace);
  const request = obj(req.request);
  const updateId = str(obj(request.meta).updateId);
  if (!updateId) throw new InvalidArgumentError('request.meta.updateId: UpdateId is not set on request.');
  if (!str(obj(request.input).name)) throw new InvalidArgumentError('request.input.name: update name is not set on request.');
  const run = s.findRun(ns.name, req.workflowExecution);
  let u = run.updates.get(updateId);
  if (!u) {
    if (!run.isOpen) throw new WorkflowClosedError();
    u = {
      updateId,
      request,
      stage: UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED,
      sent: false,
      acceptedEventId: 0,
      waiters: new Set(),
    };
    run.updates.set(updateId, u);
    if (!run.wft) scheduleWorkflowTask(s, run, 1);
    else if (run.wft.state === 'started') run.needsWorkflowTask = true;
  }
  const stage = Math.max(Number(obj(req.waitPolicy).lifecycleStage ?? 0), UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED);
  await waitForStage(u, stage, onCancel);
  return updateResponse(run, u);
}

/** PollWorkflowExecutionUpdate: waits for the requested stage (default COMPLETED). */
export async function pollUpdate(s: EngineState, req: Req, onCancel: (cb: () => void) => void): Promise<ProtoObject> {
  const ns = s.namespace(req.namespace);
  const ref = obj(req.updateRef);
  const updateId = str(ref.updateId);
  const execution = obj(ref.workflowExecution);
  const candidates = str(execution.runId) ? [s.findRun(ns.name, execution)] : s.runsOf(ns.name, str(execution.workflowId));
  const run = candidates.find((r) => r.updates.has(updateId));
  if (!run) throw new NotFoundError(`update ${updateId} not found`);
  const u = run.updates.get(updateId) as UpdateState;
  const stage = Number(obj(req.waitPolicy).lifecycleStage ?? 0) || UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
  await waitForStage(u, stage, onCancel);
  const r = updateResponse(run, u);
  return { outcome: r.outcome, stage: r.stage, updateRef: r.updateRef };
}
