import { SearchAttributeRegistry, type VisibilityRecord } from '../../../test-server/visibility';

/** The custom attributes the query tests register (pseudonymous case data only). */
export function caseRegistry(): SearchAttributeRegistry {
  return new SearchAttributeRegistry({
    CaseRef: 'Keyword',
    Stage: 'Keyword',
    Flags: 'KeywordList',
    NextDeadline: 'Datetime',
    OverdueCount: 'Int',
    RiskScore: 'Double',
    Escalated: 'Bool',
    Summary: 'Text',
  });
}

const JAN_1 = Date.parse('2025-01-01T00:00:00Z');

/** A running case workflow record; override any field. */
export function caseRecord(overrides: Partial<VisibilityRecord> = {}): VisibilityRecord {
  return {
    workflowId: 'case-CP-0001',
    runId: 'run-0001',
    workflowType: 'childProtectionCase',
    taskQueue: 'cpflow-cases',
    status: 'Running',
    startTime: JAN_1,
    executionTime: JAN_1,
    searchAttributes: {},
    ...overrides,
  };
}

/** Epoch ms of an RFC 3339 timestamp (test shorthand). */
export function at(iso: string): number {
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) throw new Error(`bad test timestamp ${iso}`);
  return millis;
}
