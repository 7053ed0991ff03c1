import type { CompiledVisibilityQuery } from './query/compile';
import type { VisibilityRecord } from './record';
import type { SearchAttributeValue } from './search-attribute-type';

/** One group of a `GROUP BY` count: the group's value (null when the attribute is unset) and its size. */
export interface VisibilityCountGroup {
  value: SearchAttributeValue | null;
  count: number;
}

/** Result of CountWorkflowExecutions: the total, and per-group counts when the query has GROUP BY. */
export interface VisibilityCount {
  count: number;
  groups: VisibilityCountGroup[];
}

/**
 * Counts the records matching a compiled query. With `GROUP BY ExecutionStatus` the groups carry status
 * names (`Running`, `Completed`...), largest group first, as Temporal's CountWorkflowExecutions reports
 * `groups[].groupValues`.
 */
export function countVisibilityRecords(
  records: Iterable<VisibilityRecord>,
  query: CompiledVisibilityQuery,
): VisibilityCount {
  const groupField = query.groupBy[0];
  const groups = new Map<SearchAttributeValue | null, number>();
  let count = 0;
  for (const record of records) {
    if (!query.matches(record)) continue;
    count++;
    if (groupField === undefined) continue;
    const value = groupField === 'ExecutionStatus' ? record.status : (record.searchAttributes[groupField] ?? null);
    groups.set(value, (groups.get(value) ?? 0) + 1);
  }
  return {
    count,
    groups: [...groups.entries()]
      .map(([value, n]) => ({ value, count: n }))
      .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value))),
  };
}
