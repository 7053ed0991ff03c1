/**
 * Named error for a refused policy. Each line names the file, the field path and the rule, e.g.
 * `pan-bedfordshire.json: steps[3].offset.workingDays: must be a positive integer`.
 */
import type { FieldProblem } from '../case';

/** A procedure policy was refused. */
export class InvalidPolicyError extends Error {
  override readonly name = 'InvalidPolicyError';
  /** The file (or other source) the policy came from. */
  readonly source: string;
  /** Every broken rule, each naming its field. */
  readonly problems: readonly FieldProblem[];

  constructor(source: string, problems: readonly FieldProblem[]) {
    super(problems.map((p) => `${source}: ${p.field === '' ? '(policy)' : p.field}: ${p.rule}`).join('\n'));
    this.source = source;
    this.problems = problems;
  }
}
