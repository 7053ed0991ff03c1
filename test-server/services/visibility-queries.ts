/**
 * ListWorkflowExecutions / CountWorkflowExecutions over the engine's runs, using the visibility
 * module's query compiler, ordering and counting.
 */
import type { Engine } from '../engine';
import type { WorkflowRun } from '../engine/workflow-run';
import { ListSnapshots, parsePageToken } from './list-snapshots';
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

const snapshotsByEngine = new WeakMap<Engine, ListSnapshots<WorkflowRun>>();

function snapshotsOf(engine: Engine): ListSnapshots<WorkflowRun> {
  let snapshots = snapshotsByEngine.get(engine);
  if (!snapshots) {
    snapshots = new ListSnapshots<WorkflowRun>();
    snapshotsByEngine.set(engine, snapshots);
  }
  return snapshots;
}

/** The runs matching a query, in its order (Temporal's default order unless ORDER BY). */
function matchingRuns(engine: Engine, namespace: string, query: string): WorkflowRun[] {
  const compiled = compile(engine, namespace, query);
  if (compiled.groupBy.length > 0) throw new InvalidArgumentError('query: GROUP BY is only allowed in CountWorkflowExecutions');
  const rows = engine.visibilityRecords(namespace).filter(({ record }) => compiled.matches(record));
  const runByRecord = new Map(rows.map(({ run, record }) => [record, run]));
  const sorted = sortVisibilityRecords(
    rows.map((r) => r.record),
    compiled.orderBy,
    engine.namespace(namespace).registry,
  );
  return sorted.map((record) => runByRecord.get(record) as WorkflowRun);
}

/**
 * ListWorkflowExecutions: the first page filters and sorts, and keeps the result as a snapshot
 * that the page tokens name; later pages slice it. A token whose snapshot expired is answered by
 * running the query again from the same offset.
 */
export function listWorkflows(engine: Engine, req: ProtoObject): ProtoObject {
  const namespace = String(req.namespace || 'default');
  const query = String(req.query ?? '');
  const key = `${namespace}\u0000${query}`;
  const snapshots = snapshotsOf(engine);
  const cursor = parsePageToken(req.nextPageToken as Uint8Array | undefined);
  let snapshotId = cursor?.snapshotId;
  let runs = snapshotId === undefined ? undefined : snapshots.get(snapshotId, key);
  if (!runs) {
    runs = matchingRuns(engine, namespace, query);
    snapshotId = undefined;
  }
  const pageSize = Number(req.pageSize ?? 0) || 1000;
  const offset = cursor?.offset ?? 0;
  const page = runs.slice(offset, offset + pageSize);
  const next = offset + page.length;
  const more = next < runs.length;
  if (more && snapshotId === undefined) snapshotId = snapshots.create(key, runs);
  if (!more && snapshotId !== undefined) snapshots.drop(snapshotId);
  return {
    executions: page.map((run) => engine.info(run)),
    nextPageToken: more && snapshotId !== undefined ? ListSnapshots.token(snapshotId, next) : undefined,
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
