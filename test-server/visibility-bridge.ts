/**
 * The single place the server imports the visibility module from (query language, search
 * attribute registry, payload decoding, ordering and counting).
 */
export {
  SearchAttributeRegistry,
  decodeSearchAttributes,
  readStoredSearchAttributes,
  compileVisibilityQuery,
  sortVisibilityRecords,
  countVisibilityRecords,
  encodeSearchAttributeValue,
  InvalidVisibilityQueryError,
  VisibilityInputError,
  type VisibilityRecord,
  type SearchAttributeValues,
} from './visibility';
