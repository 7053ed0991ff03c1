import { InvalidSearchAttributeValueError, VisibilityInputError } from './errors';
import type { PayloadLike } from './payload-codec';

/** Temporal's default frontend limits on the search attributes of one request (dynamic config defaults). */
export const SEARCH_ATTRIBUTE_LIMITS = {
  /** frontend.searchAttributesNumberOfKeysLimit */
  numberOfKeys: 100,
  /** frontend.searchAttributesSizeOfValueLimit (bytes of one payload's data) */
  sizeOfValue: 2 * 1024,
  /** frontend.searchAttributesTotalSizeLimit (bytes of the whole map) */
  totalSize: 40 * 1024,
} as const;

/** Too many search attributes, or too large, in one request. */
export class SearchAttributeLimitError extends VisibilityInputError {}

/**
 * Checks the search attributes of a start / upsert request against Temporal's default limits (100 keys,
 * 2 KiB per value, 40 KiB in total), with Temporal's messages. Call it on the request's `indexedFields`
 * (not on a workflow's accumulated attributes). Throws {@link SearchAttributeLimitError} or, for one
 * oversized value, {@link InvalidSearchAttributeValueError} naming the attribute.
 */
export function checkSearchAttributeLimits(
  indexedFields: Record<string, PayloadLike | null | undefined> | null | undefined,
): void {
  if (indexedFields === null || indexedFields === undefined) return;
  const entries = Object.entries(indexedFields);
  if (entries.length > SEARCH_ATTRIBUTE_LIMITS.numberOfKeys) {
    throw new SearchAttributeLimitError(
      `number of search attributes ${entries.length} exceeds limit ${SEARCH_ATTRIBUTE_LIMITS.numberOfKeys}`,
    );
  }
  let total = 0;
  for (const [name, payload] of entries) {
    const dataSize = payload?.data?.length ?? 0;
    if (dataSize > SEARCH_ATTRIBUTE_LIMITS.sizeOfValue) {
      throw new InvalidSearchAttributeValueError(
        name,
        `search attribute ${name} value size ${dataSize} exceeds size limit ${SEARCH_ATTRIBUTE_LIMITS.sizeOfValue}`,
      );
    }
    total += Buffer.byteLength(name) + dataSize;
    for (const [key, value] of Object.entries(payload?.metadata ?? {})) {
      total += Buffer.byteLength(key) + (value?.length ?? 0);
    }
  }
  if (total > SEARCH_ATTRIBUTE_LIMITS.totalSize) {
    throw new SearchAttributeLimitError(
      `total size of search attributes ${total} exceeds size limit ${SEARCH_ATTRIBUTE_LIMITS.totalSize}`,
    );
  }
}
