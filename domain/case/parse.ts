/**
 * Parsing entry points: validate unknown input into a {@link Referral} or {@link CaseEvent}, or throw a named
 * error listing every field and rule broken.
 */
import { InvalidCaseEventError, InvalidReferralError } from './errors';
import { type CaseEvent, CaseEventSchema } from './events';
import { toFieldProblems } from './issues';
import { type Referral, ReferralSchema } from './referral';

/**
 * Validates a referral.
 * @throws InvalidReferralError naming each bad field and its rule.
 */
export function parseReferral(input: unknown): Referral {
  const result = ReferralSchema.safeParse(input);
  if (!result.success) throw new InvalidReferralError(toFieldProblems(result.error.issues));
  return result.data;
}

/**
 * Validates one case event.
 * @throws InvalidCaseEventError naming each bad field and its rule.
 */
export function parseCaseEvent(input: unknown): CaseEvent {
  const result = CaseEventSchema.safeParse(input);
  if (!result.success) throw new InvalidCaseEventError(toFieldProblems(result.error.issues));
  return result.data;
}
