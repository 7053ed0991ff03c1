/**
 * The SDK floor under a case benchmark: a workflow that does nothing but what the Temporal SDK and server cost —
 * the same timers (its wake-ups, at the same virtual instants), the same local activities (no-ops, as many at each
 * wake-up as the case ran) and the same updates (accepted and counted) as a recorded case run. What a case costs
 * above it is cpflow's own.
 */
import { condition, defineUpdate, proxyLocalActivities, setHandler, sleep } from '@temporalio/workflow';
import type { FloorPlan } from './plan';

/** Accepts whatever a case's `recordEvent` update carries, under the same name. */
export const floorRecordEvent = defineUpdate<number, [unknown]>('recordEvent');

const { floorNoop } = proxyLocalActivities<{ floorNoop(): Promise<void> }>({ startToCloseTimeout: '1 minute' });

/** Wakes at each planned instant, runs that wake-up's local activities, and ends once every update arrived. */
export async function floorWorkflow(plan: FloorPlan): Promise<void> {
  let updates = 0;
  setHandler(floorRecordEvent, () => (updates += 1));
  for (const wake of plan.wakes) {
    const wait = wake.at - Date.now();
    if (wait > 0) await sleep(wait);
    for (let i = 0; i < wake.localActivities; i += 1) await floorNoop();
  }
  await condition(() => updates >= plan.updates);
}
