import { epochNanosToMillis, parseRfc3339 } from '../datetime';
import { InvalidVisibilityQueryError } from '../errors';
import { EXECUTION_STATUS_NAMES, executionStatusNumber, type ExecutionStatusName } from '../record';
import type { Literal } from './ast';
import type { ResolvedField } from './fields';

const INTEGER = /^-?\d+$/;

/**
 * Converts a literal of the query to the comparable value of the field it is compared with, checking its
 * type as Temporal does:
 * - Keyword, KeywordList, Text: a quoted string;
 * - Int, Double: a number (integer or decimal);
 * - Bool: true or false (compared as 1/0);
 * - Datetime: an RFC 3339 string or an integer of epoch nanoseconds → epoch ms;
 * - ExecutionStatus: a status name (`Running`, `WORKFLOW_EXECUTION_STATUS_RUNNING`) or its enum number;
 * - ExecutionDuration: nanoseconds, a Go duration (`90s`, `1h30m`, `2d`) or `hh:mm:ss` → nanoseconds.
 * Throws {@link InvalidVisibilityQueryError} naming the attribute, its type and the literal.
 */
export function literalValue(field: ResolvedField, literal: Literal): number | string {
  if (field.special === 'ExecutionStatus') return statusValue(field, literal);
  if (field.special === 'ExecutionDuration') return durationValue(field, literal);
  switch (field.type) {
    case 'Keyword':
    case 'KeywordList':
    case 'Text':
      if (literal.kind === 'string') return literal.value;
      break;
    case 'Int':
    case 'Double':
      if (literal.kind === 'number') return Number(literal.text);
      break;
    case 'Bool':
      if (literal.kind === 'bool') return literal.value ? 1 : 0;
      break;
    case 'Datetime':
      if (literal.kind === 'string') {
        const millis = parseRfc3339(literal.value);
        if (millis === undefined) {
          throw new InvalidVisibilityQueryError(
            `invalid expression: unable to parse datetime '${literal.value}' for search attribute ${field.alias} ` +
              `(expected RFC 3339, e.g. '2025-03-01T09:30:00Z')`,
            literal.pos,
          );
        }
        return millis;
      }
      if (literal.kind === 'number' && INTEGER.test(literal.text)) return epochNanosToMillis(literal.text);
      break;
  }
  throw wrongType(field, literal);
}

function statusValue(field: ResolvedField, literal: Literal): number {
  if (literal.kind === 'string') {
    const name = literal.value.startsWith('WORKFLOW_EXECUTION_STATUS_')
      ? screamingToPascal(literal.value.slice('WORKFLOW_EXECUTION_STATUS_'.length))
      : literal.value;
    if (name === 'Unspecified') return 0;
    if ((EXECUTION_STATUS_NAMES as readonly string[]).includes(name)) {
      return executionStatusNumber(name as ExecutionStatusName);
    }
    throw new InvalidVisibilityQueryError(
      `invalid expression: invalid ${field.alias} value '${literal.value}' (expected one of ` +
        `${EXECUTION_STATUS_NAMES.join(', ')})`,
      literal.pos,
    );
  }
  if (literal.kind === 'number' && INTEGER.test(literal.text)) {
    const value = Number(literal.text);
    if (value >= 0 && value <= EXECUTION_STATUS_NAMES.length) return value;
    throw new InvalidVisibilityQueryError(
      `invalid expression: invalid ${field.alias} value ${literal.text} (enum numbers are 0 to ${EXECUTION_STATUS_NAMES.length})`,
      literal.pos,
    );
  }
  throw wrongType(field, literal);
}

const DURATION_UNIT_NANOS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
  d: 86400e9,
};

function durationValue(field: ResolvedField, literal: Literal): number {
  if (literal.kind === 'number' && INTEGER.test(literal.text)) return Number(literal.text);
  if (literal.kind === 'string') {
    const nanos = parseDurationNanos(literal.value);
    if (nanos !== undefined) return nanos;
    throw new InvalidVisibilityQueryError(
      `invalid expression: invalid duration value for search attribute ${field.alias}: '${literal.value}' ` +
        `(expected nanoseconds, a duration such as '90s' or '1h30m', or 'hh:mm:ss')`,
      literal.pos,
    );
  }
  throw wrongType(field, literal);
}

/** Parses `123` (ns), Go durations with a `d` unit (`-1.5h`, `2h45m`, `300ms`) or `hh:mm:ss` into nanoseconds. */
function parseDurationNanos(text: string): number | undefined {
  if (INTEGER.test(text)) return Number(text);
  const hms = /^(\d+):([0-5]\d):([0-5]\d)$/.exec(text);
  if (hms !== null) return ((Number(hms[1]) * 60 + Number(hms[2])) * 60 + Number(hms[3])) * 1e9;
  const go = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h|d))+$/.exec(text);
  if (go === null) return undefined;
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d)/g)) {
    total += Number(part[1]) * DURATION_UNIT_NANOS[part[2]];
  }
  return go[1] === '-' ? -total : total;
}

function screamingToPascal(text: string): string {
  return text
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

function wrongType(field: ResolvedField, literal: Literal): InvalidVisibilityQueryError {
  const shown =
    literal.kind === 'string'
      ? `'${literal.value}' (a string)`
      : literal.kind === 'number'
        ? `${literal.text} (a number)`
        : `${literal.value} (a boolean)`;
  return new InvalidVisibilityQueryError(
    `invalid expression: invalid value type for search attribute ${field.alias} of type ${field.type}: ${shown}; ` +
      `expected ${expectedLiteral(field)}`,
    literal.pos,
  );
}

function expectedLiteral(field: ResolvedField): string {
  if (field.special === 'ExecutionStatus') return "a status name such as 'Running'";
  if (field.special === 'ExecutionDuration') return "nanoseconds or a duration string such as '90s'";
  switch (field.type) {
    case 'Keyword':
    case 'KeywordList':
    case 'Text':
      return 'a quoted string';
    case 'Int':
    case 'Double':
      return 'a number';
    case 'Bool':
      return 'true or false';
    case 'Datetime':
      return "an RFC 3339 string such as '2025-03-01T09:30:00Z' or epoch nanoseconds";
  }
}
