import { InvalidVisibilityQueryError } from '../errors';
import { executionStatusNumber, type VisibilityRecord } from '../record';
import type { SearchAttributeRegistry } from '../registry';
import type { SearchAttributeTypeName } from '../search-attribute-type';
import type { FieldRef } from './ast';

/**
 * How a field's value is read and compared:
 * - `scalar`: a number or string compared with `<`/`===` (Keyword, Int, Double, Datetime as epoch ms,
 *   Bool as 0/1, ExecutionStatus as its enum number, ExecutionDuration in nanoseconds);
 * - `list`: KeywordList (string[]);
 * - `text`: Text (full-text token matching).
 */
export type FieldAccessor =
  | { shape: 'scalar'; get: (record: VisibilityRecord) => number | string | null }
  | { shape: 'list'; get: (record: VisibilityRecord) => readonly string[] | null }
  | { shape: 'text'; get: (record: VisibilityRecord) => string | null };

/** A search attribute name of a query, resolved against the registry. */
export interface ResolvedField {
  /** The name as written in the query (used in error messages). */
  alias: string;
  /** The registered name it resolved to (e.g. `TemporalChangeVersion` for `ChangeVersion`). */
  name: string;
  type: SearchAttributeTypeName;
  /** Fields whose literals need special parsing. */
  special: 'ExecutionStatus' | 'ExecutionDuration' | undefined;
  accessor: FieldAccessor;
}

const NANOS_PER_MILLI = 1_000_000;

type ScalarGetter = (record: VisibilityRecord) => number | string | null;

/** Getters of the system attributes kept as separate fields of the record. */
const SYSTEM_GETTERS: Record<string, ScalarGetter> = {
  WorkflowId: (r) => r.workflowId,
  RunId: (r) => r.runId,
  WorkflowType: (r) => r.workflowType,
  TaskQueue: (r) => r.taskQueue,
  ExecutionStatus: (r) => executionStatusNumber(r.status),
  StartTime: (r) => r.startTime,
  ExecutionTime: (r) => r.executionTime,
  CloseTime: (r) => r.closeTime ?? null,
  ExecutionDuration: (r) => (r.closeTime === undefined ? null : (r.closeTime - r.executionTime) * NANOS_PER_MILLI),
  HistoryLength: (r) => r.historyLength ?? null,
  HistorySizeBytes: (r) => r.historySizeBytes ?? null,
  StateTransitionCount: (r) => r.stateTransitionCount ?? null,
  ParentWorkflowId: (r) => r.parentWorkflowId ?? null,
  ParentRunId: (r) => r.parentRunId ?? null,
  RootWorkflowId: (r) => r.rootWorkflowId ?? null,
  RootRunId: (r) => r.rootRunId ?? null,
};

/**
 * Resolves a name used in a query (Temporal's alias rules, see `SearchAttributeRegistry.resolveQueryName`)
 * and builds the accessor reading its value from a {@link VisibilityRecord}. Throws
 * {@link InvalidVisibilityQueryError} when the name is not a registered search attribute.
 */
export function resolveField(ref: FieldRef, registry: SearchAttributeRegistry): ResolvedField {
  const definition = registry.resolveQueryName(ref.name);
  if (definition === undefined) {
    throw new InvalidVisibilityQueryError(
      `column name '${ref.name}' is not a valid search attribute (names are case-sensitive; custom attributes ` +
        `must be registered first)`,
      ref.pos,
    );
  }
  const { name, type } = definition;
  const special = name === 'ExecutionStatus' || name === 'ExecutionDuration' ? name : undefined;
  const systemGetter = definition.category === 'system' ? SYSTEM_GETTERS[name] : undefined;
  let accessor: FieldAccessor;
  if (systemGetter !== undefined) {
    accessor = { shape: 'scalar', get: systemGetter };
  } else if (type === 'KeywordList') {
    accessor = {
      shape: 'list',
      get: (r) => {
        const value = r.searchAttributes[name];
        return Array.isArray(value) && value.length > 0 ? value : null;
      },
    };
  } else if (type === 'Text') {
    accessor = {
      shape: 'text',
      get: (r) => {
        const value = r.searchAttributes[name];
        return typeof value === 'string' ? value : null;
      },
    };
  } else if (type === 'Bool') {
    accessor = {
      shape: 'scalar',
      get: (r) => {
        const value = r.searchAttributes[name];
        return typeof value === 'boolean' ? (value ? 1 : 0) : null;
      },
    };
  } else if (type === 'Keyword') {
    accessor = {
      shape: 'scalar',
      get: (r) => {
        const value = r.searchAttributes[name];
        return typeof value === 'string' ? value : null;
      },
    };
  } else {
    accessor = {
      shape: 'scalar',
      get: (r) => {
        const value = r.searchAttributes[name];
        return typeof value === 'number' ? value : null;
      },
    };
  }
  return { alias: ref.name, name, type, special, accessor };
}
