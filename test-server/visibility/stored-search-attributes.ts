import { VisibilityInputError } from './errors';
import { decodeSearchAttributePayload, type PayloadLike } from './payload-codec';
import type { SearchAttributeRegistry } from './registry';
import type { SearchAttributeTypeName, SearchAttributeValue, SearchAttributeValues } from './search-attribute-type';

/** Decoded value of a payload, remembered per payload object and per registered type. */
const decodedPayloads = new WeakMap<object, { type: SearchAttributeTypeName; value: SearchAttributeValue | null }>();

/**
 * Reads the search attributes a server keeps as raw payloads (already validated when they were set) into
 * typed values for a `VisibilityRecord`, for every List/Count call. Never throws: unset values and
 * attributes that are no longer registered, or whose stored value no longer fits the registered type
 * (removed and re-registered with another type), are left out. Each payload object is decoded once and
 * remembered (weakly), so listing 10,000 runs again and again stays cheap.
 */
export function readStoredSearchAttributes(
  indexedFields: Record<string, PayloadLike | null | undefined> | null | undefined,
  registry: SearchAttributeRegistry,
): SearchAttributeValues {
  const values: SearchAttributeValues = {};
  if (indexedFields === null || indexedFields === undefined) return values;
  for (const [name, payload] of Object.entries(indexedFields)) {
    const type = registry.typeOf(name);
    if (type === undefined || payload === null || payload === undefined) continue;
    let cached = decodedPayloads.get(payload);
    if (cached === undefined || cached.type !== type) {
      cached = { type, value: decodeLeniently(name, payload, registry) };
      decodedPayloads.set(payload, cached);
    }
    if (cached.value !== null) values[name] = cached.value;
  }
  return values;
}

function decodeLeniently(
  name: string,
  payload: PayloadLike,
  registry: SearchAttributeRegistry,
): SearchAttributeValue | null {
  try {
    return decodeSearchAttributePayload(name, payload, registry, { allowServerManaged: true });
  } catch (error) {
    if (error instanceof VisibilityInputError) return null;
    throw error;
  }
}
