/**
 * What workers report about a running activity attempt, by task token or by id:
 * RespondActivityTask{Completed,Failed,Canceled}(ById) and RecordActivityTaskHeartbeat(ById).
 */
import { NotFoundError } from '../../errors';
import { temporal, type ProtoObject } from '../../proto';
import type { ActivityState, WorkflowRun } from '../workflow-run';
import { str, type Payloads, type Req } from '../request-fields';
import type { EngineState } from '../state';
import { parseTaskToken } from '../task-token';
import { finishActivity } from './closing';
import { endActivityAttempt } from './retries-and-timeouts';

const ET = temporal.api.enums.v1.EventType;

function activityByToken(s: EngineState, tokenBytes: unknown): { run: WorkflowRun; act: ActivityState } {
  const t = parseTaskToken(tokenBytes);
  const run = s.runById(t.r);
  const act = run?.activities.get(t.s ?? -1);
  if (!run || t.k !== 'a' || !run.isOpen || !act || act.attempt !== t.a || act.state !== 'started') {
    throw new NotFoundError('invalid activityID or activity already timed out or invoking workflow is completed');
  }
  return { run, act };
}

function activityById(s: EngineState, req: Req): { run: WorkflowRun; act: ActivityState } {
  const ns = s.namespace(req.namespace);
  const run = s.openRun(ns.name, { workflowId: req.workflowId, runId: req.runId });
  const act = [...run.activities.values()].find((a) => a.activityId === str(req.activityId));
  if (!act) throw new NotFoundError(`activityId: activity ${str(req.activityId)} not found`);
  if (act.state !== 'started') {
    throw new NotFoundError(`activityId: activity ${act.activityId} is not running (state ${act.state})`);
  }
  return { run, act };
}

/** Locates a running activity attempt by task token or by (workflow id, run id, activity id), or NOT_FOUND. */
export function runningActivity(s: EngineState, req: Req, byId: boolean): { run: WorkflowRun; act: ActivityState } {
  return byId ? activityById(s, req) : activityByToken(s, req.taskToken);
}

/** RespondActivityTaskCompleted(ById). */
export function completeActivity(s: EngineState, run: WorkflowRun, act: ActivityState, result: Payloads, identity: string): void {
  finishActivity(s, run, act, (startedEventId) => {
    run.append(ET.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, { result, scheduledEventId: act.scheduledEventId, startedEventId, identity }, s.clock.now());
  });
}

/** RespondActivityTaskFailed(ById): retries per policy or records the failure. */
export function failActivity(
  s: EngineState,
  run: WorkflowRun,
  act: ActivityState,
  failure: ProtoObject,
  lastHeartbeatDetails: Payloads,
  identity: string,
): void {
  if (lastHeartbeatDetails) act.heartbeatDetails = lastHeartbeatDetails;
  endActivityAttempt(s, run, act, failure, identity, (startedEventId, retryState) => {
    run.append(
      ET.EVENT_TYPE_ACTIVITY_TASK_FAILED,
      { failure, scheduledEventId: act.scheduledEventId, startedEventId, identity, retryState },
      s.clock.now(),
    );
  });
}

/** RespondActivityTaskCanceled(ById). */
export function cancelActivity(s: EngineState, run: WorkflowRun, act: ActivityState, details: Payloads, identity: string): void {
  finishActivity(s, run, act, (startedEventId) => {
    run.append(
      ET.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
      {
        details,
        latestCancelRequestedEventId: act.cancelRequestedEventId,
        scheduledEventId: act.scheduledEventId,
        startedEventId,
        identity,
      },
      s.clock.now(),
    );
  });
}

/** RecordActivityTaskHeartbeat(ById): keeps the details for the next attempt; returns whether cancellation was requested. */
export function heartbeatActivity(s: EngineState, act: ActivityState, details: Payloads): boolean {
  act.lastHeartbeatTime = s.clock.now();
  if (details) act.heartbeatDetails = details;
  return act.cancelRequested;
}
