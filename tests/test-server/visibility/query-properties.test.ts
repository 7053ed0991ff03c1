import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileVisibilityQuery,
  EXECUTION_STATUS_NAMES,
  type SearchAttributeValues,
  type VisibilityRecord,
} from '../../../test-server/visibility';
import { at, caseRecord, caseRegistry } from './fixtures';

const registry = caseRegistry();

const CASE_REFS = ['CP-1', 'CP-2', 'XY-3'];
const FLAGS = ['overdue', 'escalated', 'closed'];
const DEADLINES = ['2025-01-01T00:00:00Z', '2025-01-15T12:00:00Z', '2025-02-01T00:00:00Z'].map(at);
const WORDS = ['strategy', 'discussion', 'overdue', 'conference'];

const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

/** Random records over small value domains, so that random conditions often match. */
const recordArb: fc.Arbitrary<VisibilityRecord> = fc
  .record({
    workflowId: fc.constantFrom('case-1', 'case-2', 'case-3'),
    status: fc.constantFrom(...EXECUTION_STATUS_NAMES),
    startTime: fc.constantFrom(...DEADLINES),
    caseRef: optional(fc.constantFrom(...CASE_REFS)),
    flags: optional(fc.subarray(FLAGS, { minLength: 1 })),
    overdue: optional(fc.integer({ min: -2, max: 4 })),
    escalated: optional(fc.boolean()),
    deadline: optional(fc.constantFrom(...DEADLINES)),
    summary: optional(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }).map((w) => w.join(' '))),
  })
  .map((r) => {
    const searchAttributes: SearchAttributeValues = {};
    if (r.caseRef !== undefined) searchAttributes.CaseRef = r.caseRef;
    if (r.flags !== undefined) searchAttributes.Flags = r.flags;
    if (r.overdue !== undefined) searchAttributes.OverdueCount = r.overdue;
    if (r.escalated !== undefined) searchAttributes.Escalated = r.escalated;
    if (r.deadline !== undefined) searchAttributes.NextDeadline = r.deadline;
    if (r.summary !== undefined) searchAttributes.Summary = r.summary;
    return caseRecord({
      workflowId: r.workflowId,
      status: r.status,
      startTime: r.startTime,
      executionTime: r.startTime,
      closeTime: r.status === 'Running' ? undefined : r.startTime + 1000,
      searchAttributes,
    });
  });

const quote = (s: string) => `'${s}'`;
const iso = (ms: number) => quote(new Date(ms).toISOString());
const compareOp = fc.constantFrom('=', '!=', '<', '<=', '>', '>=');

/** Random single conditions over every type and operator. */
const conditionArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(compareOp, fc.constantFrom(...CASE_REFS)).map(([op, v]) => `CaseRef ${op} ${quote(v)}`),
  fc.tuple(compareOp, fc.integer({ min: -2, max: 4 })).map(([op, v]) => `OverdueCount ${op} ${v}`),
  fc.tuple(compareOp, fc.constantFrom(...DEADLINES)).map(([op, v]) => `NextDeadline ${op} ${iso(v)}`),
  fc.tuple(fc.constantFrom('=', '!='), fc.boolean()).map(([op, v]) => `Escalated ${op} ${v}`),
  fc
    .tuple(fc.constantFrom('=', '!='), fc.constantFrom(...EXECUTION_STATUS_NAMES))
    .map(([op, v]) => `ExecutionStatus ${op} ${quote(v)}`),
  fc.tuple(fc.constantFrom('=', '!='), fc.constantFrom(...FLAGS)).map(([op, v]) => `Flags ${op} ${quote(v)}`),
  fc.tuple(fc.constantFrom('=', '!='), fc.constantFrom(...WORDS)).map(([op, v]) => `Summary ${op} ${quote(v)}`),
  fc
    .constantFrom('CaseRef', 'Flags', 'OverdueCount', 'CloseTime', 'Summary')
    .chain((f) => fc.boolean().map((not) => `${f} IS ${not ? 'NOT ' : ''}NULL`)),
  fc.constantFrom('CP', 'XY', 'CP-1').map((p) => `CaseRef STARTS_WITH ${quote(p)}`),
);

/** Random (possibly nested) filters. */
const filterArb: fc.Arbitrary<string> = fc.letrec<{ filter: string }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    conditionArb,
    fc.tuple(tie('filter'), fc.constantFrom('AND', 'OR'), tie('filter')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
    tie('filter').map((a) => `NOT (${a})`),
  ),
})).filter;

const matches = (query: string, record: VisibilityRecord) => compileVisibilityQuery(query, registry).matches(record);

describe('List Filter algebra (property-based)', () => {
  it('A OR B matches exactly the union of A and B; A AND B exactly the intersection', () => {
    fc.assert(
      fc.property(filterArb, filterArb, fc.array(recordArb, { minLength: 1, maxLength: 20 }), (a, b, records) => {
        for (const record of records) {
          expect(matches(`(${a}) OR (${b})`, record)).toBe(matches(a, record) || matches(b, record));
          expect(matches(`(${a}) AND (${b})`, record)).toBe(matches(a, record) && matches(b, record));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('AND binds tighter than OR: A OR B AND C ≡ A OR (B AND C)', () => {
    fc.assert(
      fc.property(conditionArb, conditionArb, conditionArb, recordArb, (a, b, c, record) => {
        expect(matches(`${a} OR ${b} AND ${c}`, record)).toBe(matches(`${a} OR (${b} AND ${c})`, record));
        expect(matches(`${a} AND ${b} OR ${c}`, record)).toBe(matches(`(${a} AND ${b}) OR ${c}`, record));
      }),
      { numRuns: 300 },
    );
  });

  it('De Morgan holds under three-valued logic: NOT (A OR B) ≡ NOT A AND NOT B', () => {
    fc.assert(
      fc.property(filterArb, filterArb, recordArb, (a, b, record) => {
        expect(matches(`NOT ((${a}) OR (${b}))`, record)).toBe(matches(`NOT (${a}) AND NOT (${b})`, record));
      }),
      { numRuns: 300 },
    );
  });

  it('NOT IN is the complement of IN on records where the attribute is set; unset Keyword/Int values match neither', () => {
    fc.assert(
      fc.property(
        fc.subarray(CASE_REFS, { minLength: 1 }),
        fc.uniqueArray(fc.integer({ min: -2, max: 4 }), { minLength: 1, maxLength: 4 }),
        recordArb,
        (refs, counts, record) => {
          const refList = refs.map(quote).join(', ');
          const countList = counts.join(', ');
          const refIn = matches(`CaseRef IN (${refList})`, record);
          const refNotIn = matches(`CaseRef NOT IN (${refList})`, record);
          const countIn = matches(`OverdueCount IN (${countList})`, record);
          const countNotIn = matches(`OverdueCount NOT IN (${countList})`, record);
          if (record.searchAttributes.CaseRef === undefined) expect([refIn, refNotIn]).toEqual([false, false]);
          else expect(refNotIn).toBe(!refIn);
          if (record.searchAttributes.OverdueCount === undefined) expect([countIn, countNotIn]).toEqual([false, false]);
          else expect(countNotIn).toBe(!countIn);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('NOT IN is the exact complement of IN for always-set system fields and for KeywordList', () => {
    fc.assert(
      fc.property(
        fc.subarray([...EXECUTION_STATUS_NAMES], { minLength: 1 }),
        fc.subarray(FLAGS, { minLength: 1 }),
        recordArb,
        (statuses, flags, record) => {
          const statusList = statuses.map(quote).join(', ');
          const flagList = flags.map(quote).join(', ');
          expect(matches(`ExecutionStatus NOT IN (${statusList})`, record)).toBe(
            !matches(`ExecutionStatus IN (${statusList})`, record),
          );
          expect(matches(`Flags NOT IN (${flagList})`, record)).toBe(!matches(`Flags IN (${flagList})`, record));
          // IN on a KeywordList is "contains any of".
          const list = (record.searchAttributes.Flags as string[] | undefined) ?? [];
          expect(matches(`Flags IN (${flagList})`, record)).toBe(list.some((f) => flags.includes(f)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('BETWEEN x AND y ≡ >= x AND <= y, and NOT BETWEEN is its negation', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3, max: 5 }), fc.integer({ min: -3, max: 5 }), recordArb, (x, y, record) => {
        expect(matches(`OverdueCount BETWEEN ${x} AND ${y}`, record)).toBe(
          matches(`OverdueCount >= ${x} AND OverdueCount <= ${y}`, record),
        );
        expect(matches(`OverdueCount NOT BETWEEN ${x} AND ${y}`, record)).toBe(
          matches(`NOT (OverdueCount >= ${x} AND OverdueCount <= ${y})`, record),
        );
      }),
      { numRuns: 300 },
    );
  });
});
