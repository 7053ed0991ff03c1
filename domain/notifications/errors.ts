/**
 * Named errors of notification rendering. Messages name the field and the rule; they never repeat the
 * offending value, in case a caller put something it should not have into a field.
 */

/** The input to a notification email broke a rule (unknown field, bad case reference, bad date, …). */
export class InvalidNotificationError extends Error {
  override readonly name = 'InvalidNotificationError';
  /** One `field: rule` line per problem found. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid notification: ${problems.join('; ')}`);
    this.problems = problems;
  }
}
