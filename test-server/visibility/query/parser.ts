import { InvalidVisibilityQueryError } from '../errors';
import type { ComparisonOperator, Expr, FieldRef, Literal, ParsedQuery, SortDirection } from './ast';
import { tokenize, type Token } from './lexer';

const COMPARISON_OPERATORS = new Set(['=', '!=', '<', '>', '<=', '>=']);

/**
 * Parses a List Filter into a syntax tree. Grammar (keywords case-insensitive):
 *
 *   query     := [expr] [ORDER BY name [ASC|DESC] {, name [ASC|DESC]}] [GROUP BY name]
 *   expr      := and {OR and}            -- AND binds tighter than OR
 *   and       := not {AND not}
 *   not       := NOT not | '(' expr ')' | predicate
 *   predicate := name (= | != | <> | < | > | <= | >=) literal
 *              | name [NOT] IN '(' literal {, literal} ')'
 *              | name [NOT] BETWEEN literal AND literal
 *              | name [NOT] STARTS_WITH literal
 *              | name IS [NOT] NULL
 *   literal   := 'string' | "string" | [-]number | TRUE | FALSE
 *
 * Throws {@link InvalidVisibilityQueryError} naming the offending token.
 */
export function parseVisibilityQuery(query: string): ParsedQuery {
  return new Parser(tokenize(query)).parseQuery();
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  parseQuery(): ParsedQuery {
    const result: ParsedQuery = { where: undefined, orderBy: [], groupBy: [] };
    if (!this.atKeyword('ORDER') && !this.atKeyword('GROUP') && this.peek().kind !== 'end') {
      result.where = this.parseOr();
    }
    if (this.atKeyword('ORDER')) {
      this.next();
      this.expectKeyword('BY', 'after ORDER');
      do {
        const field = this.parseFieldRef('in ORDER BY');
        let direction: SortDirection = 'asc';
        if (this.atKeyword('ASC') || this.atKeyword('DESC')) {
          direction = this.atKeyword('DESC') ? 'desc' : 'asc';
          this.next();
        }
        result.orderBy.push({ field, direction });
      } while (this.acceptOperator(','));
    }
    if (this.atKeyword('GROUP')) {
      this.next();
      this.expectKeyword('BY', 'after GROUP');
      do {
        result.groupBy.push(this.parseFieldRef('in GROUP BY'));
      } while (this.acceptOperator(','));
    }
    const rest = this.peek();
    if (rest.kind === 'keyword' && rest.text === 'LIMIT') {
      throw new InvalidVisibilityQueryError(`operation is not supported: 'LIMIT' clause (use the page size)`, rest.pos);
    }
    if (rest.kind === 'operator' && rest.text === ')') {
      throw new InvalidVisibilityQueryError(`unbalanced parentheses: ')' without a matching '('`, rest.pos);
    }
    if (rest.kind !== 'end') {
      throw new InvalidVisibilityQueryError(
        `unexpected ${describe(rest)}: expected AND, OR, ORDER BY or the end of the query`,
        rest.pos,
      );
    }
    return result;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.atKeyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.atKeyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.atKeyword('NOT')) {
      this.next();
      return { kind: 'not', expr: this.parseNot() };
    }
    const token = this.peek();
    if (token.kind === 'operator' && token.text === '(') {
      this.next();
      const inner = this.parseOr();
      const close = this.peek();
      if (!(close.kind === 'operator' && close.text === ')')) {
        throw new InvalidVisibilityQueryError(
          `unbalanced parentheses: '(' at position ${token.pos} is not closed (found ${describe(close)})`,
          close.pos,
        );
      }
      this.next();
      return inner;
    }
    return this.parsePredicate();
  }

  private parsePredicate(): Expr {
    const field = this.parseFieldRef('at the start of a condition');
    let negated = false;
    if (this.atKeyword('NOT')) {
      this.next();
      negated = true;
      const after = this.peek();
      if (!(after.kind === 'keyword' && ['IN', 'BETWEEN', 'STARTS_WITH', 'LIKE'].includes(after.text))) {
        throw new InvalidVisibilityQueryError(
          `unexpected ${describe(after)} after '${field.name} NOT': expected IN, BETWEEN or STARTS_WITH`,
          after.pos,
        );
      }
    }
    const token = this.next();
    if (token.kind === 'operator' && COMPARISON_OPERATORS.has(token.text) && !negated) {
      return { kind: 'compare', field, op: token.text as ComparisonOperator, value: this.parseLiteral(field) };
    }
    if (token.kind === 'keyword') {
      switch (token.text) {
        case 'IN':
          return { kind: 'in', field, negated, values: this.parseLiteralList(field) };
        case 'BETWEEN': {
          const from = this.parseLiteral(field);
          this.expectKeyword('AND', `in '${field.name} BETWEEN ... AND ...'`);
          return { kind: 'between', field, negated, from, to: this.parseLiteral(field) };
        }
        case 'STARTS_WITH':
          return { kind: 'startsWith', field, negated, prefix: this.parseLiteral(field) };
        case 'IS': {
          const not = this.atKeyword('NOT');
          if (not) this.next();
          const nullToken = this.next();
          if (!(nullToken.kind === 'keyword' && nullToken.text === 'NULL')) {
            throw new InvalidVisibilityQueryError(
              `'IS' operator can only be used as 'IS NULL' or 'IS NOT NULL' (found ${describe(nullToken)})`,
              nullToken.pos,
            );
          }
          return { kind: 'isNull', field, negated: not };
        }
        case 'LIKE':
          throw new InvalidVisibilityQueryError(
            `operation is not supported: operator '${negated ? 'NOT LIKE' : 'LIKE'}' (use STARTS_WITH for a Keyword prefix)`,
            token.pos,
          );
      }
    }
    if (token.kind === 'operator' && token.text === '<=>') {
      throw new InvalidVisibilityQueryError(`operation is not supported: operator '<=>'`, token.pos);
    }
    if (token.kind === 'end') {
      throw new InvalidVisibilityQueryError(
        `incomplete expression: '${field.name}' must be followed by an operator (=, !=, <, >, <=, >=, IN, BETWEEN, STARTS_WITH, IS)`,
        token.pos,
      );
    }
    throw new InvalidVisibilityQueryError(
      `unexpected ${describe(token)} after '${field.name}': expected an operator (=, !=, <, >, <=, >=, IN, BETWEEN, STARTS_WITH, IS)`,
      token.pos,
    );
  }

  private parseFieldRef(where: string): FieldRef {
    const token = this.next();
    if (token.kind === 'identifier') return { name: token.text, pos: token.pos };
    if (token.kind === 'operator' && token.text === ')') {
      throw new InvalidVisibilityQueryError(`unbalanced parentheses: unexpected ')' ${where}`, token.pos);
    }
    if (token.kind === 'end') {
      throw new InvalidVisibilityQueryError(
        `incomplete expression: expected a search attribute name ${where}`,
        token.pos,
      );
    }
    throw new InvalidVisibilityQueryError(
      `expected a search attribute name ${where} but found ${describe(token)} ` +
        `(the left side of a condition must be a search attribute; quote reserved words with backticks)`,
      token.pos,
    );
  }

  private parseLiteral(field: FieldRef): Literal {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value, pos: token.pos };
      case 'number':
        return { kind: 'number', text: token.text, pos: token.pos };
      case 'keyword':
        if (token.text === 'TRUE' || token.text === 'FALSE') {
          return { kind: 'bool', value: token.text === 'TRUE', pos: token.pos };
        }
        if (token.text === 'NULL') {
          throw new InvalidVisibilityQueryError(
            `NULL is not a value: use '${field.name} IS NULL' or '${field.name} IS NOT NULL'`,
            token.pos,
          );
        }
        break;
      case 'operator':
        if (token.text === '-') {
          const number = this.next();
          if (number.kind === 'number') return { kind: 'number', text: `-${number.text}`, pos: token.pos };
          throw new InvalidVisibilityQueryError(
            `expected a number after '-' but found ${describe(number)}`,
            number.pos,
          );
        }
        break;
      case 'identifier':
        throw new InvalidVisibilityQueryError(
          `operation is not supported: column name on the right side of comparison expression ` +
            `(did you forget to quote '${token.text}'?)`,
          token.pos,
        );
      case 'end':
        throw new InvalidVisibilityQueryError(`incomplete expression: expected a value for '${field.name}'`, token.pos);
    }
    throw new InvalidVisibilityQueryError(
      `expected a value for '${field.name}' (a quoted string, a number, true or false) but found ${describe(token)}`,
      token.pos,
    );
  }

  private parseLiteralList(field: FieldRef): Literal[] {
    const open = this.next();
    if (!(open.kind === 'operator' && open.text === '(')) {
      throw new InvalidVisibilityQueryError(
        `IN must be followed by a parenthesised list of values, e.g. ${field.name} IN ('a', 'b') (found ${describe(open)})`,
        open.pos,
      );
    }
    const values: Literal[] = [];
    const first = this.peek();
    if (first.kind === 'operator' && first.text === ')') {
      throw new InvalidVisibilityQueryError(`the IN list for '${field.name}' is empty`, first.pos);
    }
    do {
      values.push(this.parseLiteral(field));
    } while (this.acceptOperator(','));
    const close = this.next();
    if (!(close.kind === 'operator' && close.text === ')')) {
      throw new InvalidVisibilityQueryError(
        `unbalanced parentheses: the IN list for '${field.name}' is not closed (found ${describe(close)})`,
        close.pos,
      );
    }
    return values;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private atKeyword(text: string): boolean {
    const token = this.peek();
    return token.kind === 'keyword' && token.text === text;
  }

  private acceptOperator(text: string): boolean {
    const token = this.peek();
    if (token.kind === 'operator' && token.text === text) {
      this.index++;
      return true;
    }
    return false;
  }

  private expectKeyword(text: string, where: string): void {
    const token = this.next();
    if (!(token.kind === 'keyword' && token.text === text)) {
      throw new InvalidVisibilityQueryError(`expected ${text} ${where} but found ${describe(token)}`, token.pos);
    }
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'identifier':
      return `name '${token.text}'`;
    case 'keyword':
      return `keyword ${token.text}`;
    case 'string':
      return `string '${token.value}'`;
    case 'number':
      return `number ${token.text}`;
    case 'operator':
      return `'${token.text}'`;
    case 'end':
      return 'the end of the query';
  }
}
