import { describe, expect, it } from 'vitest';
import {
  compileVisibilityQuery,
  countVisibilityRecords,
  sortVisibilityRecords,
  type VisibilityRecord,
} from '../../../test-server/visibility';
import { at, caseRecord, caseRegistry } from './fixtures';

const registry = caseRegistry();

const records: VisibilityRecord[] = [
  caseRecord({
    workflowId: 'closed-early',
    runId: 'r1',
    status: 'Completed',
    startTime: at('2025-01-01T00:00:00Z'),
    closeTime: at('2025-01-02T00:00:00Z'),
    searchAttributes: { OverdueCount: 1, Flags: ['b', 'c'] },
  }),
  caseRecord({
    workflowId: 'open-old',
    runId: 'r2',
    status: 'Running',
    startTime: at('2025-01-01T00:00:00Z'),
    searchAttributes: { OverdueCount: 3, Flags: ['a'] },
  }),
  caseRecord({
    workflowId: 'closed-late',
    runId: 'r3',
    status: 'Failed',
    startTime: at('2025-01-01T00:00:00Z'),
    closeTime: at('2025-01-05T00:00:00Z'),
    searchAttributes: {},
  }),
  caseRecord({
    workflowId: 'open-new',
    runId: 'r4',
    status: 'Running',
    startTime: at('2025-01-03T00:00:00Z'),
    searchAttributes: { OverdueCount: 2, Flags: ['d'] },
  }),
  caseRecord({
    workflowId: 'open-new-twin',
    runId: 'r0',
    status: 'Running',
    startTime: at('2025-01-03T00:00:00Z'),
    searchAttributes: { OverdueCount: 2 },
  }),
];

const ids = (list: VisibilityRecord[]) => list.map((r) => r.workflowId);

/** Workflow ids of the records sorted by the ORDER BY of `query`. */
const idsOrderedBy = (query: string) => ids(sortVisibilityRecords(records, compileVisibilityQuery(query, registry).orderBy, registry));

describe('sortVisibilityRecords', () => {
  it('defaults to Temporal’s order: open first, then close time and start time newest first, then RunId', () => {
    expect(ids(sortVisibilityRecords(records, [], registry))).toEqual([
      'open-new-twin',
      'open-new',
      'open-old',
      'closed-late',
      'closed-early',
    ]);
  });

  it('sorts by ORDER BY items, unset values last in both directions, ties in the default order', () => {
    expect(idsOrderedBy('ORDER BY OverdueCount ASC')).toEqual([
      'closed-early',
      'open-new-twin',
      'open-new',
      'open-old',
      'closed-late',
    ]);
    expect(idsOrderedBy('ORDER BY OverdueCount DESC')).toEqual([
      'open-old',
      'open-new-twin',
      'open-new',
      'closed-early',
      'closed-late',
    ]);
  });

  it('sorts a KeywordList by its smallest item ascending and its largest descending', () => {
    expect(idsOrderedBy('ORDER BY Flags').slice(0, 3)).toEqual([
      'open-old',
      'closed-early',
      'open-new',
    ]);
    expect(idsOrderedBy('ORDER BY Flags DESC').slice(0, 3)).toEqual([
      'open-new',
      'closed-early',
      'open-old',
    ]);
  });

  it('does not modify the input array', () => {
    const copy = [...records];
    sortVisibilityRecords(records, [], registry);
    expect(records).toEqual(copy);
  });
});

describe('countVisibilityRecords', () => {
  it('counts the matching records', () => {
    expect(countVisibilityRecords(records, compileVisibilityQuery("ExecutionStatus = 'Running'", registry))).toEqual({
      count: 3,
      groups: [],
    });
    expect(countVisibilityRecords(records, compileVisibilityQuery('', registry)).count).toBe(5);
  });

  it('groups by ExecutionStatus, largest group first', () => {
    expect(countVisibilityRecords(records, compileVisibilityQuery('GROUP BY ExecutionStatus', registry))).toEqual({
      count: 5,
      groups: [
        { value: 'Running', count: 3 },
        { value: 'Completed', count: 1 },
        { value: 'Failed', count: 1 },
      ],
    });
  });
});
