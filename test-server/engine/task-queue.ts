/**
 * Matching of tasks to long-polling workers, per namespace and task queue name.
 * A task is offered as a `claim` function: it returns the poll response, or undefined when the
 * task went stale (e.g. the workflow was terminated) and must be skipped.
 */

/** A queued task; `claim` builds the poll response at the moment a poller takes it. */
export type TaskClaim<R, C> = (poller: C) => R | undefined;

interface Poller<R, C> {
  context: C;
  deliver(response: R | undefined): void;
}

interface QueueState<R, C> {
  tasks: TaskClaim<R, C>[];
  pollers: Poller<R, C>[];
}

/** Options for a single long poll. */
export interface PollOptions {
  /** Give up (resolve undefined, i.e. an empty poll response) after this many real ms. */
  timeoutMs: number;
  /** Registers a callback run when the caller goes away (gRPC call cancelled). */
  onCancel(cb: () => void): void;
}

/** Task queues of one kind (workflow tasks or activity tasks). */
export class TaskMatcher<R, C> {
  private readonly queues = new Map<string, QueueState<R, C>>();

  private queue(key: string): QueueState<R, C> {
    let q = this.queues.get(key);
    if (!q) {
      q = { tasks: [], pollers: [] };
      this.queues.set(key, q);
    }
    return q;
  }

  /** Adds a task to a queue, handing it straight to a waiting poller if there is one. */
  offer(namespace: string, taskQueue: string, claim: TaskClaim<R, C>): void {
    const q = this.queue(`${namespace}/${taskQueue}`);
    const poller = q.pollers.shift();
    if (poller) {
      const response = claim(poller.context);
      if (response !== undefined) poller.deliver(response);
      else q.pollers.unshift(poller);
      return;
    }
    q.tasks.push(claim);
  }

  /** Long-polls a queue: resolves with the next claimable task, or undefined on timeout/cancel. */
  poll(namespace: string, taskQueue: string, context: C, options: PollOptions): Promise<R | undefined> {
    const q = this.queue(`${namespace}/${taskQueue}`);
    while (q.tasks.length > 0) {
      const claim = q.tasks.shift() as TaskClaim<R, C>;
      const response = claim(context);
      if (response !== undefined) return Promise.resolve(response);
    }
    return new Promise((resolve) => {
      let done = false;
      const poller: Poller<R, C> = {
        context,
        deliver: (response) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          resolve(response);
        },
      };
      const remove = () => {
        const i = q.pollers.indexOf(poller);
        if (i >= 0) q.pollers.splice(i, 1);
      };
      const timer = setTimeout(() => {
        remove();
        poller.deliver(undefined);
      }, options.timeoutMs);
      timer.unref();
      options.onCancel(() => {
        remove();
        poller.deliver(undefined);
      });
      q.pollers.push(poller);
    });
  }

  /** Takes a queued task off a queue (it moved elsewhere); false when it was not queued there. */
  remove(namespace: string, taskQueue: string, claim: TaskClaim<R, C>): boolean {
    const q = this.queues.get(`${namespace}/${taskQueue}`);
    const i = q ? q.tasks.indexOf(claim) : -1;
    if (!q || i < 0) return false;
    q.tasks.splice(i, 1);
    this.forgetIfEmpty(`${namespace}/${taskQueue}`, q);
    return true;
  }

  /** Number of pollers waiting on a queue right now. */
  pollerCount(namespace: string, taskQueue: string): number {
    return this.queues.get(`${namespace}/${taskQueue}`)?.pollers.length ?? 0;
  }

  /** Answers the waiting polls of a queue whose request matches `which` with an empty response (worker shutdown). */
  releasePollers(namespace: string, taskQueue: string, which: (context: C) => boolean): void {
    const q = this.queues.get(`${namespace}/${taskQueue}`);
    if (!q) return;
    for (const p of q.pollers.filter((x) => which(x.context))) {
      q.pollers.splice(q.pollers.indexOf(p), 1);
      p.deliver(undefined);
    }
    this.forgetIfEmpty(`${namespace}/${taskQueue}`, q);
  }

  /** Drops the record of a queue with neither tasks nor pollers (sticky queues are one per worker). */
  private forgetIfEmpty(key: string, q: QueueState<R, C>): void {
    if (q.tasks.length === 0 && q.pollers.length === 0) this.queues.delete(key);
  }

  /** Number of tasks waiting in a queue (for DescribeTaskQueue backlog hints). */
  backlog(namespace: string, taskQueue: string): number {
    return this.queues.get(`${namespace}/${taskQueue}`)?.tasks.length ?? 0;
  }

  /** Wakes every waiting poller with an empty response (server shutdown). */
  releaseAll(): void {
    for (const q of this.queues.values()) {
      for (const p of q.pollers.splice(0)) p.deliver(undefined);
    }
  }
}
