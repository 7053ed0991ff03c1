/** Workflows exercising signals, queries, updates (with validators) and cancellation. */
import {
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  proxyLocalActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type * as activities from '../activities';

export const incrementSignal = defineSignal<[number]>('increment');
export const finishSignal = defineSignal('finish');
export const pushSignal = defineSignal<[string]>('push');
export const countQuery = defineQuery<number>('count');
export const addUpdate = defineUpdate<number, [number]>('add');

/** Counter driven by signals and validated updates; completes on `finish` with the final count. */
export async function counter(): Promise<number> {
  let count = 0;
  let finished = false;
  setHandler(incrementSignal, (n) => {
    count += n;
  });
  setHandler(finishSignal, () => {
    finished = true;
  });
  setHandler(countQuery, () => count);
  setHandler(
    addUpdate,
    async (n) => {
      await sleep('1 hour');
      count += n;
      return count;
    },
    {
      validator: (n) => {
        if (!Number.isInteger(n) || n <= 0) throw new Error(`add: amount must be a positive integer, got ${n}`);
      },
    },
  );
  await condition(() => finished);
  return count;
}

const { slowLocal } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '10s' });

/** Collects `push` signals; on `finish` runs a slow local activity (keeping its task open) and returns what it got. */
export async function collectUntilFinish(): Promise<string[]> {
  const received: string[] = [];
  let finished = false;
  setHandler(pushSignal, (v) => {
    received.push(v);
  });
  setHandler(finishSignal, () => {
    finished = true;
  });
  await condition(() => finished);
  await slowLocal(1500);
  return received;
}

export const approveSignal = defineSignal('approve');

/** Waits up to 7 days for approval (a timer raced by a signal); escalates when the deadline passes. */
export async function awaitApproval(): Promise<'approved' | 'escalated'> {
  let approved = false;
  setHandler(approveSignal, () => {
    approved = true;
  });
  return (await condition(() => approved, '7 days')) ? 'approved' : 'escalated';
}
