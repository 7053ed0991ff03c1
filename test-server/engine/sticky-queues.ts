/**
 * The server's record of workers' sticky queues (one per caching worker): when each was last
 * polled and which workflow tasks and query-only tasks wait on it. The rules that use it live in
 * `workflow-tasks/sticky.ts`.
 */
import type { WorkflowRun } from './workflow-run';

/** What the server knows of one sticky queue: when it was last polled, and the tasks waiting on it. */
export interface StickyQueueRecord {
  /** Wall-clock time a poll on it last began or ended. */
  lastPollMs: number;
  /** Its worker called ShutdownWorker (until it polls again). */
  shutDown: boolean;
  /** Runs whose scheduled workflow task waits on it. */
  pending: Set<WorkflowRun>;
  /** Query-only tasks waiting on it, each as the function that moves it to its normal queue. */
  pendingQueries: Set<() => void>;
}

/** The sticky queues of all workers, per namespace. */
export class StickyQueues {
  private readonly records = new Map<string, StickyQueueRecord>();

  /** Name of the task matcher queue holding a sticky queue's tasks. */
  static matcherQueue(name: string): string {
    return `sticky:${name}`;
  }

  /** The record of a sticky queue, created on first use. */
  record(namespace: string, name: string): StickyQueueRecord {
    const key = `${namespace}/${name}`;
    let r = this.records.get(key);
    if (!r) {
      r = { lastPollMs: 0, shutDown: false, pending: new Set(), pendingQueries: new Set() };
      this.records.set(key, r);
    }
    return r;
  }

  /** The record of a sticky queue, if the server knows it. */
  find(namespace: string, name: string): StickyQueueRecord | undefined {
    return this.records.get(`${namespace}/${name}`);
  }

  /** Forgets a sticky queue (long unpolled, nothing waiting). */
  forget(namespace: string, name: string): void {
    this.records.delete(`${namespace}/${name}`);
  }
}
