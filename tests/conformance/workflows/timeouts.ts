/** Workflows exercising activity start-to-close and schedule-to-close timeouts. */
import { ActivityFailure, TimeoutFailure, proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities';

/** What a workflow saw of an activity that timed out. */
export interface ActivityTimeoutSeen {
  failure: string;
  timeoutType: string;
}

function describeTimeout(err: unknown): ActivityTimeoutSeen {
  if (!(err instanceof ActivityFailure)) throw err;
  const cause = err.cause;
  return {
    failure: cause?.name ?? 'none',
    timeoutType: cause instanceof TimeoutFailure ? String(cause.timeoutType) : 'none',
  };
}

/** Start-to-close 500 ms with retries: attempt 1 times out, attempt 2 succeeds; returns the attempt. */
export async function startToCloseRetried(): Promise<number> {
  const { slowFirstAttempt } = proxyActivities<typeof activities>({
    startToCloseTimeout: '500ms',
    retry: { initialInterval: '1s', maximumAttempts: 3 },
  });
  return await slowFirstAttempt();
}

/** Start-to-close 500 ms, one attempt: returns the timeout the workflow sees. */
export async function startToCloseFinal(): Promise<ActivityTimeoutSeen> {
  const { neverInTime } = proxyActivities<typeof activities>({ startToCloseTimeout: '500ms', retry: { maximumAttempts: 1 } });
  try {
    await neverInTime();
    return { failure: 'unexpected success', timeoutType: 'none' };
  } catch (err) {
    return describeTimeout(err);
  }
}

/** Schedule-to-close 1 s (retries allowed): returns the timeout the workflow sees. */
export async function scheduleToCloseExpires(): Promise<ActivityTimeoutSeen> {
  const { neverInTime } = proxyActivities<typeof activities>({ scheduleToCloseTimeout: '1s' });
  try {
    await neverInTime();
    return { failure: 'unexpected success', timeoutType: 'none' };
  } catch (err) {
    return describeTimeout(err);
  }
}
