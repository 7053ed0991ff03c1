import { InvalidVisibilityQueryError } from '../errors';

/** Words with a meaning in the List Filter language (matched case-insensitively, reported upper-case). */
const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'IN',
  'BETWEEN',
  'IS',
  'NULL',
  'ORDER',
  'GROUP',
  'BY',
  'ASC',
  'DESC',
  'TRUE',
  'FALSE',
  'STARTS_WITH',
  'LIKE',
  'LIMIT',
]);

/** A lexical token of a List Filter, with its character offset. */
export type Token =
  | { kind: 'identifier'; text: string; pos: number }
  | { kind: 'keyword'; text: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; text: string; pos: number }
  | { kind: 'operator'; text: string; pos: number }
  | { kind: 'end'; pos: number };

const OPERATORS = ['<=>', '<=', '>=', '!=', '<>', '=', '<', '>', '(', ')', ',', '-'];

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', '0': '\0', Z: '\x1a' };

/**
 * Splits a List Filter into tokens. Strings may use single or double quotes (a doubled quote or a
 * backslash escapes); names may be backtick-quoted (`` `My Attribute` ``); keywords are case-insensitive.
 * Throws {@link InvalidVisibilityQueryError} for an unexpected character or an unterminated string/name.
 */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      const [value, next] = readQuoted(query, i, c, 'string');
      tokens.push({ kind: 'string', value, pos: start });
      i = next;
    } else if (c === '`') {
      const [text, next] = readQuoted(query, i, '`', 'name');
      if (text === '') throw new InvalidVisibilityQueryError('empty backtick-quoted name', start);
      tokens.push({ kind: 'identifier', text, pos: start });
      i = next;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(query[i + 1] ?? ''))) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(query.slice(i));
      const text = m ? m[0] : c;
      if (/[A-Za-z_]/.test(query[i + text.length] ?? '')) {
        const word = /^[A-Za-z0-9_.]+/.exec(query.slice(i))?.[0] ?? text;
        throw new InvalidVisibilityQueryError(
          `'${word}' is neither a number nor a search attribute name (quote names that start with a digit with backticks)`,
          start,
        );
      }
      tokens.push({ kind: 'number', text, pos: start });
      i += text.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const text = /^[A-Za-z_][A-Za-z0-9_]*/.exec(query.slice(i))![0];
      const upper = text.toUpperCase();
      if (KEYWORDS.has(upper)) tokens.push({ kind: 'keyword', text: upper, pos: start });
      else tokens.push({ kind: 'identifier', text, pos: start });
      i += text.length;
    } else {
      const op = OPERATORS.find((o) => query.startsWith(o, i));
      if (op === undefined) {
        throw new InvalidVisibilityQueryError(`unexpected character '${c}'`, start);
      }
      tokens.push({ kind: 'operator', text: op === '<>' ? '!=' : op, pos: start });
      i += op.length;
    }
  }
  tokens.push({ kind: 'end', pos: query.length });
  return tokens;
}

function readQuoted(query: string, start: number, quote: string, what: 'string' | 'name'): [string, number] {
  let value = '';
  let i = start + 1;
  while (i < query.length) {
    const c = query[i];
    if (c === quote) {
      if (query[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return [value, i + 1];
    }
    if (c === '\\' && what === 'string' && i + 1 < query.length) {
      const next = query[i + 1];
      value += ESCAPES[next] ?? next;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  throw new InvalidVisibilityQueryError(`unterminated ${what} starting with ${quote}`, start);
}
