/** Activities used by the conformance tests (they run in the test process). */
import { ApplicationFailure, CancelledFailure, CompleteAsyncError, Context } from '@temporalio/activity';

/** Returns a greeting for `name`. */
export async function echo(name: string): Promise<string> {
  return `hello ${name}`;
}

/** Scheduled time (server clock) of every attempt of `failTwice`, per workflow id. */
export const attemptTimes = new Map<string, number[]>();

/** Fails on attempts 1 and 2, succeeds on attempt 3; records each attempt's scheduled time. */
export async function failTwice(): Promise<number> {
  const info = Context.current().info;
  const workflowId = info.workflowExecution?.workflowId ?? '';
  const times = attemptTimes.get(workflowId) ?? [];
  times.push(info.currentAttemptScheduledTimestampMs);
  attemptTimes.set(workflowId, times);
  if (info.attempt < 3) throw new Error(`transient failure on attempt ${info.attempt}`);
  return info.attempt;
}

/** Always fails with a non-retryable application failure type. */
export async function failFatally(): Promise<never> {
  throw ApplicationFailure.create({ type: 'FatalReferralError', message: 'bad referral' });
}

/** Attempt 1 heartbeats `progress-1` then stops heartbeating; later attempts return the details they got. */
export async function heartbeatThenStall(): Promise<string> {
  const ctx = Context.current();
  if (ctx.info.attempt === 1) {
    ctx.heartbeat('progress-1');
    await ctx.sleep(4000).catch(() => undefined);
    return 'stalled attempt finished late';
  }
  return `attempt ${ctx.info.attempt} resumed from ${String(ctx.info.heartbeatDetails)}`;
}

/** Heartbeats until the workflow cancels it; reports cancellation as Temporal expects. */
export async function heartbeatUntilCancelled(): Promise<string> {
  const ctx = Context.current();
  for (;;) {
    ctx.heartbeat();
    try {
      await ctx.sleep(100);
    } catch (err) {
      if (err instanceof CancelledFailure) throw err;
      throw err;
    }
  }
}

/** A short local activity, keeping the workflow task open for a while. */
export async function slowLocal(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Leaves the activity open, to be completed from outside (async completion by activity id). */
export async function completeLater(): Promise<string> {
  throw new CompleteAsyncError();
}

/** Attempt 1 outlives any short start-to-close timeout (until cancelled); later attempts return their attempt number. */
export async function slowFirstAttempt(): Promise<number> {
  const ctx = Context.current();
  if (ctx.info.attempt === 1) await ctx.sleep(5000).catch(() => undefined);
  return ctx.info.attempt;
}

/** Runs until cancelled (or 5 s), never reporting a result in time for a short timeout. */
export async function neverInTime(): Promise<string> {
  await Context.current().sleep(5000).catch(() => undefined);
  return 'too late';
}
