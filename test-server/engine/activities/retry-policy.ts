/**
 * Activity retry decisions, following Temporal's rules: exponential backoff from the retry
 * policy, maximum attempts, non-retryable failure types, explicit `nextRetryDelay`, and the
 * schedule-to-close deadline.
 */
import { durationToMs, msToDuration, temporal, type SecondsNanos } from '../../proto';

const RetryState = temporal.api.enums.v1.RetryState;

/** A retry policy with Temporal's defaults filled in (times in ms). */
export interface EffectiveRetryPolicy {
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  maximumAttempts: number;
  nonRetryableErrorTypes: string[];
}

/** Retry policy as found in commands and requests. */
export interface RetryPolicyInput {
  initialInterval?: SecondsNanos | null;
  backoffCoefficient?: number | null;
  maximumInterval?: SecondsNanos | null;
  maximumAttempts?: number | null;
  nonRetryableErrorTypes?: string[] | null;
}

/** Fills Temporal's defaults: 1 s initial interval, coefficient 2, max 100× initial, unlimited attempts. */
export function effectiveRetryPolicy(policy: RetryPolicyInput | null | undefined): EffectiveRetryPolicy {
  const initialIntervalMs = durationToMs(policy?.initialInterval) || 1000;
  return {
    initialIntervalMs,
    backoffCoefficient: policy?.backoffCoefficient || 2,
    maximumIntervalMs: durationToMs(policy?.maximumInterval) || initialIntervalMs * 100,
    maximumAttempts: policy?.maximumAttempts ?? 0,
    nonRetryableErrorTypes: policy?.nonRetryableErrorTypes ?? [],
  };
}

/** Converts an effective policy back to the proto shape (as written into history). */
export function retryPolicyToProto(p: EffectiveRetryPolicy): Record<string, unknown> {
  return {
    initialInterval: msToDuration(p.initialIntervalMs),
    backoffCoefficient: p.backoffCoefficient,
    maximumInterval: msToDuration(p.maximumIntervalMs),
    maximumAttempts: p.maximumAttempts,
    nonRetryableErrorTypes: p.nonRetryableErrorTypes,
  };
}

/** The failure fields that influence retrying. */
export interface RetryableFailure {
  applicationFailureInfo?: { type?: string | null; nonRetryable?: boolean | null; nextRetryDelay?: SecondsNanos | null } | null;
  timeoutFailureInfo?: { timeoutType?: number | null } | null;
}

/** Outcome of a retry decision. */
export type RetryDecision = { retry: true; backoffMs: number } | { retry: false; retryState: number };

/**
 * Decides whether the failed `attempt` (1-based) is retried.
 * @param deadlineMs absolute schedule-to-close deadline (0 = none)
 */
export function decideRetry(
  policy: EffectiveRetryPolicy,
  attempt: number,
  failure: RetryableFailure,
  nowMs: number,
  deadlineMs: number,
): RetryDecision {
  const app = failure.applicationFailureInfo;
  if (app?.nonRetryable || (app?.type && policy.nonRetryableErrorTypes.includes(app.type))) {
    return { retry: false, retryState: RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE };
  }
  if (policy.maximumAttempts > 0 && attempt >= policy.maximumAttempts) {
    return { retry: false, retryState: RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED };
  }
  const explicitDelay = durationToMs(app?.nextRetryDelay);
  const backoffMs =
    explicitDelay > 0
      ? explicitDelay
      : Math.min(policy.initialIntervalMs * Math.pow(policy.backoffCoefficient, attempt - 1), policy.maximumIntervalMs);
  if (deadlineMs > 0 && nowMs + backoffMs >= deadlineMs) {
    return { retry: false, retryState: RetryState.RETRY_STATE_TIMEOUT };
  }
  return { retry: true, backoffMs };
}
