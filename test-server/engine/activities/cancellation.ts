/**
 * RequestCancelActivityTask: ActivityTaskCancelRequested; an attempt running on a worker learns
 * of it from its heartbeat response, any other is canceled at once.
 */
import { temporal, toNumber, type Int64Like, type ProtoObject } from '../../proto';
import type { WorkflowRun } from '../workflow-run';
import type { EngineState } from '../state';
import { dropActivity } from './closing';
import type { CommandContext } from '../commands/command-context';

const ET = temporal.api.enums.v1.EventType;

/** Applies a RequestCancelActivityTask command. */
export function requestCancelActivity(s: EngineState, run: WorkflowRun, a: ProtoObject, c: CommandContext): void {
  const scheduledEventId = toNumber(a.scheduledEventId as Int64Like);
  const act = run.activities.get(scheduledEventId);
  const now = s.clock.now();
  const requestedId = run.append(ET.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED, { scheduledEventId, workflowTaskCompletedEventId: c.completedId }, now);
  if (!act) return;
  act.cancelRequestedEventId = requestedId;
  if (act.state === 'started') {
    act.cancelRequested = true;
    return;
  }
  // Not running on a worker: cancelled at once.
  dropActivity(s, run, act);
  run.append(
    ET.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
    { latestCancelRequestedEventId: requestedId, scheduledEventId, startedEventId: 0, identity: '' },
    now,
  );
  run.needsWorkflowTask = true;
}
