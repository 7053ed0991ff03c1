import { describe, expect, it } from 'vitest';
import { compileVisibilityQuery, type VisibilityRecord } from '../../../test-server/visibility';
import { at, caseRecord, caseRegistry } from './fixtures';

const registry = caseRegistry();

/** Five pseudonymous cases covering every attribute type, with some attributes unset. */
const records: VisibilityRecord[] = [
  caseRecord({
    workflowId: 'case-A',
    runId: 'run-a',
    status: 'Running',
    startTime: at('2025-01-01T09:00:00Z'),
    executionTime: at('2025-01-01T09:00:00Z'),
    historyLength: 12,
    searchAttributes: {
      CaseRef: 'CP-0001',
      Stage: 'strategy-discussion',
      Flags: ['overdue', 'escalated'],
      NextDeadline: at('2025-01-02T17:00:00Z'),
      OverdueCount: 2,
      RiskScore: 0.75,
      Escalated: true,
      Summary: 'Strategy discussion overdue; my-business-id-foobar',
    },
  }),
  caseRecord({
    workflowId: 'case-B',
    runId: 'run-b',
    status: 'Completed',
    startTime: at('2025-01-03T09:00:00Z'),
    executionTime: at('2025-01-03T09:00:00Z'),
    closeTime: at('2025-01-10T12:00:00Z'),
    searchAttributes: {
      CaseRef: 'CP-0002',
      Stage: 'closed',
      Flags: ['closed'],
      OverdueCount: 0,
      RiskScore: 0.1,
      Escalated: false,
      Summary: 'Closed after assessment',
    },
  }),
  caseRecord({
    workflowId: 'case-C',
    runId: 'run-c',
    workflowType: 'reminderWorkflow',
    taskQueue: 'cpflow-reminders',
    status: 'Failed',
    startTime: at('2025-01-05T09:00:00Z'),
    executionTime: at('2025-01-05T09:00:00Z'),
    closeTime: at('2025-01-05T09:30:00Z'),
    searchAttributes: { CaseRef: 'XY-0003', OverdueCount: 5 },
  }),
  caseRecord({
    workflowId: 'case-D',
    runId: 'run-d',
    status: 'Running',
    startTime: at('2025-01-06T09:00:00Z'),
    executionTime: at('2025-01-06T09:00:00Z'),
    searchAttributes: {
      CaseRef: 'CP-0004',
      Stage: 'initial-conference',
      Flags: ['escalated'],
      NextDeadline: at('2025-01-20T17:00:00Z'),
      RiskScore: 0.5,
      Summary: 'Café ÉTÉ conference',
    },
  }),
  caseRecord({
    workflowId: 'case-E',
    runId: 'run-e',
    status: 'TimedOut',
    startTime: at('2025-01-07T09:00:00Z'),
    executionTime: at('2025-01-08T09:00:00Z'),
    closeTime: at('2025-01-09T09:00:00Z'),
    searchAttributes: {},
  }),
];

function matching(query: string): string[] {
  const compiled = compileVisibilityQuery(query, registry);
  return records.filter((r) => compiled.matches(r)).map((r) => r.workflowId);
}

describe('empty query and logic', () => {
  it('matches every record when the query is empty or blank', () => {
    expect(matching('')).toEqual(['case-A', 'case-B', 'case-C', 'case-D', 'case-E']);
    expect(matching('   ')).toEqual(['case-A', 'case-B', 'case-C', 'case-D', 'case-E']);
  });

  it('AND binds tighter than OR', () => {
    // a OR (b AND c): case-C is Failed, so it matches through the left operand alone.
    expect(matching("ExecutionStatus = 'Failed' OR ExecutionStatus = 'Running' AND CaseRef = 'CP-0004'")).toEqual([
      'case-C',
      'case-D',
    ]);
    // (a OR b) AND c: only case-D passes the AND.
    expect(matching("(ExecutionStatus = 'Failed' OR ExecutionStatus = 'Running') AND CaseRef = 'CP-0004'")).toEqual([
      'case-D',
    ]);
  });

  it('reads keywords case-insensitively and <> as !=', () => {
    expect(matching("ExecutionStatus = 'Running' and CaseRef <> 'CP-0001' Or WorkflowId In ('case-E')")).toEqual([
      'case-D',
      'case-E',
    ]);
  });

  it('NOT negates, and leaves an unknown (unset attribute) comparison unknown as SQL does', () => {
    expect(matching('NOT (OverdueCount > 1)')).toEqual(['case-B']);
    expect(matching('NOT OverdueCount > 1 AND RiskScore < 0.2')).toEqual(['case-B']);
  });
});

describe('Keyword and system keyword fields', () => {
  it('supports =, != (unset values match neither), <, <=, >, >=', () => {
    expect(matching("Stage = 'closed'")).toEqual(['case-B']);
    expect(matching("Stage != 'closed'")).toEqual(['case-A', 'case-D']);
    expect(matching("CaseRef < 'CP-0002'")).toEqual(['case-A']);
    expect(matching("CaseRef <= 'CP-0002'")).toEqual(['case-A', 'case-B']);
    expect(matching("CaseRef > 'CP-0004'")).toEqual(['case-C']);
    expect(matching("CaseRef >= 'CP-0004'")).toEqual(['case-C', 'case-D']);
  });

  it('supports IN, NOT IN, BETWEEN and STARTS_WITH / NOT STARTS_WITH (case-sensitive)', () => {
    expect(matching("CaseRef IN ('CP-0001', 'CP-0004', 'nope')")).toEqual(['case-A', 'case-D']);
    expect(matching("CaseRef NOT IN ('CP-0001', 'CP-0004')")).toEqual(['case-B', 'case-C']);
    expect(matching("CaseRef BETWEEN 'CP-0002' AND 'CP-0004'")).toEqual(['case-B', 'case-D']);
    expect(matching("CaseRef NOT BETWEEN 'CP-0002' AND 'CP-0004'")).toEqual(['case-A', 'case-C']);
    expect(matching("CaseRef STARTS_WITH 'CP-'")).toEqual(['case-A', 'case-B', 'case-D']);
    expect(matching("CaseRef NOT STARTS_WITH 'CP-'")).toEqual(['case-C']);
    expect(matching("CaseRef STARTS_WITH 'cp-'")).toEqual([]);
  });

  it('queries WorkflowId, RunId, WorkflowType and TaskQueue', () => {
    expect(matching("WorkflowId = 'case-B'")).toEqual(['case-B']);
    expect(matching("RunId = 'run-c'")).toEqual(['case-C']);
    expect(matching("WorkflowType = 'reminderWorkflow'")).toEqual(['case-C']);
    expect(matching("TaskQueue != 'cpflow-cases'")).toEqual(['case-C']);
    expect(matching("WorkflowId STARTS_WITH 'case-'").length).toBe(5);
  });

  it('accepts single- or double-quoted strings and backtick-quoted names', () => {
    expect(matching('`CaseRef` = "CP-0002"')).toEqual(['case-B']);
    expect(matching("`WorkflowId` = 'case-A'")).toEqual(['case-A']);
  });
});

describe('ExecutionStatus', () => {
  it('matches every status by name', () => {
    expect(matching("ExecutionStatus = 'Running'")).toEqual(['case-A', 'case-D']);
    expect(matching("ExecutionStatus = 'Completed'")).toEqual(['case-B']);
    expect(matching("ExecutionStatus = 'Failed'")).toEqual(['case-C']);
    expect(matching("ExecutionStatus = 'TimedOut'")).toEqual(['case-E']);
    expect(matching("ExecutionStatus IN ('Canceled', 'Terminated', 'ContinuedAsNew')")).toEqual([]);
    expect(matching("ExecutionStatus != 'Running'")).toEqual(['case-B', 'case-C', 'case-E']);
  });

  it('also accepts the enum name and number, as Temporal does', () => {
    expect(matching("ExecutionStatus = 'WORKFLOW_EXECUTION_STATUS_COMPLETED'")).toEqual(['case-B']);
    expect(matching('ExecutionStatus = 3')).toEqual(['case-C']);
  });
});

describe('KeywordList', () => {
  it('= means "contains" and != "does not contain" (unset lists included, as Temporal’s SQLite store)', () => {
    expect(matching("Flags = 'escalated'")).toEqual(['case-A', 'case-D']);
    expect(matching("Flags != 'escalated'")).toEqual(['case-B', 'case-C', 'case-E']);
  });

  it('IN means "contains any of", NOT IN "contains none of"', () => {
    expect(matching("Flags IN ('overdue', 'closed')")).toEqual(['case-A', 'case-B']);
    expect(matching("Flags NOT IN ('overdue', 'closed')")).toEqual(['case-C', 'case-D', 'case-E']);
  });

  it('matches whole items only', () => {
    expect(matching("Flags = 'overdu'")).toEqual([]);
  });
});

describe('Datetime', () => {
  it('compares RFC 3339 strings as instants, whatever the offset', () => {
    expect(matching("NextDeadline < '2025-01-10T00:00:00Z'")).toEqual(['case-A']);
    expect(matching("NextDeadline = '2025-01-02T18:00:00+01:00'")).toEqual(['case-A']);
    expect(matching("NextDeadline >= '2025-01-02T17:00:00.000001Z'")).toEqual(['case-D']);
    // SQL stores keep microseconds: a nanosecond difference truncates away, as in Temporal.
    expect(matching("NextDeadline >= '2025-01-02T17:00:00.000000999Z'")).toEqual(['case-A', 'case-D']);
    expect(matching("NextDeadline BETWEEN '2025-01-01T00:00:00Z' AND '2025-01-31T00:00:00Z'")).toEqual([
      'case-A',
      'case-D',
    ]);
  });

  it('accepts epoch nanoseconds', () => {
    const nanos = (BigInt(at('2025-01-10T00:00:00Z')) * 1_000_000n).toString();
    expect(matching(`NextDeadline > ${nanos}`)).toEqual(['case-D']);
  });

  it('queries StartTime, ExecutionTime and CloseTime (NULL while open)', () => {
    expect(matching("StartTime >= '2025-01-05T00:00:00Z'")).toEqual(['case-C', 'case-D', 'case-E']);
    expect(matching("ExecutionTime > '2025-01-07T12:00:00Z'")).toEqual(['case-E']);
    expect(matching("CloseTime < '2025-01-09T12:00:00Z'")).toEqual(['case-C', 'case-E']);
    expect(matching('CloseTime IS NULL')).toEqual(['case-A', 'case-D']);
    expect(matching('CloseTime IS NOT NULL')).toEqual(['case-B', 'case-C', 'case-E']);
  });
});

describe('Int, Double, Bool', () => {
  it('compares Int values, with ints or decimals', () => {
    expect(matching('OverdueCount = 2')).toEqual(['case-A']);
    expect(matching('OverdueCount > 0')).toEqual(['case-A', 'case-C']);
    expect(matching('OverdueCount <= 2')).toEqual(['case-A', 'case-B']);
    expect(matching('OverdueCount < 2.5')).toEqual(['case-A', 'case-B']);
    expect(matching('OverdueCount IN (0, 5)')).toEqual(['case-B', 'case-C']);
    expect(matching('OverdueCount BETWEEN 1 AND 5')).toEqual(['case-A', 'case-C']);
    expect(matching('OverdueCount > -1')).toEqual(['case-A', 'case-B', 'case-C']);
  });

  it('compares Double values', () => {
    expect(matching('RiskScore >= 0.5')).toEqual(['case-A', 'case-D']);
    expect(matching('RiskScore != 0.5')).toEqual(['case-A', 'case-B']);
    expect(matching('RiskScore BETWEEN 0 AND 0.5')).toEqual(['case-B', 'case-D']);
    expect(matching('RiskScore < 1e0')).toEqual(['case-A', 'case-B', 'case-D']);
  });

  it('compares Bool values with true/false (case-insensitive)', () => {
    expect(matching('Escalated = true')).toEqual(['case-A']);
    expect(matching('Escalated = FALSE')).toEqual(['case-B']);
    expect(matching('Escalated != true')).toEqual(['case-B']);
  });

  it('queries HistoryLength when the server provides it', () => {
    expect(matching('HistoryLength > 10')).toEqual(['case-A']);
  });

  it('queries ExecutionDuration (close − execution time) in nanoseconds or duration strings', () => {
    expect(matching("ExecutionDuration < '1h'")).toEqual(['case-C']);
    expect(matching("ExecutionDuration = '24h'")).toEqual(['case-E']);
    expect(matching("ExecutionDuration = '24:00:00'")).toEqual(['case-E']);
    expect(matching('ExecutionDuration = 1800000000000')).toEqual(['case-C']);
  });
});

describe('Text', () => {
  it('= matches a whole word of the value, case- and accent-insensitively', () => {
    expect(matching("Summary = 'overdue'")).toEqual(['case-A']);
    expect(matching("Summary = 'OVERDUE'")).toEqual(['case-A']);
    expect(matching("Summary = 'foobar'")).toEqual(['case-A']);
    expect(matching("Summary = 'foo'")).toEqual([]);
    expect(matching("Summary = 'ete'")).toEqual(['case-D']);
  });

  it('matches when ANY space-separated term occurs; a hyphenated term is a phrase', () => {
    expect(matching("Summary = 'assessment conference'")).toEqual(['case-B', 'case-D']);
    expect(matching("Summary = 'business-id'")).toEqual(['case-A']);
    expect(matching("Summary = 'id-business'")).toEqual([]);
  });

  it('!= is the negation (unset values match it)', () => {
    expect(matching("Summary != 'conference'")).toEqual(['case-A', 'case-B', 'case-C', 'case-E']);
  });
});

describe('IS NULL on custom attributes', () => {
  it('tells set from unset values of every type', () => {
    expect(matching('Stage IS NULL')).toEqual(['case-C', 'case-E']);
    expect(matching('Flags IS NOT NULL')).toEqual(['case-A', 'case-B', 'case-D']);
    expect(matching('Escalated IS NULL')).toEqual(['case-C', 'case-D', 'case-E']);
    expect(matching('Summary IS NULL')).toEqual(['case-C', 'case-E']);
    expect(matching('NextDeadline IS NOT NULL AND RiskScore IS NOT NULL')).toEqual(['case-A', 'case-D']);
  });
});

describe('ORDER BY and GROUP BY', () => {
  it('returns ORDER BY items with resolved names, ASC by default', () => {
    expect(
      compileVisibilityQuery("CaseRef STARTS_WITH 'CP' order by NextDeadline, StartTime DESC", registry).orderBy,
    ).toEqual([
      { field: 'NextDeadline', direction: 'asc' },
      { field: 'StartTime', direction: 'desc' },
    ]);
    expect(compileVisibilityQuery('ORDER BY CaseRef asc', registry).orderBy).toEqual([
      { field: 'CaseRef', direction: 'asc' },
    ]);
  });

  it('ORDER BY alone still matches everything', () => {
    const compiled = compileVisibilityQuery('ORDER BY StartTime DESC', registry);
    expect(records.every((r) => compiled.matches(r))).toBe(true);
  });

  it('returns GROUP BY ExecutionStatus', () => {
    expect(compileVisibilityQuery("WorkflowType = 'x' GROUP BY ExecutionStatus", registry).groupBy).toEqual([
      'ExecutionStatus',
    ]);
  });
});

describe('predefined attributes and Temporal’s name aliases', () => {
  it('queries TemporalChangeVersion (KeywordList) and BuildIds, also as ChangeVersion', () => {
    const patched = caseRecord({ workflowId: 'p', searchAttributes: { TemporalChangeVersion: ['deadline-v2-1'] } });
    expect(compileVisibilityQuery("TemporalChangeVersion = 'deadline-v2-1'", registry).matches(patched)).toBe(true);
    expect(compileVisibilityQuery("ChangeVersion = 'deadline-v2-1'", registry).matches(patched)).toBe(true);
    expect(compileVisibilityQuery('BuildIds IS NULL', registry).matches(patched)).toBe(true);
  });

  it('reads ScheduleId as WorkflowId', () => {
    expect(matching("ScheduleId = 'case-B'")).toEqual(['case-B']);
  });
});

describe('TemporalNamespaceDivision', () => {
  const scheduler = caseRecord({
    workflowId: 'sched',
    searchAttributes: { TemporalNamespaceDivision: 'TemporalScheduler' },
  });
  const plain = caseRecord({ workflowId: 'plain' });

  it('hides executions of another division unless the query mentions it, as Temporal does', () => {
    expect(compileVisibilityQuery('', registry).matches(scheduler)).toBe(false);
    expect(compileVisibilityQuery("WorkflowId = 'sched'", registry).matches(scheduler)).toBe(false);
    expect(compileVisibilityQuery('', registry).matches(plain)).toBe(true);
    expect(compileVisibilityQuery("TemporalNamespaceDivision = 'TemporalScheduler'", registry).matches(scheduler)).toBe(
      true,
    );
    const either = compileVisibilityQuery(
      'TemporalNamespaceDivision IS NULL OR TemporalNamespaceDivision IS NOT NULL',
      registry,
    );
    expect([either.matches(scheduler), either.matches(plain)]).toEqual([true, true]);
  });
});

describe('string literals', () => {
  it('unescape doubled quotes and backslash escapes', () => {
    const quoted = caseRecord({ searchAttributes: { Stage: 'it\'s "done"' } });
    expect(compileVisibilityQuery("Stage = 'it''s \"done\"'", registry).matches(quoted)).toBe(true);
    expect(compileVisibilityQuery("Stage = 'it\\'s \"done\"'", registry).matches(quoted)).toBe(true);
    expect(compileVisibilityQuery('Stage = "it\'s ""done"""', registry).matches(quoted)).toBe(true);
    expect(compileVisibilityQuery('Stage = \'its "done"\'', registry).matches(quoted)).toBe(false);
  });
});
