/** Workflows exercising workflow-task semantics: buffered signals, task timeouts, cancellation cleanup, memo removal. */
import {
  CancellationScope,
  condition,
  defineSignal,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertMemo,
} from '@temporalio/workflow';
import type * as activities from '../activities';

export const noteSignal = defineSignal<[string]>('note');

const { slowLocal } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '10s' });
const { echo } = proxyActivities<typeof activities>({ startToCloseTimeout: '10s' });

/** Keeps its first workflow task open (1.5 s local activity), then returns the first `count` notes it got. */
export async function notesAfterBusyTask(count: number): Promise<string[]> {
  const notes: string[] = [];
  setHandler(noteSignal, (n) => {
    notes.push(n);
  });
  await slowLocal(1500);
  const seenDuringTask = notes.length;
  await condition(() => notes.length >= count);
  return [`seen during the busy task: ${seenDuringTask}`, ...notes];
}

/** Returns `n * 2` (used for the workflow task timeout test). */
export async function twice(n: number): Promise<number> {
  return n * 2;
}

/** Sleeps a day; on cancellation runs a cleanup activity (not cancellable) and rethrows. */
export async function cancellableWithCleanup(): Promise<string> {
  try {
    await sleep('1 day');
    return 'slept';
  } catch (err) {
    if (!isCancellation(err)) throw err;
    await CancellationScope.nonCancellable(() => echo('cleanup'));
    throw err;
  }
}

/** Sets two memo fields, removes one, then waits a day. */
export async function memoEditor(): Promise<void> {
  upsertMemo({ caseRef: 'C-0003', note: 'temporary' });
  await sleep('1 hour');
  upsertMemo({ note: undefined, stage: 'assessment' });
  await sleep('1 day');
}
