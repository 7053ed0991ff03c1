/**
 * Sticky execution, as Temporal's servers do it. A worker that keeps a run cached completes its
 * workflow task with `stickyAttributes` (its own sticky queue and a schedule-to-start timeout) and
 * polls that queue; the run's next workflow task goes there with only the events after the
 * previous completed task's WorkflowTaskStarted. The task falls back to the run's normal queue,
 * with the full history, when:
 * - no worker takes it within the schedule-to-start timeout: WorkflowTaskTimedOut
 *   (SCHEDULE_TO_START, no started event) and a new task, attempt 1, on the normal queue;
 * - nobody polled the sticky queue in the last {@link STICKY_POLLER_UNAVAILABLE_MS} when the task
 *   is scheduled (Temporal's matching answers StickyWorkerUnavailable): straight to the normal queue;
 * - the worker calls ShutdownWorker naming its sticky queue, or ResetStickyTaskQueue names the run:
 *   a waiting task moves to the normal queue at once, without an event;
 * - a task fails or times out (see `failure.ts`), or a worker takes a task from another queue.
 *
 * The schedule-to-start timeout runs on the wall clock, never on the virtual clock: it measures
 * whether a real worker process is still polling, as Temporal's timer queue does in real time.
 * (A scheduled workflow task holds time skipping anyway, so a virtual timer would also only fire
 * in real time; the wall clock makes it explicit that skipping can never expire a sticky task.)
 */
import { durationToMs, type ProtoObject } from '../../proto';
import type { TaskClaim } from '../task-queue';
import type { WorkflowRun, WorkflowTaskState } from '../workflow-run';
import { obj, str, type Req } from '../request-fields';
import type { EngineState } from '../state';
import { offerOnNormalQueue } from './dispatch';
import { stickyScheduleToStartTimedOut } from './failure';
import { StickyQueues } from '../sticky-queues';

/**
 * A sticky queue nobody has polled for this long is taken as gone (Temporal's matching service:
 * `matching.stickyPollerUnavailableWindow`, 10 s).
 */
export const STICKY_POLLER_UNAVAILABLE_MS = 10_000;

/** Schedule-to-start timeout used when a worker's sticky attributes name none (sdk-core sends 10 s). */
export const DEFAULT_STICKY_SCHEDULE_TO_START_MS = 10_000;

/** A worker begins a poll on its sticky queue (a queue shut down is open again once polled). */
export function noteStickyPollStarted(s: EngineState, namespace: string, name: string): void {
  const r = s.stickyQueues.record(namespace, name);
  r.lastPollMs = Date.now();
  r.shutDown = false;
}

/** A poll on a sticky queue ended (task, timeout, or the caller left). */
export function noteStickyPollEnded(s: EngineState, namespace: string, name: string): void {
  const r = s.stickyQueues.find(namespace, name);
  if (r && !r.shutDown) r.lastPollMs = Date.now();
}

/** Whether a worker is polling the sticky queue now or did within the unavailability window. */
function stickyQueueAvailable(s: EngineState, namespace: string, name: string): boolean {
  const r = s.stickyQueues.find(namespace, name);
  if (!r) return false;
  const available =
    !r.shutDown &&
    (s.workflowTasks.pollerCount(namespace, StickyQueues.matcherQueue(name)) > 0 ||
      Date.now() - r.lastPollMs < STICKY_POLLER_UNAVAILABLE_MS);
  if (!available && r.pending.size === 0 && r.pendingQueries.size === 0) s.stickyQueues.forget(namespace, name);
  return available;
}

/**
 * RespondWorkflowTaskCompleted: the completion's `stickyAttributes` become the run's sticky queue;
 * a completion without them clears it (as Temporal does).
 */
export function recordStickiness(run: WorkflowRun, stickyAttributes: unknown): void {
  const attributes = obj(stickyAttributes);
  const queue = str(obj(attributes.workerTaskQueue).name);
  if (!queue) {
    run.sticky = undefined;
    return;
  }
  const timeout = durationToMs(attributes.scheduleToStartTimeout as ProtoObject | undefined);
  run.sticky = { queue, scheduleToStartMs: timeout > 0 ? timeout : DEFAULT_STICKY_SCHEDULE_TO_START_MS };
}

/**
 * The sticky queue a workflow task being scheduled now goes to, or undefined for the normal
 * queue. Stickiness to a queue nobody polls is dropped here (Temporal's StickyWorkerUnavailable).
 */
export function stickyQueueForNextTask(s: EngineState, run: WorkflowRun): string | undefined {
  const sticky = run.sticky;
  if (!sticky) return undefined;
  if (stickyQueueAvailable(s, run.namespace, sticky.queue)) return sticky.queue;
  run.sticky = undefined;
  return undefined;
}

/**
 * Puts a scheduled task on the run's sticky queue, with its schedule-to-start timer. False (and
 * nothing done) when the run has no usable sticky queue: the caller offers it on the normal queue.
 */
export function offerOnStickyQueue(
  s: EngineState,
  run: WorkflowRun,
  wft: WorkflowTaskState,
  claimTask: (poll: Req) => ProtoObject | undefined,
): boolean {
  const queue = stickyQueueForNextTask(s, run);
  const sticky = run.sticky;
  if (!queue || !sticky) return false;
  const claim: TaskClaim<ProtoObject, Req> = (poll) => (wft.onStickyQueue?.claim === claim ? claimTask(poll) : undefined);
  const timer = setTimeout(() => {
    if (wft.onStickyQueue?.claim !== claim) return;
    withdrawFromStickyQueue(s, run, wft);
    run.sticky = undefined;
    stickyScheduleToStartTimedOut(s, run, wft);
  }, sticky.scheduleToStartMs);
  timer.unref();
  wft.onStickyQueue = { queue, claim, timer };
  s.stickyQueues.record(run.namespace, queue).pending.add(run);
  s.workflowTasks.offer(run.namespace, StickyQueues.matcherQueue(queue), claim);
  return true;
}

/**
 * The task leaves its sticky queue (a worker took it, it moves to the normal queue, or the run
 * closed): its timer stops and its claim is taken off the queue.
 */
export function withdrawFromStickyQueue(s: EngineState, run: WorkflowRun, wft: WorkflowTaskState): void {
  const offer = wft.onStickyQueue;
  if (!offer) return;
  wft.onStickyQueue = undefined;
  clearTimeout(offer.timer);
  s.workflowTasks.remove(run.namespace, StickyQueues.matcherQueue(offer.queue), offer.claim);
  s.stickyQueues.find(run.namespace, offer.queue)?.pending.delete(run);
}

/**
 * Offers a query-only task on the run's sticky queue, as Temporal does for a sticky run: the
 * worker holding the run answers from its cache (the task carries no events; a worker that
 * evicted the run fetches the history). If no worker takes it within the sticky
 * schedule-to-start timeout, or the worker shuts down, the run loses its stickiness and
 * `toNormalQueue` offers the task on the normal queue. False (nothing done) when the run has no
 * usable sticky queue.
 */
export function offerQueryOnStickyQueue(
  s: EngineState,
  run: WorkflowRun,
  claimTask: (poll: Req) => ProtoObject | undefined,
  toNormalQueue: () => void,
): boolean {
  const queue = run.isOpen ? stickyQueueForNextTask(s, run) : undefined;
  const sticky = run.sticky;
  if (!queue || !sticky) return false;
  const record = s.stickyQueues.record(run.namespace, queue);
  let waiting = true;
  const leave = () => {
    waiting = false;
    clearTimeout(timer);
    record.pendingQueries.delete(moveToNormal);
  };
  const claim: TaskClaim<ProtoObject, Req> = (poll) => {
    if (!waiting) return undefined;
    leave();
    return claimTask(poll);
  };
  const moveToNormal = () => {
    if (!waiting) return;
    leave();
    s.workflowTasks.remove(run.namespace, StickyQueues.matcherQueue(queue), claim);
    if (run.sticky?.queue === queue) run.sticky = undefined;
    toNormalQueue();
  };
  const timer = setTimeout(moveToNormal, sticky.scheduleToStartMs);
  timer.unref();
  record.pendingQueries.add(moveToNormal);
  s.workflowTasks.offer(run.namespace, StickyQueues.matcherQueue(queue), claim);
  return true;
}

/** Clears a run's stickiness and moves a task waiting on its sticky queue to the normal queue (no event). */
function moveToNormalQueue(s: EngineState, run: WorkflowRun): void {
  run.sticky = undefined;
  const wft = run.wft;
  if (!wft?.onStickyQueue) return;
  withdrawFromStickyQueue(s, run, wft);
  if (run.isOpen && wft.state === 'scheduled') offerOnNormalQueue(s, run, wft);
}

/**
 * ShutdownWorker: the worker's sticky queue is gone — tasks waiting there move to the normal
 * queue, runs sticky to it schedule their next task on the normal queue — and the worker's
 * outstanding polls (sticky and normal, matched by its worker instance key) get empty answers,
 * so no task is handed to a poll the worker has already abandoned.
 */
export function shutdownWorker(s: EngineState, req: Req): void {
  const ns = s.namespace(req.namespace);
  const stickyName = str(req.stickyTaskQueue);
  if (stickyName) {
    const record = s.stickyQueues.find(ns.name, stickyName);
    if (record) {
      record.shutDown = true;
      for (const run of [...record.pending]) moveToNormalQueue(s, run);
      for (const moveQuery of [...record.pendingQueries]) moveQuery();
    }
    s.workflowTasks.releasePollers(ns.name, StickyQueues.matcherQueue(stickyName), () => true);
  }
  const instance = str(req.workerInstanceKey);
  const taskQueue = str(req.taskQueue);
  if (instance && taskQueue) {
    const sameWorker = (poll: Req) => str(poll.workerInstanceKey) === instance;
    s.workflowTasks.releasePollers(ns.name, taskQueue, sameWorker);
    s.activityTasks.releasePollers(ns.name, taskQueue, sameWorker);
  }
}

/** ResetStickyTaskQueue: the run's next task (and one waiting on its sticky queue now) goes to the normal queue. */
export function resetStickyTaskQueue(s: EngineState, req: Req): void {
  const ns = s.namespace(req.namespace);
  moveToNormalQueue(s, s.findRun(ns.name, req.execution));
}
