/**
 * Validates unknown data as a {@link ProcedurePolicy}. Pure: the caller reads the file (see
 * `config/policy-loader.ts`) and says where it came from so errors can name it.
 */
import { toFieldProblems } from '../case';
import { InvalidPolicyError } from './errors';
import { type ProcedurePolicy, ProcedurePolicySchema } from './schema';

/**
 * Validates a procedure policy.
 * @param source the file name (or other label) used to prefix every error line.
 * @throws InvalidPolicyError listing `source: field: rule` for every problem.
 */
export function parseProcedurePolicy(data: unknown, source: string): ProcedurePolicy {
  const result = ProcedurePolicySchema.safeParse(data);
  if (!result.success) throw new InvalidPolicyError(source, toFieldProblems(result.error.issues));
  return result.data;
}
