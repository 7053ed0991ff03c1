/** Workflows exercising activity retries, timeouts and cancellation. */
import { ActivityFailure, CancellationScope, isCancellation, proxyActivities, sleep } from '@temporalio/workflow';
import type * as activities from '../activities';

const retrying = proxyActivities<typeof activities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 5 },
});

/** Runs an activity that fails twice before succeeding; returns the attempt that succeeded. */
export async function retryUntilSuccess(): Promise<number> {
  return await retrying.failTwice();
}

const fatal = proxyActivities<typeof activities>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 10, nonRetryableErrorTypes: ['FatalReferralError'] },
});

/** Runs an activity failing with a non-retryable type; returns the failure type seen. */
export async function nonRetryableFailure(): Promise<string> {
  try {
    await fatal.failFatally();
    return 'unexpected success';
  } catch (err) {
    if (err instanceof ActivityFailure) return `${err.cause?.name}:${(err.cause as { type?: string })?.type}`;
    throw err;
  }
}

/** Heartbeat timeout with a retry: attempt 2 sees attempt 1's heartbeat details. */
export async function heartbeatTimeoutRetried(): Promise<string> {
  const { heartbeatThenStall } = proxyActivities<typeof activities>({
    startToCloseTimeout: '30s',
    heartbeatTimeout: '1s',
    retry: { initialInterval: '1s', maximumAttempts: 2 },
  });
  return await heartbeatThenStall();
}

/** Heartbeat timeout without retries: returns the timeout type reported to the workflow. */
export async function heartbeatTimeoutFinal(): Promise<string> {
  const { heartbeatThenStall } = proxyActivities<typeof activities>({
    startToCloseTimeout: '30s',
    heartbeatTimeout: '1s',
    retry: { maximumAttempts: 1 },
  });
  try {
    await heartbeatThenStall();
    return 'unexpected success';
  } catch (err) {
    if (err instanceof ActivityFailure) return `${err.cause?.name}:${String((err.cause as { timeoutType?: unknown })?.timeoutType)}`;
    throw err;
  }
}

/** Starts a heartbeating activity, cancels it after a second, waits for the cancellation to be confirmed. */
export async function cancelRunningActivity(): Promise<string> {
  const { heartbeatUntilCancelled } = proxyActivities<typeof activities>({
    startToCloseTimeout: '60s',
    heartbeatTimeout: '1s',
    cancellationType: 'WAIT_CANCELLATION_COMPLETED',
  });
  try {
    await CancellationScope.cancellable(async () => {
      const p = heartbeatUntilCancelled();
      await sleep('1s');
      CancellationScope.current().cancel();
      await p;
    });
    return 'not cancelled';
  } catch (err) {
    return isCancellation(err) ? 'cancelled' : `unexpected ${String(err)}`;
  }
}
