/**
 * ScheduleActivityTask: the command's checks and timeout defaults (as Temporal fills them in),
 * ActivityTaskScheduled, the pending activity and its schedule-to-close timer.
 */
import { InvalidArgumentError } from '../../errors';
import { durationToMs, msToDuration, temporal, type ProtoObject } from '../../proto';
import { effectiveRetryPolicy, retryPolicyToProto, type RetryPolicyInput } from './retry-policy';
import type { ActivityState, WorkflowRun } from '../workflow-run';
import { obj, str } from '../request-fields';
import type { EngineState } from '../state';
import { dispatchActivity } from './dispatch';
import { timeoutActivity } from './retries-and-timeouts';
import type { CommandContext } from '../commands/command-context';

const ET = temporal.api.enums.v1.EventType;
const TimeoutType = temporal.api.enums.v1.TimeoutType;
const TaskQueueKind = temporal.api.enums.v1.TaskQueueKind;

/** Applies a ScheduleActivityTask command and offers the first attempt to workers. */
export function scheduleActivity(s: EngineState, run: WorkflowRun, a: ProtoObject, c: CommandContext): void {
  const activityId = str(a.activityId);
  const activityType = str(obj(a.activityType).name);
  if (!activityType) throw new InvalidArgumentError('commands.scheduleActivityTaskCommandAttributes.activityType: not set');
  let scheduleToCloseMs = durationToMs(a.scheduleToCloseTimeout as never);
  let startToCloseMs = durationToMs(a.startToCloseTimeout as never);
  let scheduleToStartMs = durationToMs(a.scheduleToStartTimeout as never);
  const heartbeatMs = durationToMs(a.heartbeatTimeout as never);
  if (scheduleToCloseMs === 0 && startToCloseMs === 0) {
    throw new InvalidArgumentError('commands.scheduleActivityTaskCommandAttributes: a valid StartToClose or ScheduleToCloseTimeout is not set');
  }
  if (scheduleToCloseMs === 0 && run.runTimeoutMs > 0) scheduleToCloseMs = run.runTimeoutMs;
  if (startToCloseMs === 0) startToCloseMs = scheduleToCloseMs;
  if (scheduleToStartMs === 0) scheduleToStartMs = scheduleToCloseMs;
  const retryPolicy = effectiveRetryPolicy(a.retryPolicy as RetryPolicyInput);
  const taskQueue = str(obj(a.taskQueue).name) || run.taskQueue;
  const now = s.clock.now();
  const attributes: ProtoObject = {
    activityId,
    activityType: { name: activityType },
    taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    header: a.header,
    input: a.input,
    scheduleToCloseTimeout: msToDuration(scheduleToCloseMs),
    scheduleToStartTimeout: msToDuration(scheduleToStartMs),
    startToCloseTimeout: msToDuration(startToCloseMs),
    heartbeatTimeout: msToDuration(heartbeatMs),
    workflowTaskCompletedEventId: c.completedId,
    retryPolicy: retryPolicyToProto(retryPolicy),
    useWorkflowBuildId: a.useWorkflowBuildId,
    priority: a.priority,
  };
  const scheduledEventId = run.append(ET.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, attributes, now);
  const act: ActivityState = {
    scheduledEventId,
    activityId,
    activityType,
    taskQueue,
    attributes,
    retryPolicy,
    attempt: 1,
    state: 'scheduled',
    firstScheduledTime: now,
    currentAttemptScheduledTime: now,
    startedTime: 0,
    scheduleToCloseMs,
    scheduleToStartMs,
    startToCloseMs,
    heartbeatMs,
    lastHeartbeatTime: 0,
    lastIdentity: '',
    startRequestId: '',
    cancelRequested: false,
    cancelRequestedEventId: 0,
    nextAttemptTime: 0,
    attemptTimers: [],
  };
  run.activities.set(scheduledEventId, act);
  if (scheduleToCloseMs > 0) {
    act.scheduleToCloseTimer = s.clock.scheduleAt(now + scheduleToCloseMs, () =>
      timeoutActivity(s, run, act, act.attempt, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE),
    );
  }
  dispatchActivity(s, run, act);
}
