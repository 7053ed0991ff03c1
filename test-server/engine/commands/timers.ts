/**
 * Workflow timers: StartTimer and CancelTimer commands, and the TimerFired event when the server
 * clock (which time skipping may move forward) reaches the timer.
 */
import { durationToMs, temporal, type ProtoObject } from '../../proto';
import type { WorkflowRun } from '../workflow-run';
import { str } from '../request-fields';
import type { EngineState } from '../state';
import { deliverExternalEvent } from '../workflow-tasks/external-events';
import type { CommandContext } from './command-context';

const ET = temporal.api.enums.v1.EventType;

/** StartTimer: TimerStarted now, TimerFired (as an external event) when it is due unless cancelled first. */
export function startTimer(s: EngineState, run: WorkflowRun, a: ProtoObject, c: CommandContext): void {
  const timerId = str(a.timerId);
  const startedEventId = run.append(
    ET.EVENT_TYPE_TIMER_STARTED,
    { timerId, startToFireTimeout: a.startToFireTimeout, workflowTaskCompletedEventId: c.completedId },
    s.clock.now(),
  );
  const handle = s.clock.scheduleIn(durationToMs(a.startToFireTimeout as never), () => {
    deliverExternalEvent(s, run, () => {
      const t = run.timers.get(timerId);
      if (!t || t.startedEventId !== startedEventId) return;
      run.timers.delete(timerId);
      run.append(ET.EVENT_TYPE_TIMER_FIRED, { timerId, startedEventId }, s.clock.now());
    });
  });
  run.timers.set(timerId, { startedEventId, handle });
}

/** CancelTimer: TimerCanceled for a pending timer (an unknown timer id is ignored). */
export function cancelTimer(s: EngineState, run: WorkflowRun, a: ProtoObject, c: CommandContext): void {
  const timerId = str(a.timerId);
  const t = run.timers.get(timerId);
  if (!t) return;
  t.handle.cancel();
  run.timers.delete(timerId);
  run.append(
    ET.EVENT_TYPE_TIMER_CANCELED,
    { timerId, startedEventId: t.startedEventId, workflowTaskCompletedEventId: c.completedId, identity: c.identity },
    s.clock.now(),
  );
}

/** Cancels every pending timer of a run that closed. */
export function cancelAllTimers(run: WorkflowRun): void {
  for (const t of run.timers.values()) t.handle.cancel();
  run.timers.clear();
}
