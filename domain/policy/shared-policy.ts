/**
 * One copy of each distinct procedure policy, shared by every case of a worker and frozen (see
 * domain/interning). Sharing also shares what the planner memoises per policy.
 */
import { ContentInterner, deepFreeze } from '../interning';
import type { ProcedurePolicy } from './schema';

const policies = new ContentInterner<ProcedurePolicy, ProcedurePolicy>((_policy, json) =>
  deepFreeze(JSON.parse(json) as ProcedurePolicy),
);

/** The worker's shared, frozen copy of `policy` (equal content gives the same object). */
export function sharedPolicy(policy: ProcedurePolicy): ProcedurePolicy {
  return policies.intern(policy);
}
