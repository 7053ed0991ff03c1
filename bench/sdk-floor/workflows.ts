/** The smallest long-lived workflow: wakes `wakes` times over 90 days and holds nothing (bench/sdk-floor.ts). */
import { sleep } from '@temporalio/workflow';

/** Sleeps 90 days in `wakes` timers. */
export async function floorWorkflow(wakes: number): Promise<void> {
  for (let i = 0; i < wakes; i += 1) await sleep(`${Math.floor(90 / wakes)} days`);
}
