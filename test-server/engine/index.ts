/**
 * The workflow execution engine's public surface: one method per RPC the services map onto it,
 * each delegating to the module that owns the rule. The engine holds all workflow runs of all
 * namespaces and follows Temporal server semantics; where each concern lives is listed in
 * `test-server/README.md` ("Engine map").
 */
import type { VirtualClock } from '../clock';
import type { ProtoObject } from '../proto';
import type { PollOptions, TaskMatcher } from './task-queue';
import type { ActivityState, WorkflowRun } from './workflow-run';
import { requestCancel } from './lifecycle/cancel-request';
import { terminate } from './lifecycle/close';
import type { NewRunParams } from './lifecycle/create-run';
import { startWorkflow } from './lifecycle/start';
import { cancelActivity, completeActivity, failActivity, heartbeatActivity, runningActivity } from './activities/worker-responses';
import { pollActivityTask } from './activities/dispatch';
import { describe, executionInfo } from './describe';
import { history } from './history';
import { query } from './queries/routing';
import { respondQueryTaskCompleted } from './queries/query-tasks';
import type { Payloads, Req } from './request-fields';
import { signal } from './signals';
import { EngineState, type NamespaceRecord } from './state';
import { pollUpdate, update } from './updates/requests';
import type { VisibilityEntry } from './visibility-index';
import { respondWorkflowTaskCompleted } from './workflow-tasks/completion';
import { pollWorkflowTask } from './workflow-tasks/dispatch';
import { respondWorkflowTaskFailed } from './workflow-tasks/failure';
import { resetStickyTaskQueue, shutdownWorker } from './workflow-tasks/sticky';

export { statusName } from './status-name';
export type { NamespaceRecord } from './state';
export { LONG_POLL_MS } from './long-poll';

type OnCancel = (cb: () => void) => void;

/** The engine. One instance per server. */
export class Engine {
  private readonly s: EngineState;
  readonly namespaces: Map<string, NamespaceRecord>;
  readonly workflowTasks: TaskMatcher<ProtoObject, Req>;
  readonly activityTasks: TaskMatcher<ProtoObject, Req>;

  constructor(
    readonly clock: VirtualClock,
    log: (msg: string) => void,
  ) {
    this.s = new EngineState(clock, log);
    this.namespaces = this.s.namespaces;
    this.workflowTasks = this.s.workflowTasks;
    this.activityTasks = this.s.activityTasks;
  }

  // ---------------------------------------------------------------- namespaces & search attributes

  /** Creates a namespace (idempotent). */
  registerNamespace(name: string): NamespaceRecord {
    return this.s.registerNamespace(name);
  }

  /** The namespace (`default` when the name is empty) or NOT_FOUND. */
  namespace(name: unknown): NamespaceRecord {
    return this.s.namespace(name);
  }

  /** Registers a custom search attribute in every namespace (server `--search-attribute` flag). */
  registerSearchAttributeEverywhere(name: string, type: string): void {
    for (const ns of this.namespaces.values()) {
      ns.registry.register(name, type);
      this.searchAttributesRegistryChanged(ns.name);
    }
  }

  /** Re-reads every record's search attributes of a namespace after its registry changed (added/removed attribute). */
  searchAttributesRegistryChanged(namespace: string): void {
    this.s.visibility.refreshNamespace(namespace);
  }

  /** Finds a run by execution (run id optional: then the current run of the workflow id), or NOT_FOUND. */
  findRun(namespace: string, execution: unknown): WorkflowRun {
    return this.s.findRun(namespace, execution);
  }

  // ---------------------------------------------------------------- clients: workflow lifecycle

  /** StartWorkflowExecution / SignalWithStart: returns the run id and whether a new run started. */
  startWorkflow(req: Req, signal?: NewRunParams['signal']): { runId: string; started: boolean } {
    return startWorkflow(this.s, req, signal);
  }

  /** SignalWorkflowExecution. */
  signal(req: Req): void {
    signal(this.s, req);
  }

  /** RequestCancelWorkflowExecution. */
  requestCancel(req: Req): void {
    requestCancel(this.s, req);
  }

  /** TerminateWorkflowExecution. */
  terminate(req: Req): void {
    terminate(this.s, req);
  }

  // ---------------------------------------------------------------- clients: updates, queries, reads

  /** UpdateWorkflowExecution: admits the update and waits for the requested stage. */
  update(req: Req, onCancel: OnCancel): Promise<ProtoObject> {
    return update(this.s, req, onCancel);
  }

  /** PollWorkflowExecutionUpdate. */
  pollUpdate(req: Req, onCancel: OnCancel): Promise<ProtoObject> {
    return pollUpdate(this.s, req, onCancel);
  }

  /** QueryWorkflow: routes the query to a worker and waits for its answer. */
  query(req: Req, onCancel: OnCancel): Promise<ProtoObject> {
    return query(this.s, req, onCancel);
  }

  /** GetWorkflowExecutionHistory, with long polling (`waitNewEvent`) and the close-event filter. */
  history(req: Req, onCancel: OnCancel): Promise<ProtoObject> {
    return history(this.s, req, onCancel);
  }

  /** DescribeWorkflowExecution. */
  describe(req: Req): ProtoObject {
    return describe(this.s, req);
  }

  /** Visibility records of all runs of a namespace (kept up to date; callers must not change them). */
  visibilityRecords(namespace: string): VisibilityEntry[] {
    const ns = this.namespace(namespace);
    return this.s.visibility.entries(ns.name);
  }

  /** WorkflowExecutionInfo of a run (ListWorkflowExecutions). */
  info(run: WorkflowRun): ProtoObject {
    return executionInfo(this.s, run);
  }

  // ---------------------------------------------------------------- workers: workflow and query tasks

  /** Long-polls a workflow task queue, normal or a worker's sticky queue. */
  pollWorkflowTask(req: Req, options: Omit<PollOptions, 'timeoutMs'>): Promise<ProtoObject | undefined> {
    return pollWorkflowTask(this.s, req, options);
  }

  /** RespondWorkflowTaskCompleted: records the completion, applies commands and protocol messages. */
  respondWorkflowTaskCompleted(req: Req): ProtoObject {
    return respondWorkflowTaskCompleted(this.s, req);
  }

  /** RespondWorkflowTaskFailed. */
  respondWorkflowTaskFailed(req: Req): void {
    respondWorkflowTaskFailed(this.s, req);
  }

  /** RespondQueryTaskCompleted (answer to a query-only task). */
  respondQueryTaskCompleted(req: Req): void {
    respondQueryTaskCompleted(this.s, req);
  }

  /** ShutdownWorker: the worker's sticky queue is gone (its tasks move to the normal queue); its polls are answered. */
  shutdownWorker(req: Req): void {
    shutdownWorker(this.s, req);
  }

  /** ResetStickyTaskQueue: the run's workflow tasks go to its normal queue again. */
  resetStickyTaskQueue(req: Req): void {
    resetStickyTaskQueue(this.s, req);
  }

  // ---------------------------------------------------------------- workers: activity tasks

  /** Long-polls an activity task queue. */
  pollActivityTask(req: Req, options: Omit<PollOptions, 'timeoutMs'>): Promise<ProtoObject | undefined> {
    return pollActivityTask(this.s, req, options);
  }

  /** Locates a running activity attempt by task token or by (workflow id, run id, activity id). */
  activity(req: Req, byId: boolean): { run: WorkflowRun; act: ActivityState } {
    return runningActivity(this.s, req, byId);
  }

  /** RespondActivityTaskCompleted(ById). */
  completeActivity(run: WorkflowRun, act: ActivityState, result: Payloads, identity: string): void {
    completeActivity(this.s, run, act, result, identity);
  }

  /** RespondActivityTaskFailed(ById): retries per policy or records the failure. */
  failActivity(run: WorkflowRun, act: ActivityState, failure: ProtoObject, lastHeartbeatDetails: Payloads, identity: string): void {
    failActivity(this.s, run, act, failure, lastHeartbeatDetails, identity);
  }

  /** RespondActivityTaskCanceled(ById). */
  cancelActivity(run: WorkflowRun, act: ActivityState, details: Payloads, identity: string): void {
    cancelActivity(this.s, run, act, details, identity);
  }

  /** RecordActivityTaskHeartbeat(ById): returns whether cancellation was requested. */
  heartbeatActivity(act: ActivityState, details: Payloads): boolean {
    return heartbeatActivity(this.s, act, details);
  }

  /** Releases every waiting poller (shutdown). */
  shutdown(): void {
    this.s.workflowTasks.releaseAll();
    this.s.activityTasks.releaseAll();
  }
}
