import { describe, expect, it } from 'vitest';
import { compileVisibilityQuery, InvalidVisibilityQueryError } from '../../../test-server/visibility';
import { thrownBy } from '../../support/thrown';
import { caseRegistry } from './fixtures';

const registry = caseRegistry();

function errorOf(query: string): InvalidVisibilityQueryError {
  return thrownBy(InvalidVisibilityQueryError, () => compileVisibilityQuery(query, registry));
}

describe('InvalidVisibilityQueryError', () => {
  it('names an unknown attribute (names are case-sensitive), with Temporal’s wording', () => {
    const error = errorOf("CaseReference = 'CP-1'");
    expect(error.message).toMatch(/^invalid query: /);
    expect(error.message).toContain("column name 'CaseReference' is not a valid search attribute");
    expect(error.position).toBe(0);
    expect(errorOf("caseRef = 'CP-1'").message).toContain("'caseRef' is not a valid search attribute");
    expect(errorOf("Stage = 'x' ORDER BY Nope").message).toContain("'Nope' is not a valid search attribute");
  });

  it.each([
    ["OverdueCount = '2'", "search attribute OverdueCount of type Int: '2' (a string); expected a number"],
    ['RiskScore > true', 'search attribute RiskScore of type Double: true (a boolean)'],
    ["Escalated = 'true'", "search attribute Escalated of type Bool: 'true' (a string); expected true or false"],
    ['CaseRef = 12', 'search attribute CaseRef of type Keyword: 12 (a number); expected a quoted string'],
    ['Flags = 1', 'search attribute Flags of type KeywordList: 1 (a number)'],
    ['Summary = 1', 'search attribute Summary of type Text: 1 (a number)'],
    ['NextDeadline > 1.5', 'search attribute NextDeadline of type Datetime: 1.5 (a number)'],
    ['StartTime > true', 'search attribute StartTime of type Datetime: true (a boolean)'],
    ["OverdueCount IN (1, 'x')", "search attribute OverdueCount of type Int: 'x' (a string)"],
  ])('rejects the wrong literal type: %s', (query, expected) => {
    expect(errorOf(query).message).toContain(`invalid value type for ${expected}`);
  });

  it('rejects a datetime that is not RFC 3339, naming the value and the rule', () => {
    for (const bad of ['2025-01-02', '2025-02-30T00:00:00Z', '02/01/2025 10:00', '2025-01-02 10:00:00Z']) {
      const message = errorOf(`NextDeadline < '${bad}'`).message;
      expect(message).toContain(`unable to parse datetime '${bad}' for search attribute NextDeadline`);
      expect(message).toContain('RFC 3339');
    }
  });

  it('rejects an unknown execution status, listing the valid names', () => {
    const message = errorOf("ExecutionStatus = 'running'").message;
    expect(message).toContain("invalid ExecutionStatus value 'running'");
    expect(message).toContain('Running, Completed, Failed, Canceled, Terminated, ContinuedAsNew, TimedOut');
    expect(errorOf('ExecutionStatus = 9').message).toContain('invalid ExecutionStatus value 9');
  });

  it.each([
    ["Flags < 'a'", "operator '<' not supported for KeywordList type search attribute 'Flags'"],
    ["Flags STARTS_WITH 'a'", "operator 'STARTS_WITH' not supported for KeywordList type search attribute 'Flags'"],
    ["Summary IN ('a')", "operator 'IN' not supported for Text type search attribute 'Summary'"],
    ["Summary > 'a'", "operator '>' not supported for Text type search attribute 'Summary'"],
    [
      "Summary NOT STARTS_WITH 'a'",
      "operator 'NOT STARTS_WITH' not supported for Text type search attribute 'Summary'",
    ],
    ['OverdueCount STARTS_WITH 1', "operator 'STARTS_WITH' not supported for Int type search attribute 'OverdueCount'"],
    [
      "ExecutionStatus STARTS_WITH 'Running'",
      "operator 'STARTS_WITH' not supported for Keyword type search attribute 'ExecutionStatus'",
    ],
  ])('rejects an operator the type does not support: %s', (query, expected) => {
    expect(errorOf(query).message).toContain(`operation is not supported: ${expected}`);
  });

  it.each([
    ["Flags BETWEEN 'a' AND 'b'", "'Flags' of type KeywordList"],
    ["Summary BETWEEN 'a' AND 'b'", "'Summary' of type Text"],
    ['Escalated BETWEEN false AND true', "'Escalated' of type Bool"],
  ])('rejects BETWEEN on a type without ranges: %s', (query, expected) => {
    expect(errorOf(query).message).toContain(`cannot do range condition on search attribute ${expected}`);
  });

  it('reports unbalanced parentheses on either side', () => {
    expect(errorOf("(Stage = 'a' OR Stage = 'b'").message).toContain(
      "unbalanced parentheses: '(' at position 0 is not closed",
    );
    expect(errorOf("Stage = 'a')").message).toContain("unbalanced parentheses: ')' without a matching '('");
    expect(errorOf("Stage IN ('a', 'b'").message).toContain(
      "unbalanced parentheses: the IN list for 'Stage' is not closed",
    );
    expect(errorOf('()').message).toContain('unbalanced parentheses');
  });

  it('explains common syntax slips', () => {
    expect(errorOf('Stage = closed').message).toContain("did you forget to quote 'closed'?");
    expect(errorOf('Stage = NULL').message).toContain("use 'Stage IS NULL' or 'Stage IS NOT NULL'");
    expect(errorOf("Stage LIKE 'a%'").message).toContain("operator 'LIKE'");
    expect(errorOf('Stage').message).toContain("incomplete expression: 'Stage' must be followed by an operator");
    expect(errorOf("Stage = 'a' AND").message).toContain('incomplete expression');
    expect(errorOf("'closed' = Stage").message).toContain(
      "expected a search attribute name at the start of a condition but found string 'closed'",
    );
    expect(errorOf("Stage = 'a' Stage = 'b'").message).toContain("unexpected name 'Stage': expected AND, OR, ORDER BY");
    expect(errorOf("Stage = 'unterminated").message).toContain('unterminated string');
    expect(errorOf("Stage = 'a' LIMIT 10").message).toContain("'LIMIT' clause");
    expect(errorOf("Stage = 'a' ; DROP").message).toContain("unexpected character ';'");
    expect(errorOf('Stage IN ()').message).toContain("the IN list for 'Stage' is empty");
    expect(errorOf("Stage IS 'x'").message).toContain("'IS' operator can only be used as 'IS NULL' or 'IS NOT NULL'");
    expect(errorOf("Stage NOT = 'x'").message).toContain("after 'Stage NOT': expected IN, BETWEEN or STARTS_WITH");
    expect(errorOf('Summary = "   "').message).toContain('Text type search attribute Summary (no tokens found)');
  });

  it('rejects ORDER BY a Text attribute and unsupported GROUP BY', () => {
    expect(errorOf('ORDER BY Summary').message).toContain('unable to sort by search attribute Summary of type Text');
    expect(errorOf('GROUP BY CaseRef').message).toContain(
      "'GROUP BY' clause is not supported for search attribute CaseRef",
    );
    expect(errorOf('GROUP BY ExecutionStatus, CaseRef').message).toContain('supports only a single field');
  });

  it('gives the position of the offending token', () => {
    const error = errorOf("Stage = 'a' AND Flags < 'b'");
    expect(error.position).toBe("Stage = 'a' AND Flags < ".length);
    expect(error.message).toMatch(/\(at position 24\)$/);
  });
});
