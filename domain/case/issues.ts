/**
 * Turns zod issues into plain "field: rule" lines, e.g. `steps[3].offset.workingDays: must be a positive
 * integer`. Values are never echoed back, so an error message cannot leak a child's data.
 */
import type { z } from 'zod';

/** One broken rule: where (a field path) and what (the rule). */
export interface FieldProblem {
  /** Dotted path with [index] for arrays, e.g. `steps[3].offset.workingDays`; '' for the whole value. */
  readonly field: string;
  /** The rule that was broken, in plain words. */
  readonly rule: string;
}

/** Formats a zod issue path as `a.b[3].c`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Converts zod issues into {@link FieldProblem}s, prefixing each path with `prefix` when given. */
export function toFieldProblems(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): FieldProblem[] {
  return issues.flatMap((issue): FieldProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      // The unknown fields are counted, not named: a field's name is the sender's text (it could be a child's name).
      const n = issue.keys.length;
      return [
        {
          field: formatFieldPath([...prefix, ...issue.path]),
          rule: `has ${n === 1 ? 'a field' : `${n} fields`} that ${n === 1 ? 'is' : 'are'} not part of it`,
        },
      ];
    }
    return [{ field: formatFieldPath([...prefix, ...issue.path]), rule: issue.message }];
  });
}

/** Renders problems one per line as `field: rule`. */
export function describeProblems(problems: readonly FieldProblem[]): string {
  return problems.map((p) => (p.field === '' ? p.rule : `${p.field}: ${p.rule}`)).join('\n');
}
