/**
 * Events from outside a workflow task (signals, activity results, timer fires, child results,
 * cancel requests): applied at once with a new workflow task scheduled, or — while a workflow
 * task is running — buffered and applied when it ends (Temporal's buffered events).
 */
import type { WorkflowRun } from '../workflow-run';
import type { EngineState } from '../state';
import { scheduleWorkflowTask } from './dispatch';

/** Runs `apply` (which appends the event) now, or after the running workflow task ends. Closed runs ignore it. */
export function deliverExternalEvent(s: EngineState, run: WorkflowRun, apply: () => void): void {
  if (!run.isOpen) return;
  if (run.wft?.state === 'started') {
    run.buffered.push(apply);
    run.needsWorkflowTask = true;
    return;
  }
  apply();
  scheduleWorkflowTask(s, run, 1);
}

/** Applies the events buffered during the workflow task that just ended (while the run stays open). */
export function flushBufferedEvents(run: WorkflowRun): void {
  const buffered = run.buffered;
  run.buffered = [];
  for (const apply of buffered) {
    if (run.isOpen) apply();
  }
}
