/** Basic workflows: activities, timers, long sleeps. */
import { proxyActivities, sleep } from '@temporalio/workflow';
import type * as activities from '../activities';

const { echo } = proxyActivities<typeof activities>({ startToCloseTimeout: '10s' });

/** Calls one activity and returns its result. */
export async function oneActivity(name: string): Promise<string> {
  return await echo(name);
}

/** Sleeps the given number of milliseconds, then returns the workflow clock before and after. */
export async function sleeper(ms: number): Promise<{ before: number; after: number }> {
  const before = Date.now();
  await sleep(ms);
  return { before, after: Date.now() };
}
