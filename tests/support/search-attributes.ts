/** cpflow's search attributes as test servers register them (name → type name). */
import type { SearchAttributeType } from '@temporalio/common';
import { CPFLOW_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import type { SearchAttributeTypeName } from './temporal';

/** The type name `temporal operator search-attribute create --type` takes, from the SDK's key type. */
const TYPE_NAMES: Record<SearchAttributeType, SearchAttributeTypeName> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** Every search attribute a case workflow sets, by name, with its type name (for test environments and registries). */
export function cpflowSearchAttributeTypes(): Record<string, SearchAttributeTypeName> {
  return Object.fromEntries(CPFLOW_SEARCH_ATTRIBUTES.map((key) => [key.name, TYPE_NAMES[key.type]]));
}
