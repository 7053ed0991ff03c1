/**
 * Ending a pending activity: its timers and its hold on time skipping released, and its final
 * events recorded as an external event — ActivityTaskStarted first, which Temporal writes only
 * when the attempt ends, then the outcome.
 */
import { temporal } from '../../proto';
import type { ActivityState, WorkflowRun } from '../workflow-run';
import type { EngineState } from '../state';
import { deliverExternalEvent } from '../workflow-tasks/external-events';

const ET = temporal.api.enums.v1.EventType;

/** Key under which an activity's scheduled or running attempt holds time skipping. */
export function activityKey(run: WorkflowRun, act: ActivityState): string {
  return `act:${run.runId}:${act.scheduledEventId}`;
}

/** Forgets a pending activity: cancels its timers, removes it from the run and releases time skipping. */
export function dropActivity(s: EngineState, run: WorkflowRun, act: ActivityState): void {
  for (const t of act.attemptTimers) t.cancel();
  act.attemptTimers = [];
  act.scheduleToCloseTimer?.cancel();
  run.activities.delete(act.scheduledEventId);
  s.clock.markIdle(activityKey(run, act));
}

/**
 * Drops the activity and records its end: ActivityTaskStarted (if an attempt was running) and
 * then, through `appendOutcome` given that event's id (0 if none), the completed, failed,
 * canceled or timed-out event.
 */
export function finishActivity(s: EngineState, run: WorkflowRun, act: ActivityState, appendOutcome: (startedEventId: number) => void): void {
  const wasStarted = act.state === 'started';
  dropActivity(s, run, act);
  const startedTime = act.startedTime;
  deliverExternalEvent(s, run, () => {
    const startedEventId = wasStarted
      ? run.append(
          ET.EVENT_TYPE_ACTIVITY_TASK_STARTED,
          {
            scheduledEventId: act.scheduledEventId,
            identity: act.lastIdentity,
            requestId: act.startRequestId,
            attempt: act.attempt,
            lastFailure: act.lastFailure,
          },
          startedTime,
        )
      : 0;
    appendOutcome(startedEventId);
  });
}
