/**
 * Registers cpflow's custom search attributes with a Temporal namespace, so case workflows can upsert them
 * and managers can filter by them. Idempotent: attributes already registered with the same type are left
 * alone; one registered with a different type is an error naming it.
 */
import { isGrpcServiceError } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { temporal } from '@temporalio/proto';
import { CPFLOW_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

const INDEXED_VALUE_TYPES: Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType> = {
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** The indexed value type Temporal's OperatorService takes for a search attribute key. */
export function indexedValueTypeOf(
  key: SearchAttributeKey<SearchAttributeType>,
): temporal.api.enums.v1.IndexedValueType {
  return INDEXED_VALUE_TYPES[key.type];
}

/** gRPC status ALREADY_EXISTS. */
const ALREADY_EXISTS = 6;

/** A search attribute exists in the namespace with another type than cpflow needs. */
export class SearchAttributeConflictError extends Error {
  override readonly name = 'SearchAttributeConflictError';
}

/** The part of a Temporal connection this needs (client `Connection` and worker `NativeConnection` both fit). */
export interface OperatorConnection {
  readonly operatorService: {
    listSearchAttributes(
      request: temporal.api.operatorservice.v1.IListSearchAttributesRequest,
    ): Promise<temporal.api.operatorservice.v1.IListSearchAttributesResponse>;
    addSearchAttributes(
      request: temporal.api.operatorservice.v1.IAddSearchAttributesRequest,
    ): Promise<temporal.api.operatorservice.v1.IAddSearchAttributesResponse>;
  };
}

/** What {@link registerSearchAttributes} did. */
export interface SearchAttributeRegistration {
  /** Names newly added to the namespace. */
  readonly added: string[];
  /** Names that were already registered with the right type. */
  readonly existing: string[];
}

/**
 * Ensures every key (default: all cpflow search attributes) is registered in the namespace with its type.
 * Throws {@link SearchAttributeConflictError} if a name is taken with another type.
 */
export async function registerSearchAttributes(
  connection: OperatorConnection,
  namespace: string,
  keys: readonly SearchAttributeKey<SearchAttributeType>[] = CPFLOW_SEARCH_ATTRIBUTES,
): Promise<SearchAttributeRegistration> {
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  const known: Record<string, temporal.api.enums.v1.IndexedValueType> = {
    ...(listed.systemAttributes ?? {}),
    ...(listed.customAttributes ?? {}),
  };
  const added: string[] = [];
  const existing: string[] = [];
  const missing: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
  for (const key of keys) {
    const wanted = indexedValueTypeOf(key);
    const current = known[key.name];
    if (current === undefined) {
      missing[key.name] = wanted;
      added.push(key.name);
    } else if (current !== wanted) {
      throw new SearchAttributeConflictError(
        `search attribute ${key.name} is registered in namespace ${namespace} as ${IndexedValueType[current]}, ` +
          `but cpflow needs ${IndexedValueType[wanted]}; remove or rename it`,
      );
    } else {
      existing.push(key.name);
    }
  }
  if (added.length > 0) {
    try {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
    } catch (err) {
      // Another worker registered them between our list and add: that is the state we want.
      if (!(isGrpcServiceError(err) && err.code === ALREADY_EXISTS)) throw err;
    }
  }
  return { added, existing };
}

/**
 * Adds the keys to the namespace without listing first: for Temporal's time-skipping test server, which answers
 * AddSearchAttributes but not ListSearchAttributes, and always starts empty.
 */
export async function addSearchAttributes(
  connection: OperatorConnection,
  namespace: string,
  keys: readonly SearchAttributeKey<SearchAttributeType>[] = CPFLOW_SEARCH_ATTRIBUTES,
): Promise<void> {
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(keys.map((key) => [key.name, indexedValueTypeOf(key)])),
  });
}
