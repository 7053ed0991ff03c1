import type { OrderByItem } from './query/compile';
import { resolveField, type FieldAccessor } from './query/fields';
import type { VisibilityRecord } from './record';
import type { SearchAttributeRegistry } from './registry';

/** Comparator of visibility records, for `Array.prototype.sort`. */
export type VisibilityRecordComparator = (a: VisibilityRecord, b: VisibilityRecord) => number;

/**
 * Temporal's default List order (SQL stores): open executions first, then by close time, newest first
 * (`COALESCE(CloseTime, +∞) DESC`), then `StartTime DESC`, then `RunId` ascending.
 */
export const defaultVisibilityOrder: VisibilityRecordComparator = (a, b) => {
  const closeA = a.closeTime ?? Number.POSITIVE_INFINITY;
  const closeB = b.closeTime ?? Number.POSITIVE_INFINITY;
  if (closeA !== closeB) return closeA > closeB ? -1 : 1;
  if (a.startTime !== b.startTime) return a.startTime > b.startTime ? -1 : 1;
  return a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0;
};

/**
 * Builds the comparator for a query's ORDER BY items (Elasticsearch semantics, the store that supports
 * ORDER BY: records without a value sort last in both directions; a KeywordList sorts by its smallest item
 * ascending and its largest descending), falling back to {@link defaultVisibilityOrder} on ties.
 * With no items it is the default order.
 */
export function visibilityRecordComparator(
  orderBy: readonly OrderByItem[],
  registry: SearchAttributeRegistry,
): VisibilityRecordComparator {
  const keys = sortKeys(orderBy, registry);
  return (a, b) =>
    compareKeys(
      keys.map((k) => k.key(a)),
      keys.map((k) => k.key(b)),
      keys,
    ) || defaultVisibilityOrder(a, b);
}

/**
 * Returns a sorted copy of `records` in the order of the ORDER BY items (or the default order); sort keys
 * are read once per record.
 */
export function sortVisibilityRecords(
  records: readonly VisibilityRecord[],
  orderBy: readonly OrderByItem[],
  registry: SearchAttributeRegistry,
): VisibilityRecord[] {
  if (orderBy.length === 0) return [...records].sort(defaultVisibilityOrder);
  const keys = sortKeys(orderBy, registry);
  return records
    .map((record) => ({ record, values: keys.map((k) => k.key(record)) }))
    .sort((a, b) => compareKeys(a.values, b.values, keys) || defaultVisibilityOrder(a.record, b.record))
    .map(({ record }) => record);
}

type SortValue = number | string | null;
interface SortKey {
  key: (record: VisibilityRecord) => SortValue;
  sign: number;
}

function sortKeys(orderBy: readonly OrderByItem[], registry: SearchAttributeRegistry): SortKey[] {
  return orderBy.map(({ field, direction }) => {
    const accessor = resolveField({ name: field, pos: 0 }, registry).accessor;
    return { key: sortKey(accessor, direction), sign: direction === 'desc' ? -1 : 1 };
  });
}

/** Compares two rows of sort values; unset values sort last whatever the direction. */
function compareKeys(a: readonly SortValue[], b: readonly SortValue[], keys: readonly SortKey[]): number {
  for (let i = 0; i < keys.length; i++) {
    const va = a[i];
    const vb = b[i];
    if (va === vb) continue;
    if (va === null) return 1;
    if (vb === null) return -1;
    return va < vb ? -keys[i].sign : keys[i].sign;
  }
  return 0;
}

function sortKey(
  accessor: FieldAccessor,
  direction: 'asc' | 'desc',
): (record: VisibilityRecord) => number | string | null {
  switch (accessor.shape) {
    case 'scalar':
    case 'text':
      return accessor.get;
    case 'list':
      return (record) => {
        const list = accessor.get(record);
        if (list === null) return null;
        return list.reduce((best, item) => ((direction === 'asc' ? item < best : item > best) ? item : best));
      };
  }
}
