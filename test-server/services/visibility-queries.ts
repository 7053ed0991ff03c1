/**
 * ListWorkflowExecutions / CountWorkflowExecutions over the engine's runs, using the visibility
 * module's query compiler, ordering and counting.
 */
import type { Engine } from '../engine';
import { InvalidArgumentError } from '../errors';
import type { ProtoObject } from '../proto';
import {
  compileVisibilityQuery,
  countVisibilityRecords,
  encodeSearchAttributeValue,
  sortVisibilityRecords,
  VisibilityInputError,
} from '../visibility-bridge';

function compile(engine: Engine, namespace: string, query: string) {
  try {
    return compileVisibilityQuery(query, engine.namespace(namespace).registry);
  } catch (err) {
    if (err instanceof VisibilityInputError) throw new InvalidArgumentError(`query: ${err.message}`);
    throw err;
  }
}

/** ListWorkflowExecutions: filter, order (Temporal's default order unless ORDER BY) and page by offset. */
export function listWorkflows(engine: Engine, req: ProtoObject): ProtoObject {
  const namespace = String(req.namespace || 'default');
  const compiled = compile(engine, namespace, String(req.query ?? ''));
  if (compiled.groupBy.length > 0) throw new InvalidArgumentError('query: GROUP BY is only allowed in CountWorkflowExecutions');
  const rows = engine.visibilityRecords(namespace).filter(({ record }) => compiled.matches(record));
  const runByRecord = new Map(rows.map(({ run, record }) => [record, run]));
  const sorted = sortVisibilityRecords(
    rows.map((r) => r.record),
    compiled.orderBy,
    engine.namespace(namespace).registry,
  );
  const pageSize = Number(req.pageSize ?? 0) || 1000;
  const token = req.nextPageToken as Uint8Array | undefined;
  const offset = token && token.length > 0 ? Number(Buffer.from(token).toString('utf8')) || 0 : 0;
  const page = sorted.slice(offset, offset + pageSize);
  const next = offset + page.length;
  return {
    executions: page.map((record) => engine.info(runByRecord.get(record)!)),
    nextPageToken: next < sorted.length ? Buffer.from(String(next)) : undefined,
  };
}

/** CountWorkflowExecutions, including `GROUP BY ExecutionStatus`. */
export function countWorkflows(engine: Engine, req: ProtoObject): ProtoObject {
  const namespace = String(req.namespace || 'default');
  const compiled = compile(engine, namespace, String(req.query ?? ''));
  const result = countVisibilityRecords(
    engine.visibilityRecords(namespace).map((r) => r.record),
    compiled,
  );
  if (compiled.groupBy.length === 0) return { count: result.count };
  return {
    count: result.count,
    groups: result.groups.map((g) => ({
      groupValues: [encodeSearchAttributeValue('Keyword', g.value ?? '')],
      count: g.count,
    })),
  };
}
