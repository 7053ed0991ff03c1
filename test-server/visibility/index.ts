/**
 * Visibility for the cpflow test server: search attribute registry and payload codec, and the List Filter
 * (visibility query) compiler used by ListWorkflowExecutions / CountWorkflowExecutions.
 * Semantics follow Temporal's SQLite visibility store (the dev server's); see README.md in this folder.
 */
export {
  VisibilityInputError,
  InvalidVisibilityQueryError,
  UnknownSearchAttributeError,
  InvalidSearchAttributeValueError,
  SearchAttributeRegistrationError,
} from './errors';
export {
  SEARCH_ATTRIBUTE_TYPES,
  indexedValueTypeNumber,
  parseSearchAttributeType,
  type SearchAttributeTypeName,
  type SearchAttributeValue,
  type SearchAttributeValues,
} from './search-attribute-type';
export {
  SearchAttributeRegistry,
  type SearchAttributeCategory,
  type SearchAttributeDefinition,
  type SearchAttributeListing,
} from './registry';
export {
  decodeSearchAttributes,
  decodeSearchAttributePayload,
  encodeSearchAttributes,
  encodeSearchAttributeValue,
  mergeSearchAttributes,
  type DecodePayloadOptions,
  type PayloadLike,
  type EncodedPayload,
  type SearchAttributeUpdate,
} from './payload-codec';
export { checkSearchAttributeLimits, SearchAttributeLimitError, SEARCH_ATTRIBUTE_LIMITS } from './limits';
export { readStoredSearchAttributes } from './stored-search-attributes';
export { parseRfc3339, formatDatetime } from './datetime';
export {
  EXECUTION_STATUS_NAMES,
  executionStatusNumber,
  executionStatusFromNumber,
  type ExecutionStatusName,
  type VisibilityRecord,
} from './record';
export { compileVisibilityQuery, type CompiledVisibilityQuery, type OrderByItem } from './query/compile';
export {
  defaultVisibilityOrder,
  visibilityRecordComparator,
  sortVisibilityRecords,
  type VisibilityRecordComparator,
} from './ordering';
export { countVisibilityRecords, type VisibilityCount, type VisibilityCountGroup } from './count';
