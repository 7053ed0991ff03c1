/**
 * Search attribute types, named as Temporal names them in payload metadata (`type`) and in
 * `temporal operator search-attribute create --type`.
 */
export const SEARCH_ATTRIBUTE_TYPES = ['Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'] as const;

/** One of Temporal's indexed value types. */
export type SearchAttributeTypeName = (typeof SEARCH_ATTRIBUTE_TYPES)[number];

/**
 * A decoded search attribute value: Keyword/Text → string, Int/Double → number, Bool → boolean,
 * Datetime → epoch milliseconds (number), KeywordList → string[].
 */
export type SearchAttributeValue = string | number | boolean | string[];

/** Typed values of one workflow's search attributes, keyed by attribute name. */
export type SearchAttributeValues = Record<string, SearchAttributeValue>;

/** `temporal.api.enums.v1.IndexedValueType` numbers. */
const INDEXED_VALUE_TYPE_NUMBER: Record<SearchAttributeTypeName, number> = {
  Text: 1,
  Keyword: 2,
  Int: 3,
  Double: 4,
  Bool: 5,
  Datetime: 6,
  KeywordList: 7,
};

const SCREAMING_NAME: Record<SearchAttributeTypeName, string> = {
  Text: 'TEXT',
  Keyword: 'KEYWORD',
  Int: 'INT',
  Double: 'DOUBLE',
  Bool: 'BOOL',
  Datetime: 'DATETIME',
  KeywordList: 'KEYWORD_LIST',
};

/** The `IndexedValueType` enum number of a type (for OperatorService.ListSearchAttributes). */
export function indexedValueTypeNumber(type: SearchAttributeTypeName): number {
  return INDEXED_VALUE_TYPE_NUMBER[type];
}

/**
 * Reads a type however a client spells it: `Keyword`, `KEYWORD`, `INDEXED_VALUE_TYPE_KEYWORD` or the enum
 * number 2 (as proto-loader / protobufjs deliver `IndexedValueType`). Returns undefined for anything else
 * (including UNSPECIFIED).
 */
export function parseSearchAttributeType(input: unknown): SearchAttributeTypeName | undefined {
  if (typeof input === 'number') {
    return SEARCH_ATTRIBUTE_TYPES.find((t) => INDEXED_VALUE_TYPE_NUMBER[t] === input);
  }
  if (typeof input !== 'string') return undefined;
  const bare = input.startsWith('INDEXED_VALUE_TYPE_') ? input.slice('INDEXED_VALUE_TYPE_'.length) : input;
  return SEARCH_ATTRIBUTE_TYPES.find((t) => t === bare || SCREAMING_NAME[t] === bare);
}
