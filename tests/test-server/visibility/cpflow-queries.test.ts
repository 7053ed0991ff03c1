import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { encodeUnifiedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { describe, expect, it } from 'vitest';
import { overdueVisibilityQuery } from '../../../cli/cases/overdue';
import { parseIsoDate } from '../../../domain/calendar';
import {
  compileVisibilityQuery,
  decodeSearchAttributes,
  mergeSearchAttributes,
  SearchAttributeRegistry,
  sortVisibilityRecords,
  type SearchAttributeValues,
  type VisibilityRecord,
} from '../../../test-server/visibility';
import {
  CPFLOW_ASSIGNEE,
  CPFLOW_CASE_OPEN,
  CPFLOW_EARLIEST_DUE,
  CPFLOW_NEXT_DUE,
  CPFLOW_OLDEST_OVERDUE_DUE,
  CPFLOW_OPEN_STEP_DUES,
  CPFLOW_OVERDUE_STEPS,
  CPFLOW_STAGE,
  CPFLOW_TEAM,
} from '../../../workflows/search-attributes';
import { cpflowSearchAttributeTypes } from '../../support/search-attributes';
import { at, caseRecord } from './fixtures';

/** Applies typed upserts the way a case workflow sends them, one after another. */
function upserted(registry: SearchAttributeRegistry, ...upserts: SearchAttributeUpdatePair[][]): SearchAttributeValues {
  let values: SearchAttributeValues = {};
  for (const pairs of upserts) {
    values = mergeSearchAttributes(
      values,
      decodeSearchAttributes(encodeUnifiedSearchAttributes(undefined, pairs), registry),
    );
  }
  return values;
}

describe('cpflow’s own search attributes and listings', () => {
  const registry = new SearchAttributeRegistry(cpflowSearchAttributeTypes());
  const now = '2025-03-10T00:00:00Z';

  const cases: VisibilityRecord[] = [
    caseRecord({
      workflowId: 'case-CP-0001',
      runId: 'r1',
      searchAttributes: upserted(
        registry,
        [
          { key: CPFLOW_STAGE, value: 'strategy-discussion' },
          { key: CPFLOW_TEAM, value: 'T-NORTH' },
          { key: CPFLOW_ASSIGNEE, value: 'P123' },
          { key: CPFLOW_CASE_OPEN, value: true },
        ],
        [
          { key: CPFLOW_OVERDUE_STEPS, value: ['strategy-discussion'] },
          { key: CPFLOW_OLDEST_OVERDUE_DUE, value: new Date('2025-03-03T00:00:00Z') },
          { key: CPFLOW_NEXT_DUE, value: new Date('2025-03-03T00:00:00Z') },
        ],
      ),
    }),
    caseRecord({
      workflowId: 'case-CP-0002',
      runId: 'r2',
      searchAttributes: upserted(registry, [
        { key: CPFLOW_STAGE, value: 'initial-conference' },
        { key: CPFLOW_TEAM, value: 'T-NORTH' },
        { key: CPFLOW_CASE_OPEN, value: true },
        { key: CPFLOW_OVERDUE_STEPS, value: ['section-47', 'initial-conference'] },
        { key: CPFLOW_OLDEST_OVERDUE_DUE, value: new Date('2025-02-20T00:00:00Z') },
      ]),
    }),
    caseRecord({
      workflowId: 'case-CP-0003',
      runId: 'r3',
      searchAttributes: upserted(
        registry,
        [
          { key: CPFLOW_STAGE, value: 'core-group' },
          { key: CPFLOW_TEAM, value: 'T-SOUTH' },
          { key: CPFLOW_CASE_OPEN, value: true },
          { key: CPFLOW_OVERDUE_STEPS, value: ['core-group'] },
          { key: CPFLOW_OLDEST_OVERDUE_DUE, value: new Date('2025-03-05T00:00:00Z') },
        ],
        // Caught up: the workflow clears the overdue attributes (typed upsert of null).
        [
          { key: CPFLOW_OVERDUE_STEPS, value: null },
          { key: CPFLOW_OLDEST_OVERDUE_DUE, value: null },
          { key: CPFLOW_NEXT_DUE, value: new Date('2025-03-20T00:00:00Z') },
        ],
      ),
    }),
    caseRecord({
      workflowId: 'case-CP-0004',
      runId: 'r4',
      status: 'Completed',
      closeTime: at('2025-03-01T00:00:00Z'),
      searchAttributes: upserted(registry, [
        { key: CPFLOW_STAGE, value: 'closed' },
        { key: CPFLOW_TEAM, value: 'T-NORTH' },
        { key: CPFLOW_CASE_OPEN, value: false },
      ]),
    }),
  ];

  /** Cases of runs since the due-dates patch: their open steps' due dates, the earliest as a Datetime. */
  const dueDateCase = (workflowId: string, team: string, dues: string[], extra: SearchAttributeUpdatePair[] = []) =>
    caseRecord({
      workflowId,
      runId: `run-${workflowId}`,
      searchAttributes: upserted(registry, [
        { key: CPFLOW_TEAM, value: team },
        { key: CPFLOW_CASE_OPEN, value: true },
        { key: CPFLOW_OPEN_STEP_DUES, value: dues },
        { key: CPFLOW_EARLIEST_DUE, value: new Date(`${[...dues].sort()[0].split('@')[1]}T00:00:00Z`) },
        ...extra,
      ]),
    });
  const dueDateCases: VisibilityRecord[] = [
    dueDateCase('case-CP-0101', 'T-NORTH', ['icpc@2025-03-09', 'visit-2@2025-03-20']), // due yesterday
    dueDateCase('case-CP-0102', 'T-NORTH', ['icpc@2025-03-10']), // due today
    dueDateCase('case-CP-0103', 'T-SOUTH', ['core-group@2025-02-28']),
    dueDateCase('case-CP-0104', 'T-NORTH', ['icpc@2025-03-01'], [{ key: CPFLOW_CASE_OPEN, value: false }]),
    // Caught up: no open step with a due date any more (the workflow clears both attributes).
    dueDateCase(
      'case-CP-0105',
      'T-SOUTH',
      ['icpc@2025-03-01'],
      [
        { key: CPFLOW_OPEN_STEP_DUES, value: null },
        { key: CPFLOW_EARLIEST_DUE, value: null },
      ],
    ),
  ];

  const list = (query: string) => {
    const compiled = compileVisibilityQuery(query, registry);
    return cases.filter((c) => compiled.matches(c)).map((c) => c.workflowId);
  };

  it('lists overdue open cases, however the overdue listing is phrased', () => {
    expect(list(`ExecutionStatus = 'Running' AND CpflowOldestOverdueDue < '${now}'`)).toEqual([
      'case-CP-0001',
      'case-CP-0002',
    ]);
    expect(list('CpflowOverdueSteps IS NOT NULL')).toEqual(['case-CP-0001', 'case-CP-0002']);
    expect(list("CpflowOverdueSteps = 'section-47'")).toEqual(['case-CP-0002']);
  });

  it("finds with cpflow overdue's query exactly the open cases due before today, of either kind", () => {
    const today = parseIsoDate('2025-03-10', 'today');
    const overdue = (team?: string) => {
      const compiled = compileVisibilityQuery(overdueVisibilityQuery(today, team), registry);
      return [...cases, ...dueDateCases].filter((c) => compiled.matches(c)).map((c) => c.workflowId);
    };
    expect(overdue()).toEqual(['case-CP-0001', 'case-CP-0002', 'case-CP-0101', 'case-CP-0103']);
    expect(overdue('T-SOUTH')).toEqual(['case-CP-0103']);
    expect(overdue('T-NORTH')).toEqual(['case-CP-0001', 'case-CP-0002', 'case-CP-0101']);
    const tomorrow = compileVisibilityQuery(overdueVisibilityQuery(parseIsoDate('2025-03-11', 'today')), registry);
    expect(dueDateCases.filter((c) => tomorrow.matches(c)).map((c) => c.workflowId)).toEqual([
      'case-CP-0101',
      'case-CP-0102',
      'case-CP-0103',
    ]);
  });

  it('filters by team, stage and open flag', () => {
    expect(list("CpflowTeam = 'T-NORTH' AND CpflowCaseOpen = true")).toEqual(['case-CP-0001', 'case-CP-0002']);
    expect(list("CpflowStage IN ('core-group', 'closed')")).toEqual(['case-CP-0003', 'case-CP-0004']);
    expect(list("CpflowAssignee = 'P123'")).toEqual(['case-CP-0001']);
    expect(list(`CpflowNextDue BETWEEN '2025-03-15T00:00:00Z' AND '2025-03-31T00:00:00Z'`)).toEqual(['case-CP-0003']);
  });

  it('sorts "most overdue first" (ORDER BY works here; Temporal’s SQL stores reject it, so sort client-side there)', () => {
    const compiled = compileVisibilityQuery(
      `CpflowOldestOverdueDue < '${now}' ORDER BY CpflowOldestOverdueDue ASC`,
      registry,
    );
    const sorted = sortVisibilityRecords(
      cases.filter((c) => compiled.matches(c)),
      compiled.orderBy,
      registry,
    );
    expect(sorted.map((c) => c.workflowId)).toEqual(['case-CP-0002', 'case-CP-0001']);
  });
});
