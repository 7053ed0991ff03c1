/** Workflow queried at each point of its life: pending timer, pending activity, workflow task in flight, closed. */
import { condition, defineQuery, defineSignal, proxyActivities, proxyLocalActivities, setHandler, sleep } from '@temporalio/workflow';
import type * as activities from '../activities';

/** Where `queriedLifecycle` is waiting (what the `phase` query answers). */
export type LifecyclePhase = 'waiting-timer' | 'waiting-activity' | 'waiting-signal' | 'working' | 'waiting-last-timer' | 'done';

export const phaseQuery = defineQuery<{ phase: LifecyclePhase; activityResult: string }>('phase');
export const proceedSignal = defineSignal('proceed');

const { completeLater } = proxyActivities<typeof activities>({ startToCloseTimeout: '1 day' });
const { slowLocal } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '10s' });

/**
 * Timer (1 hour) → activity completed from outside → waits for `proceed` → slow local activity
 * (its workflow task stays open ~1.5 s) → timer (1 hour) → done. Answers `phase` throughout.
 */
export async function queriedLifecycle(): Promise<string> {
  let phase: LifecyclePhase = 'waiting-timer';
  let activityResult = '';
  let proceed = false;
  setHandler(phaseQuery, () => ({ phase, activityResult }));
  setHandler(proceedSignal, () => {
    proceed = true;
  });
  await sleep('1 hour');
  phase = 'waiting-activity';
  activityResult = await completeLater();
  phase = 'waiting-signal';
  await condition(() => proceed);
  phase = 'working';
  await slowLocal(1500);
  phase = 'waiting-last-timer';
  await sleep('1 hour');
  phase = 'done';
  return activityResult;
}
