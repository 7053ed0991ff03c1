/**
 * Search attributes and memo of a run: validation of client-set search attributes against the
 * namespace's registry, and upserts (an empty payload removes the field).
 */
import { InvalidArgumentError } from '../errors';
import type { ProtoObject } from '../proto';
import { VisibilityInputError, decodeSearchAttributes } from '../visibility-bridge';
import type { NamespaceRecord } from './state';
import { obj } from './request-fields';

/**
 * The indexed fields of a SearchAttributes message, checked: every name registered and settable
 * by clients, every value of its registered type. INVALID_ARGUMENT names the rule broken.
 */
export function validateSearchAttributes(ns: NamespaceRecord, sa: unknown): Record<string, ProtoObject> {
  const fields = (obj(sa).indexedFields ?? {}) as Record<string, ProtoObject>;
  for (const name of Object.keys(fields)) {
    if (!ns.registry.isSettableByClient(name)) {
      throw new InvalidArgumentError(`searchAttributes: Namespace ${ns.name} has no mapping defined for search attribute ${name}`);
    }
  }
  try {
    decodeSearchAttributes(fields, ns.registry);
  } catch (err) {
    if (err instanceof VisibilityInputError) throw new InvalidArgumentError(`searchAttributes: ${err.message}`);
    throw err;
  }
  return { ...fields };
}

/** The fields of a Memo message (none when it is absent). */
export function memoFields(memo: unknown): Record<string, ProtoObject> {
  return (obj(memo).fields ?? {}) as Record<string, ProtoObject>;
}

/** Whether an upserted payload clears its field (no data, JSON `null` or `[]`). */
function isEmptyPayload(p: ProtoObject): boolean {
  const data = p.data as Uint8Array | undefined;
  if (!data || data.length === 0) return true;
  const text = Buffer.from(data).toString('utf8');
  return text === 'null' || text === '[]';
}

/** Applies upserted fields to a run's memo or search attributes: empty payloads remove their field. */
export function upsertFields(target: Record<string, ProtoObject>, upserted: Record<string, ProtoObject>): void {
  for (const [k, v] of Object.entries(upserted)) {
    if (isEmptyPayload(v)) delete target[k];
    else target[k] = v;
  }
}
