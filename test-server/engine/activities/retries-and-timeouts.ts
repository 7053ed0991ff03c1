/**
 * The end of an activity attempt that did not succeed (worker failure or timeout): another attempt
 * after the retry policy's backoff — time may skip over it —, or the final failed/timed-out event.
 * Schedule-to-start and schedule-to-close timeouts are never retried.
 */
import { temporal, type ProtoObject } from '../../proto';
import { decideRetry } from './retry-policy';
import type { ActivityState, WorkflowRun } from '../workflow-run';
import type { EngineState } from '../state';
import { activityKey, finishActivity } from './closing';
import { dispatchActivity } from './dispatch';

const ET = temporal.api.enums.v1.EventType;
const TimeoutType = temporal.api.enums.v1.TimeoutType;
const RetryState = temporal.api.enums.v1.RetryState;

/**
 * Ends the current attempt with `failure`: retries per policy (not after a cancellation request,
 * nor past schedule-to-close), or finishes the activity through `appendFinal`.
 */
export function endActivityAttempt(
  s: EngineState,
  run: WorkflowRun,
  act: ActivityState,
  failure: ProtoObject,
  identity: string,
  appendFinal: (startedEventId: number, retryState: number) => void,
): void {
  const now = s.clock.now();
  const deadline = act.scheduleToCloseMs > 0 ? act.firstScheduledTime + act.scheduleToCloseMs : 0;
  const decision = act.cancelRequested
    ? ({ retry: false, retryState: RetryState.RETRY_STATE_CANCEL_REQUESTED } as const)
    : decideRetry(act.retryPolicy, act.attempt, failure as never, now, deadline);
  if (decision.retry) {
    for (const t of act.attemptTimers) t.cancel();
    act.attemptTimers = [];
    act.lastFailure = failure;
    act.lastIdentity = identity || act.lastIdentity;
    act.attempt += 1;
    act.state = 'backoff';
    act.nextAttemptTime = now + decision.backoffMs;
    // Waiting for a retry is not outstanding work: time may skip over the backoff.
    s.clock.markIdle(activityKey(run, act));
    const attempt = act.attempt;
    act.attemptTimers.push(
      s.clock.scheduleIn(decision.backoffMs, () => {
        if (run.activities.get(act.scheduledEventId) === act && act.state === 'backoff' && act.attempt === attempt) {
          dispatchActivity(s, run, act);
        }
      }),
    );
    return;
  }
  finishActivity(s, run, act, (startedEventId) => appendFinal(startedEventId, decision.retryState));
}

const timeoutTypeNames: Record<number, string> = { 1: 'StartToClose', 2: 'ScheduleToStart', 3: 'ScheduleToClose', 4: 'Heartbeat' };

/**
 * A timeout of `attempt` fired (ignored if the activity or attempt is gone; schedule-to-close
 * applies to whatever attempt is current). Start-to-close and heartbeat timeouts may be retried.
 */
export function timeoutActivity(s: EngineState, run: WorkflowRun, act: ActivityState, attempt: number, timeoutType: number): void {
  if (!run.isOpen || run.activities.get(act.scheduledEventId) !== act) return;
  if (timeoutType !== TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE && act.attempt !== attempt) return;
  const typeName = timeoutTypeNames[timeoutType] ?? 'Unknown';
  const failure: ProtoObject = {
    message: `activity ${typeName} timeout`,
    source: 'Server',
    timeoutFailureInfo: { timeoutType, lastHeartbeatDetails: act.heartbeatDetails },
  };
  const retryable = timeoutType === TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE || timeoutType === TimeoutType.TIMEOUT_TYPE_HEARTBEAT;
  const appendTimedOut = (startedEventId: number, retryState: number) => {
    run.append(
      ET.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
      {
        failure: act.lastFailure && !retryable ? { ...failure, cause: act.lastFailure } : failure,
        scheduledEventId: act.scheduledEventId,
        startedEventId,
        retryState,
      },
      s.clock.now(),
    );
  };
  if (retryable) {
    endActivityAttempt(s, run, act, failure, act.lastIdentity, appendTimedOut);
    return;
  }
  finishActivity(s, run, act, (startedEventId) => appendTimedOut(startedEventId, RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE));
}
