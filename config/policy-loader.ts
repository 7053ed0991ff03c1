/**
 * The I/O side of procedure policies: finds a policy by name (`config/policies/<name>.json`) or by path,
 * reads it, and validates it with the pure `parseProcedurePolicy`. Every error names the file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InvalidPolicyError, parseProcedurePolicy, type ProcedurePolicy } from '../domain/policy';
import { DEFAULT_POLICY_NAME, POLICIES_DIR } from './locations';

export { DEFAULT_POLICY_NAME, POLICIES_DIR };

/** No policy file exists under the given name or path. */
export class PolicyNotFoundError extends Error {
  override readonly name = 'PolicyNotFoundError';
  constructor(nameOrPath: string, known: readonly string[]) {
    super(`unknown policy '${nameOrPath}': no such file (known policies: ${known.join(', ') || 'none'})`);
  }
}

/** Names of the policies shipped in `config/policies/`. */
export function listPolicyNames(): string[] {
  return readdirSync(POLICIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** True when `nameOrPath` looks like a file path rather than a policy name. */
function isPath(nameOrPath: string): boolean {
  return nameOrPath.includes('/') || nameOrPath.includes('\\') || nameOrPath.endsWith('.json');
}

/**
 * Loads and validates a policy given by name (e.g. `pan-bedfordshire`) or by path to a JSON file.
 * A named policy's `id` must match its file name.
 * @throws PolicyNotFoundError when no such file exists; InvalidPolicyError (naming the file, field and rule)
 * when the file is not valid JSON or breaks a rule of the policy schema.
 */
export function loadPolicy(nameOrPath: string = DEFAULT_POLICY_NAME): ProcedurePolicy {
  const byName = !isPath(nameOrPath);
  if (byName && !/^[a-z][a-z0-9-]*$/.test(nameOrPath)) {
    throw new PolicyNotFoundError(nameOrPath, listPolicyNames());
  }
  const file = byName ? join(POLICIES_DIR, `${nameOrPath}.json`) : resolve(nameOrPath);
  if (!existsSync(file)) throw new PolicyNotFoundError(nameOrPath, listPolicyNames());
  const label = basename(file);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // Not the parser's message: it quotes the file (a policy path pointed at any other file would print it).
    throw new InvalidPolicyError(label, [{ field: '', rule: 'is not valid JSON' }]);
  }
  const policy = parseProcedurePolicy(data, label);
  if (byName && policy.id !== nameOrPath) {
    throw new InvalidPolicyError(label, [{ field: 'id', rule: `must match the file name (${nameOrPath})` }]);
  }
  return policy;
}
