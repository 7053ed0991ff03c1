/**
 * Activity attempts on their way to a worker: offered on the task queue (holding time skipping),
 * the schedule-to-start timer, and when a worker takes one the start-to-close and heartbeat timers
 * and the poll response (with the last heartbeat details).
 */
import { randomUUID } from 'node:crypto';
import { InvalidArgumentError } from '../../errors';
import { msToTimestamp, temporal, type ProtoObject } from '../../proto';
import type { PollOptions } from '../task-queue';
import type { ActivityState, WorkflowRun } from '../workflow-run';
import { TASK_POLL_MS } from '../long-poll';
import { obj, str, type Req } from '../request-fields';
import type { EngineState } from '../state';
import { encodeTaskToken } from '../task-token';
import { activityKey } from './closing';
import { timeoutActivity } from './retries-and-timeouts';

const TimeoutType = temporal.api.enums.v1.TimeoutType;

/** Offers the activity's current attempt to workers and arms its schedule-to-start timeout. */
export function dispatchActivity(s: EngineState, run: WorkflowRun, act: ActivityState): void {
  const now = s.clock.now();
  act.state = 'scheduled';
  act.currentAttemptScheduledTime = now;
  const attempt = act.attempt;
  s.clock.markBusy(activityKey(run, act));
  if (act.scheduleToStartMs > 0) {
    act.attemptTimers.push(
      s.clock.scheduleIn(act.scheduleToStartMs, () => {
        if (act.state === 'scheduled') timeoutActivity(s, run, act, attempt, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
      }),
    );
  }
  s.activityTasks.offer(run.namespace, act.taskQueue, (poll) => startActivity(s, run, act, attempt, poll));
}

/** A worker takes the attempt: timers for start-to-close and heartbeat, and the poll response. */
function startActivity(s: EngineState, run: WorkflowRun, act: ActivityState, attempt: number, poll: Req): ProtoObject | undefined {
  if (!run.isOpen || run.activities.get(act.scheduledEventId) !== act || act.state !== 'scheduled' || act.attempt !== attempt) {
    return undefined;
  }
  const now = s.clock.now();
  act.state = 'started';
  act.startedTime = now;
  act.lastHeartbeatTime = now;
  act.lastIdentity = str(poll.identity);
  act.startRequestId = randomUUID();
  for (const t of act.attemptTimers) t.cancel();
  act.attemptTimers = [
    s.clock.scheduleIn(act.startToCloseMs, () => timeoutActivity(s, run, act, attempt, TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE)),
  ];
  if (act.heartbeatMs > 0) armHeartbeatTimer(s, run, act);
  const a = act.attributes;
  return {
    taskToken: encodeTaskToken({ k: 'a', r: run.runId, s: act.scheduledEventId, a: attempt }),
    workflowNamespace: run.namespace,
    workflowType: { name: run.workflowType },
    workflowExecution: { workflowId: run.workflowId, runId: run.runId },
    activityType: { name: act.activityType },
    activityId: act.activityId,
    header: a.header,
    input: a.input,
    heartbeatDetails: act.heartbeatDetails,
    scheduledTime: msToTimestamp(act.firstScheduledTime),
    currentAttemptScheduledTime: msToTimestamp(act.currentAttemptScheduledTime),
    startedTime: msToTimestamp(now),
    attempt,
    scheduleToCloseTimeout: a.scheduleToCloseTimeout,
    startToCloseTimeout: a.startToCloseTimeout,
    heartbeatTimeout: a.heartbeatTimeout,
    retryPolicy: a.retryPolicy,
    priority: a.priority,
  };
}

/** Times the attempt out when no heartbeat came within the heartbeat timeout; re-arms itself otherwise. */
function armHeartbeatTimer(s: EngineState, run: WorkflowRun, act: ActivityState): void {
  const attempt = act.attempt;
  const due = act.lastHeartbeatTime + act.heartbeatMs;
  act.attemptTimers.push(
    s.clock.scheduleAt(due, () => {
      if (act.attempt !== attempt || act.state !== 'started') return;
      if (s.clock.now() - act.lastHeartbeatTime >= act.heartbeatMs) {
        timeoutActivity(s, run, act, attempt, TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
      } else {
        armHeartbeatTimer(s, run, act);
      }
    }),
  );
}

/** PollActivityTaskQueue. */
export function pollActivityTask(s: EngineState, req: Req, options: Omit<PollOptions, 'timeoutMs'>): Promise<ProtoObject | undefined> {
  const ns = s.namespace(req.namespace);
  const name = str(obj(req.taskQueue).name);
  if (!name) throw new InvalidArgumentError('taskQueue.name: TaskQueue is not set on request.');
  return s.activityTasks.poll(ns.name, name, req, { ...options, timeoutMs: TASK_POLL_MS });
}
