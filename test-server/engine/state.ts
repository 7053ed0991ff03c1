/**
 * The engine's state: namespaces, every run (by run id, the current run of each workflow id, and
 * in start order), the task queues workers poll, query-only tasks awaiting an answer, and the
 * visibility index. Lookups fail with the errors Temporal returns.
 */
import { randomUUID } from 'node:crypto';
import type { VirtualClock } from '../clock';
import { InvalidArgumentError, NotFoundError, WorkflowClosedError } from '../errors';
import type { ProtoObject } from '../proto';
import { StickyQueues } from './sticky-queues';
import { TaskMatcher } from './task-queue';
import { SearchAttributeRegistry } from '../visibility-bridge';
import type { PendingQuery, WorkflowRun } from './workflow-run';
import { obj, str, type Req } from './request-fields';
import { VisibilityIndex } from './visibility-index';

/** Namespace metadata. */
export interface NamespaceRecord {
  name: string;
  id: string;
  registry: SearchAttributeRegistry;
}

/** Everything the engine holds. One instance per server. */
export class EngineState {
  readonly namespaces = new Map<string, NamespaceRecord>();
  private readonly runs = new Map<string, WorkflowRun>();
  private readonly currentRuns = new Map<string, WorkflowRun>();
  private readonly allRuns: WorkflowRun[] = [];
  readonly visibility = new VisibilityIndex((namespace) => this.namespace(namespace).registry);
  readonly workflowTasks = new TaskMatcher<ProtoObject, Req>();
  readonly activityTasks = new TaskMatcher<ProtoObject, Req>();
  /** Workers' sticky queues: last poll, workflow tasks waiting there. */
  readonly stickyQueues = new StickyQueues();
  /** Queries sent (or about to be sent) as query-only tasks, by query id. */
  readonly legacyQueries = new Map<string, PendingQuery>();

  constructor(
    readonly clock: VirtualClock,
    readonly log: (msg: string) => void,
  ) {
    this.registerNamespace('default');
  }

  /** Creates a namespace (idempotent). */
  registerNamespace(name: string): NamespaceRecord {
    let ns = this.namespaces.get(name);
    if (!ns) {
      ns = { name, id: randomUUID(), registry: new SearchAttributeRegistry() };
      this.namespaces.set(name, ns);
    }
    return ns;
  }

  /** The namespace (`default` when the name is empty) or NOT_FOUND. */
  namespace(name: unknown): NamespaceRecord {
    const n = str(name) || 'default';
    const ns = this.namespaces.get(n);
    if (!ns) throw new NotFoundError(`Namespace ${n} is not found.`);
    return ns;
  }

  /** Records a new run as the current run of its workflow id. */
  addRun(run: WorkflowRun): void {
    this.runs.set(run.runId, run);
    this.currentRuns.set(runKey(run.namespace, run.workflowId), run);
    this.allRuns.push(run);
  }

  /** The run with this run id, if any. */
  runById(runId: string): WorkflowRun | undefined {
    return this.runs.get(runId);
  }

  /** The latest run of a workflow id, open or closed, if any. */
  currentRun(namespace: string, workflowId: string): WorkflowRun | undefined {
    return this.currentRuns.get(runKey(namespace, workflowId));
  }

  /** Every run of a workflow id, oldest first. */
  runsOf(namespace: string, workflowId: string): WorkflowRun[] {
    return this.allRuns.filter((r) => r.namespace === namespace && r.workflowId === workflowId);
  }

  /** Finds a run by execution (run id optional: then the current run of the workflow id), or NOT_FOUND. */
  findRun(namespace: string, execution: unknown): WorkflowRun {
    const e = obj(execution);
    const workflowId = str(e.workflowId);
    const runId = str(e.runId);
    if (!workflowId) throw new InvalidArgumentError('execution.workflowId: WorkflowId is not set on request.');
    const run = runId ? this.runs.get(runId) : this.currentRun(namespace, workflowId);
    if (!run || run.workflowId !== workflowId || run.namespace !== namespace) {
      throw new NotFoundError(`workflow not found for ID: ${workflowId}`);
    }
    return run;
  }

  /** Like {@link findRun}, and the run must be open (else "workflow execution already completed"). */
  openRun(namespace: string, execution: unknown): WorkflowRun {
    const run = this.findRun(namespace, execution);
    if (!run.isOpen) throw new WorkflowClosedError();
    return run;
  }
}

function runKey(namespace: string, workflowId: string): string {
  return `${namespace}\u0000${workflowId}`;
}
