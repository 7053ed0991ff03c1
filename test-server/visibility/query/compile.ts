import { InvalidVisibilityQueryError } from '../errors';
import type { VisibilityRecord } from '../record';
import type { SearchAttributeRegistry } from '../registry';
import type { Expr, FieldRef, Literal, ParsedQuery, SortDirection } from './ast';
import { resolveField, type ResolvedField } from './fields';
import { literalValue } from './literals';
import { parseVisibilityQuery } from './parser';
import { cachedTextTokens, matchesAnyPhrase, textQueryPhrases } from './text-match';

/** One ORDER BY item, with the attribute's registered name. */
export interface OrderByItem {
  field: string;
  direction: SortDirection;
}

/** A compiled List Filter: compile once, then call `matches` on every record. */
export interface CompiledVisibilityQuery {
  /** True when the record satisfies the filter (SQL semantics: an UNKNOWN result does not match). */
  matches(record: VisibilityRecord): boolean;
  /** ORDER BY items in query order (empty: the server's default order). */
  orderBy: OrderByItem[];
  /** GROUP BY attributes (CountWorkflowExecutions only; Temporal allows just ExecutionStatus). */
  groupBy: string[];
}

// Three-valued logic, as the SQL visibility stores evaluate a filter: a comparison with a missing value is
// UNKNOWN; NOT UNKNOWN is UNKNOWN; only TRUE matches.
const FALSE = 0;
const TRUE = 1;
const UNKNOWN = 2;
type Truth = typeof FALSE | typeof TRUE | typeof UNKNOWN;
type Predicate = (record: VisibilityRecord) => Truth;

const GROUP_BY_ALLOWED = ['ExecutionStatus', 'TemporalNamespaceDivision'];
const GROUP_BY_ALLOWED_PREFIX = 'TemporalLowCardinalityKeyword';

/**
 * Compiles a List Filter (the `query` of ListWorkflowExecutions / CountWorkflowExecutions) against a
 * registry. The empty query matches everything. Throws {@link InvalidVisibilityQueryError} with a message
 * naming the offending token or attribute and the rule (unknown attribute, wrong literal type, operator
 * not supported for the type, unbalanced parentheses, ...).
 */
export function compileVisibilityQuery(query: string, registry: SearchAttributeRegistry): CompiledVisibilityQuery {
  const parsed = parseVisibilityQuery(query ?? '');
  const predicate = parsed.where === undefined ? undefined : compileExpr(parsed.where, registry);
  const orderBy = parsed.orderBy.map(({ field, direction }) => {
    const resolved = resolveField(field, registry);
    if (resolved.type === 'Text') {
      throw new InvalidVisibilityQueryError(
        `operation is not supported: unable to sort by search attribute ${resolved.alias} of type Text ` +
          `(use a Keyword attribute)`,
        field.pos,
      );
    }
    return { field: resolved.name, direction };
  });
  if (parsed.groupBy.length > 1) {
    throw new InvalidVisibilityQueryError(
      `operation is not supported: 'GROUP BY' clause supports only a single field`,
      parsed.groupBy[1].pos,
    );
  }
  const groupBy = parsed.groupBy.map((field) => {
    const resolved = resolveField(field, registry);
    if (!GROUP_BY_ALLOWED.includes(resolved.name) && !resolved.name.startsWith(GROUP_BY_ALLOWED_PREFIX)) {
      throw new InvalidVisibilityQueryError(
        `operation is not supported: 'GROUP BY' clause is not supported for search attribute ${resolved.alias} ` +
          `(only ExecutionStatus)`,
        field.pos,
      );
    }
    return resolved.name;
  });
  return {
    matches: withNamespaceDivisionFilter(predicate, mentionsNamespaceDivision(parsed, registry)),
    orderBy,
    groupBy,
  };
}

const NAMESPACE_DIVISION = 'TemporalNamespaceDivision';

/**
 * Like Temporal, a query that does not mention TemporalNamespaceDivision only sees executions without one
 * (plain workflows; Temporal puts its scheduler's workflows in a division of their own).
 */
function withNamespaceDivisionFilter(
  predicate: Predicate | undefined,
  mentioned: boolean,
): (record: VisibilityRecord) => boolean {
  if (mentioned) return predicate === undefined ? () => true : (record) => predicate(record) === TRUE;
  if (predicate === undefined) return (record) => record.searchAttributes[NAMESPACE_DIVISION] === undefined;
  return (record) => record.searchAttributes[NAMESPACE_DIVISION] === undefined && predicate(record) === TRUE;
}

function mentionsNamespaceDivision(parsed: ParsedQuery, registry: SearchAttributeRegistry): boolean {
  const refs: FieldRef[] = [...parsed.orderBy.map((o) => o.field), ...parsed.groupBy];
  const visit = (expr: Expr | undefined): void => {
    if (expr === undefined) return;
    if (expr.kind === 'and' || expr.kind === 'or') {
      visit(expr.left);
      visit(expr.right);
    } else if (expr.kind === 'not') visit(expr.expr);
    else refs.push(expr.field);
  };
  visit(parsed.where);
  return refs.some((ref) => registry.resolveQueryName(ref.name)?.name === NAMESPACE_DIVISION);
}

function compileExpr(expr: Expr, registry: SearchAttributeRegistry): Predicate {
  switch (expr.kind) {
    case 'and': {
      const left = compileExpr(expr.left, registry);
      const right = compileExpr(expr.right, registry);
      return (r) => {
        const a = left(r);
        if (a === FALSE) return FALSE;
        const b = right(r);
        if (b === FALSE) return FALSE;
        return a === TRUE && b === TRUE ? TRUE : UNKNOWN;
      };
    }
    case 'or': {
      const left = compileExpr(expr.left, registry);
      const right = compileExpr(expr.right, registry);
      return (r) => {
        const a = left(r);
        if (a === TRUE) return TRUE;
        const b = right(r);
        if (b === TRUE) return TRUE;
        return a === FALSE && b === FALSE ? FALSE : UNKNOWN;
      };
    }
    case 'not': {
      const inner = compileExpr(expr.expr, registry);
      return (r) => {
        const a = inner(r);
        return a === UNKNOWN ? UNKNOWN : a === TRUE ? FALSE : TRUE;
      };
    }
    case 'isNull': {
      const field = resolveField(expr.field, registry);
      const get = field.accessor.get;
      const wantNull = !expr.negated;
      return (r) => ((get(r) === null) === wantNull ? TRUE : FALSE);
    }
    case 'compare':
      return compileComparison(expr.field, expr.op, expr.value, registry);
    case 'in':
      return compileIn(expr.field, expr.negated, expr.values, registry);
    case 'between':
      return compileBetween(expr.field, expr.negated, expr.from, expr.to, registry);
    case 'startsWith':
      return compileStartsWith(expr.field, expr.negated, expr.prefix, registry);
  }
}

function operatorNotSupported(field: ResolvedField, operator: string, pos: number): InvalidVisibilityQueryError {
  const allowed =
    field.type === 'KeywordList'
      ? '=, !=, IN, NOT IN (= means "contains")'
      : field.type === 'Text'
        ? '= and != (token match)'
        : field.type === 'Keyword' && field.special === undefined
          ? '=, !=, <, >, <=, >=, IN, NOT IN, BETWEEN, STARTS_WITH, NOT STARTS_WITH'
          : field.type === 'Bool'
            ? '=, !=, <, >, <=, >=, IN, NOT IN'
            : '=, !=, <, >, <=, >=, IN, NOT IN, BETWEEN';
  return new InvalidVisibilityQueryError(
    `operation is not supported: operator '${operator}' not supported for ${field.type} type search attribute ` +
      `'${field.alias}' (supported: ${allowed})`,
    pos,
  );
}

function compileComparison(ref: FieldRef, op: string, literal: Literal, registry: SearchAttributeRegistry): Predicate {
  const field = resolveField(ref, registry);
  const value = literalValue(field, literal);
  const accessor = field.accessor;
  if (accessor.shape === 'list') {
    if (op !== '=' && op !== '!=') throw operatorNotSupported(field, op, literal.pos);
    // KeywordList = 'x' means "contains x"; a missing list contains nothing (so != matches it).
    const wanted = value as string;
    const whenContains = op === '=' ? TRUE : FALSE;
    const whenNot = op === '=' ? FALSE : TRUE;
    const get = accessor.get;
    return (r) => {
      const list = get(r);
      return list !== null && list.includes(wanted) ? whenContains : whenNot;
    };
  }
  if (accessor.shape === 'text') {
    if (op !== '=' && op !== '!=') throw operatorNotSupported(field, op, literal.pos);
    return compileTextMatch(field, accessor.get, value as string, op === '!=', literal.pos);
  }
  const get = accessor.get;
  switch (op) {
    case '=':
      return (r) => {
        const v = get(r);
        return v === null ? UNKNOWN : v === value ? TRUE : FALSE;
      };
    case '!=':
      return (r) => {
        const v = get(r);
        return v === null ? UNKNOWN : v !== value ? TRUE : FALSE;
      };
    case '<':
      return (r) => {
        const v = get(r);
        return v === null ? UNKNOWN : v < value ? TRUE : FALSE;
      };
    case '<=':
      return (r) => {
        const v = get(r);
        return v === null ? UNKNOWN : v <= value ? TRUE : FALSE;
      };
    case '>':
      return (r) => {
        const v = get(r);
        return v === null ? UNKNOWN : v > value ? TRUE : FALSE;
      };
    case '>=':
      return (r) => {
        const v = get(r);
        return v === null ? UNKNOWN : v >= value ? TRUE : FALSE;
      };
  }
  throw operatorNotSupported(field, op, literal.pos);
}

function compileTextMatch(
  field: ResolvedField,
  get: (record: VisibilityRecord) => string | null,
  query: string,
  negated: boolean,
  pos: number,
): Predicate {
  const phrases = textQueryPhrases(query);
  if (query.split(' ').every((term) => term === '')) {
    throw new InvalidVisibilityQueryError(
      `invalid expression: unexpected value for Text type search attribute ${field.alias} (no tokens found)`,
      pos,
    );
  }
  const whenMatch = negated ? FALSE : TRUE;
  const whenNoMatch = negated ? TRUE : FALSE;
  return (r) => {
    const text = get(r);
    if (text === null) return whenNoMatch;
    const tokens = cachedTextTokens(text);
    return matchesAnyPhrase(tokens, phrases) ? whenMatch : whenNoMatch;
  };
}

function compileIn(ref: FieldRef, negated: boolean, literals: Literal[], registry: SearchAttributeRegistry): Predicate {
  const field = resolveField(ref, registry);
  const values = literals.map((literal) => literalValue(field, literal));
  const operator = negated ? 'NOT IN' : 'IN';
  const accessor = field.accessor;
  if (accessor.shape === 'text') throw operatorNotSupported(field, operator, ref.pos);
  const set = new Set<number | string>(values);
  if (accessor.shape === 'list') {
    // KeywordList IN (...) means "contains any of"; NOT IN means "contains none of" (missing list included).
    const get = accessor.get;
    const whenAny = negated ? FALSE : TRUE;
    const whenNone = negated ? TRUE : FALSE;
    return (r) => {
      const list = get(r);
      if (list !== null) {
        for (const item of list) if (set.has(item)) return whenAny;
      }
      return whenNone;
    };
  }
  const get = accessor.get;
  const whenIn = negated ? FALSE : TRUE;
  const whenOut = negated ? TRUE : FALSE;
  return (r) => {
    const v = get(r);
    return v === null ? UNKNOWN : set.has(v) ? whenIn : whenOut;
  };
}

function compileBetween(
  ref: FieldRef,
  negated: boolean,
  fromLiteral: Literal,
  toLiteral: Literal,
  registry: SearchAttributeRegistry,
): Predicate {
  const field = resolveField(ref, registry);
  if (
    field.accessor.shape !== 'scalar' ||
    field.type === 'Bool' ||
    (field.type === 'Keyword' && field.special !== undefined)
  ) {
    throw new InvalidVisibilityQueryError(
      `invalid expression: cannot do range condition on search attribute '${field.alias}' of type ${field.type} ` +
        `(BETWEEN works on Datetime, Int, Double and Keyword)`,
      ref.pos,
    );
  }
  const from = literalValue(field, fromLiteral);
  const to = literalValue(field, toLiteral);
  const get = field.accessor.get;
  const inside = negated ? FALSE : TRUE;
  const outside = negated ? TRUE : FALSE;
  return (r) => {
    const v = get(r);
    return v === null ? UNKNOWN : v >= from && v <= to ? inside : outside;
  };
}

function compileStartsWith(
  ref: FieldRef,
  negated: boolean,
  prefixLiteral: Literal,
  registry: SearchAttributeRegistry,
): Predicate {
  const field = resolveField(ref, registry);
  const operator = negated ? 'NOT STARTS_WITH' : 'STARTS_WITH';
  const accessor = field.accessor;
  if (field.type !== 'Keyword' || field.special !== undefined || accessor.shape !== 'scalar') {
    literalValue(field, prefixLiteral);
    throw operatorNotSupported(field, operator, ref.pos);
  }
  if (prefixLiteral.kind !== 'string') {
    throw new InvalidVisibilityQueryError(
      `invalid expression: right-hand side of '${operator}' must be a literal string (got ${
        prefixLiteral.kind === 'number' ? prefixLiteral.text : String(prefixLiteral.value)
      }) for search attribute ${field.alias}`,
      prefixLiteral.pos,
    );
  }
  const prefix = prefixLiteral.value;
  const get = accessor.get;
  const whenPrefixed = negated ? FALSE : TRUE;
  const whenNot = negated ? TRUE : FALSE;
  return (r) => {
    const v = get(r);
    return v === null ? UNKNOWN : (v as string).startsWith(prefix) ? whenPrefixed : whenNot;
  };
}
