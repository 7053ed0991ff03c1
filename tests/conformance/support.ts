/** Small helpers shared by the conformance tests. */
import { setTimeout as delay } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

/** Polls `read` (real time, every 20 ms) until `done` holds for its value; fails after 10 s naming `what`. */
export async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(value)}`);
    await delay(20);
  }
}

/** The events of a workflow's history as fetched from the server. */
export async function historyEvents(handle: WorkflowHandle): Promise<temporal.api.history.v1.IHistoryEvent[]> {
  return (await handle.fetchHistory()).events ?? [];
}

/** The event types of a workflow's history, in order. */
export async function eventTypes(handle: WorkflowHandle): Promise<number[]> {
  return (await historyEvents(handle)).map((e) => Number(e.eventType));
}

/** Waits until the workflow's history contains an event of `type`. */
export async function untilEvent(handle: WorkflowHandle, type: number, what: string): Promise<void> {
  await eventually(what, () => eventTypes(handle), (types) => types.includes(type));
}
