/**
 * Named errors of the case model. Messages name the field and the rule, never the value.
 */
import { describeProblems, type FieldProblem } from './issues';

/** A referral failed validation. */
export class InvalidReferralError extends Error {
  override readonly name = 'InvalidReferralError';
  /** Every broken rule, each naming its field. */
  readonly problems: readonly FieldProblem[];

  constructor(problems: readonly FieldProblem[]) {
    super(`invalid referral:\n${describeProblems(problems)}`);
    this.problems = problems;
  }
}

/** A case event failed validation. */
export class InvalidCaseEventError extends Error {
  override readonly name = 'InvalidCaseEventError';
  /** Every broken rule, each naming its field. */
  readonly problems: readonly FieldProblem[];

  constructor(problems: readonly FieldProblem[]) {
    super(`invalid case event:\n${describeProblems(problems)}`);
    this.problems = problems;
  }
}
