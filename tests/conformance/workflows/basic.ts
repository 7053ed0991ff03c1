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

/** Sleeps `weeks` times one week (reminder-style loop), returning elapsed workflow time. */
export async function weeklyTimers(weeks: number): Promise<number> {
  const start = Date.now();
  for (let i = 0; i < weeks; i++) await sleep('7 days');
  return Date.now() - start;
}

/** Runs `n` activities and `n` timers interleaved. */
export async function activitiesAndTimers(n: number): Promise<number> {
  let done = 0;
  for (let i = 0; i < n; i++) {
    await echo(`step-${i}`);
    await sleep('1 day');
    done++;
  }
  return done;
}

/** Runs `completeLater` (completed asynchronously by the test) and returns its result. */
export async function asyncCompleted(): Promise<string> {
  const { completeLater } = proxyActivities<typeof activities>({ startToCloseTimeout: '1 hour', heartbeatTimeout: '10 minutes' });
  return await completeLater();
}
