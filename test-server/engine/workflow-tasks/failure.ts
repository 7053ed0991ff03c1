/**
 * Workflow tasks that do not complete: RespondWorkflowTaskFailed, start-to-close timeouts and
 * completions rejected by the server. The task ends, its queries wait for the next one, buffered
 * events are applied and a new attempt is scheduled.
 */
import { NotFoundError } from '../../errors';
import { temporal } from '../../proto';
import type { WorkflowRun, WorkflowTaskState } from '../workflow-run';
import { dispatchWaitingQueries } from '../queries/routing';
import { str, type Req } from '../request-fields';
import type { EngineState } from '../state';
import { parseTaskToken } from '../task-token';
import { scheduleWorkflowTask } from './dispatch';
import { flushBufferedEvents } from './external-events';

const ET = temporal.api.enums.v1.EventType;
const TimeoutType = temporal.api.enums.v1.TimeoutType;

/** The run and its started workflow task named by a task token, or NOT_FOUND. */
export function startedWorkflowTask(s: EngineState, tokenBytes: unknown): { run: WorkflowRun; wft: WorkflowTaskState } {
  const t = parseTaskToken(tokenBytes);
  const run = s.runById(t.r);
  const wft = run?.wft;
  if (!run || t.k !== 'w' || !run.isOpen || !wft || wft.state !== 'started' || wft.scheduledEventId !== t.s) {
    throw new NotFoundError('Workflow task not found.');
  }
  return { run, wft };
}

/**
 * Ends a task that did not complete (its failed/timed-out event already appended) and schedules
 * attempt `nextAttempt`. Its queries are asked again; its updates stay "sent" and go again with
 * the next (non-heartbeat) task. As in Temporal, a run with a sticky queue loses it and the next
 * task is attempt 1 on the normal queue ("clear sticky task queue first and try again before
 * creating transient workflow task").
 */
function retryWorkflowTask(s: EngineState, run: WorkflowRun, wft: WorkflowTaskState, nextAttempt: number, heartbeat = false): void {
  wft.timeoutTimer?.cancel();
  run.wft = undefined;
  s.clock.markIdle(`wft:${run.runId}`);
  run.queriesAwaitingTask.push(...wft.queries);
  flushBufferedEvents(run);
  let attempt = nextAttempt;
  if (run.sticky) {
    run.sticky = undefined;
    attempt = 1;
  }
  scheduleWorkflowTask(s, run, attempt, heartbeat);
  dispatchWaitingQueries(s, run);
}

/** Records WorkflowTaskFailed with its cause and schedules attempt `nextAttempt`. */
export function failWorkflowTask(
  s: EngineState,
  run: WorkflowRun,
  wft: WorkflowTaskState,
  cause: number,
  failure: unknown,
  identity: string,
  nextAttempt: number,
): void {
  run.append(
    ET.EVENT_TYPE_WORKFLOW_TASK_FAILED,
    { scheduledEventId: wft.scheduledEventId, startedEventId: wft.startedEventId, cause, failure, identity },
    s.clock.now(),
  );
  retryWorkflowTask(s, run, wft, nextAttempt);
}

/** Start-to-close timer of a started task: WorkflowTaskTimedOut and the next attempt (no-op if the task already ended). */
export function timeoutWorkflowTask(s: EngineState, run: WorkflowRun, wft: WorkflowTaskState): void {
  if (run.wft !== wft || !run.isOpen) return;
  run.append(
    ET.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
    {
      scheduledEventId: wft.scheduledEventId,
      startedEventId: wft.startedEventId,
      timeoutType: TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE,
    },
    s.clock.now(),
  );
  retryWorkflowTask(s, run, wft, wft.attempt + 1);
}

/**
 * A task no worker took from its sticky queue within the schedule-to-start timeout (already
 * taken off that queue, stickiness cleared): WorkflowTaskTimedOut (SCHEDULE_TO_START, no started
 * event) and a new task on the normal queue, attempt 1 — Temporal does not count this timeout as
 * an attempt.
 */
export function stickyScheduleToStartTimedOut(s: EngineState, run: WorkflowRun, wft: WorkflowTaskState): void {
  if (run.wft !== wft || !run.isOpen || wft.state !== 'scheduled') return;
  run.append(
    ET.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
    { scheduledEventId: wft.scheduledEventId, startedEventId: 0, timeoutType: TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START },
    s.clock.now(),
  );
  retryWorkflowTask(s, run, wft, 1, wft.heartbeat);
}

/** RespondWorkflowTaskFailed. */
export function respondWorkflowTaskFailed(s: EngineState, req: Req): void {
  const { run, wft } = startedWorkflowTask(s, req.taskToken);
  failWorkflowTask(s, run, wft, Number(req.cause ?? 0), req.failure, str(req.identity), wft.attempt + 1);
}
