/**
 * The workflow execution engine: all workflow runs of all namespaces, their histories and the
 * state machines that turn client requests and worker completions into history events, following
 * Temporal server semantics (buffered events while a workflow task runs, update protocol
 * messages, activity retries and timeouts, child workflows, continue-as-new, time skipping).
 */
import { randomUUID } from 'node:crypto';
import type { VirtualClock } from '../clock';
import {
  InvalidArgumentError,
  NotFoundError,
  ServiceError,
  WorkflowAlreadyStartedError,
  WorkflowClosedError,
} from '../errors';
import { durationToMs, msToDuration, msToTimestamp, packAny, temporal, toNumber, unpackAny, type Int64Like, type ProtoObject } from '../proto';
import { EncodedHistory, eventChanged } from '../history-codec';
import { decideRetry, effectiveRetryPolicy, retryPolicyToProto, type RetryPolicyInput } from '../retry';
import type { PollOptions, TaskMatcher } from '../task-queue';
import {
  WorkflowRun,
  type ActivityState,
  type ChildState,
  type ParentRef,
  type PendingQuery,
  type UpdateState,
  type WorkflowTaskState,
} from '../workflow-run';
import { TASK_POLL_MS, waitUntil } from './long-poll';
import { obj, str, type Payloads, type Req } from './request-fields';
import { upsertFields, validateSearchAttributes } from './search-attributes';
import { EngineState, type NamespaceRecord } from './state';
import { statusName } from './status-name';
import { encodeTaskToken, parseTaskToken } from './task-token';
import type { VisibilityEntry } from './visibility-index';

const ET = temporal.api.enums.v1.EventType;
const Status = temporal.api.enums.v1.WorkflowExecutionStatus;
const CommandType = temporal.api.enums.v1.CommandType;
const TimeoutType = temporal.api.enums.v1.TimeoutType;
const RetryState = temporal.api.enums.v1.RetryState;
const UpdateStage = temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
const ConflictPolicy = temporal.api.enums.v1.WorkflowIdConflictPolicy;
const ReusePolicy = temporal.api.enums.v1.WorkflowIdReusePolicy;
const ParentClosePolicy = temporal.api.enums.v1.ParentClosePolicy;
const TaskQueueKind = temporal.api.enums.v1.TaskQueueKind;
const WftFailedCause = temporal.api.enums.v1.WorkflowTaskFailedCause;

const DEFAULT_WFT_TIMEOUT_MS = 10_000;

/** Thrown to the completing worker when its completion raced new events (sdk-core evicts and polls again). */
class UnhandledCommandError extends ServiceError {
  constructor() {
    super(3, 'UnhandledCommand');
    this.name = 'UnhandledCommandError';
  }
}

/** Parameters of a new run (from a start request, a child command or continue-as-new). */
interface NewRunParams {
  namespace: string;
  workflowId: string;
  workflowType: string;
  taskQueue: string;
  input?: Payloads;
  header?: Payloads;
  memo?: Record<string, ProtoObject>;
  searchAttributes?: Record<string, ProtoObject>;
  workflowTaskTimeoutMs: number;
  runTimeoutMs: number;
  executionTimeoutMs: number;
  requestId: string;
  identity: string;
  parent?: ParentRef;
  root?: { workflowId: string; runId: string };
  firstRunId?: string;
  continuedExecutionRunId?: string;
  initiator?: number;
  continuedFailure?: Payloads;
  lastCompletionResult?: Payloads;
  retryPolicy?: Payloads;
  firstWorkflowTaskBackoffMs?: number;
  signal?: { signalName: string; input?: Payloads; header?: Payloads; identity: string };
}

/** The engine. One instance per server. */
export class Engine {
  private readonly s: EngineState;
  readonly namespaces: Map<string, NamespaceRecord>;
  readonly workflowTasks: TaskMatcher<ProtoObject, Req>;
  readonly activityTasks: TaskMatcher<ProtoObject, Req>;

  constructor(
    readonly clock: VirtualClock,
    private readonly log: (msg: string) => void,
  ) {
    this.s = new EngineState(clock, log);
    this.namespaces = this.s.namespaces;
    this.workflowTasks = this.s.workflowTasks;
    this.activityTasks = this.s.activityTasks;
  }

  // ---------------------------------------------------------------- namespaces

  /** Creates a namespace (idempotent). */
  registerNamespace(name: string): NamespaceRecord {
    return this.s.registerNamespace(name);
  }

  /** The namespace or NOT_FOUND. */
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

  // ---------------------------------------------------------------- lookups

  /** Finds a run by execution (run id optional: then the current run of the workflow id). */
  findRun(namespace: string, execution: unknown): WorkflowRun {
    return this.s.findRun(namespace, execution);
  }

  private openRun(namespace: string, execution: unknown): WorkflowRun {
    return this.s.openRun(namespace, execution);
  }

  // ---------------------------------------------------------------- start

  /** StartWorkflowExecution / SignalWithStart: returns the run id and whether a new run started. */
  startWorkflow(req: Req, signal?: NewRunParams['signal']): { runId: string; started: boolean } {
    const ns = this.namespace(req.namespace);
    const workflowId = str(req.workflowId);
    if (!workflowId) throw new InvalidArgumentError('workflowId: WorkflowId is not set on request.');
    const workflowType = str(obj(req.workflowType).name);
    if (!workflowType) throw new InvalidArgumentError('workflowType: WorkflowType is not set on request.');
    const taskQueue = str(obj(req.taskQueue).name);
    if (!taskQueue) throw new InvalidArgumentError('taskQueue: TaskQueue is not set on request.');
    const requestId = str(req.requestId) || randomUUID();
    const searchAttributes = validateSearchAttributes(ns, req.searchAttributes);

    const existing = this.s.currentRun(ns.name, workflowId);
    if (existing) {
      if (existing.requestIds.has(requestId)) return { runId: existing.runId, started: false };
      if (existing.isOpen) {
        const conflict = Number(req.workflowIdConflictPolicy ?? 0);
        const reuse = Number(req.workflowIdReusePolicy ?? 0);
        if (signal) {
          this.signalRun(existing, signal.signalName, signal.input, signal.header, signal.identity, requestId);
          return { runId: existing.runId, started: false };
        }
        if (conflict === ConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING) {
          return { runId: existing.runId, started: false };
        }
        if (
          conflict === ConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING ||
          reuse === ReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING
        ) {
          this.terminateRun(existing, 'terminated by a new start of the same workflow id', undefined, str(req.identity));
        } else {
          throw new WorkflowAlreadyStartedError(workflowId, existing.runId, existing.startRequestId);
        }
      } else {
        const reuse = Number(req.workflowIdReusePolicy ?? 0);
        if (reuse === ReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE) {
          throw new WorkflowAlreadyStartedError(workflowId, existing.runId, existing.startRequestId);
        }
        if (
          reuse === ReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY &&
          (existing.status === Status.WORKFLOW_EXECUTION_STATUS_COMPLETED ||
            existing.status === Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW)
        ) {
          throw new WorkflowAlreadyStartedError(workflowId, existing.runId, existing.startRequestId);
        }
      }
    }
    const run = this.createRun({
      namespace: ns.name,
      workflowId,
      workflowType,
      taskQueue,
      input: req.input as Payloads,
      header: req.header as Payloads,
      memo: (obj(req.memo).fields ?? {}) as Record<string, ProtoObject>,
      searchAttributes,
      workflowTaskTimeoutMs: durationToMs(req.workflowTaskTimeout as never) || DEFAULT_WFT_TIMEOUT_MS,
      runTimeoutMs: durationToMs(req.workflowRunTimeout as never),
      executionTimeoutMs: durationToMs(req.workflowExecutionTimeout as never),
      requestId,
      identity: str(req.identity),
      retryPolicy: req.retryPolicy as Payloads,
      firstWorkflowTaskBackoffMs: durationToMs(req.workflowStartDelay as never),
      signal,
    });
    return { runId: run.runId, started: true };
  }

  private createRun(p: NewRunParams): WorkflowRun {
    const now = this.clock.now();
    const runId = randomUUID();
    const runTimeoutMs = p.runTimeoutMs || p.executionTimeoutMs;
    const run = new WorkflowRun(
      p.namespace,
      p.workflowId,
      runId,
      p.firstRunId ?? runId,
      p.workflowType,
      p.taskQueue,
      now,
      now + (p.firstWorkflowTaskBackoffMs ?? 0),
      p.requestId,
      p.workflowTaskTimeoutMs,
      runTimeoutMs,
      p.executionTimeoutMs,
      p.parent,
      p.root ?? { workflowId: p.workflowId, runId },
    );
    run.requestIds.add(p.requestId);
    run.memo = { ...(p.memo ?? {}) };
    run.searchAttributes = { ...(p.searchAttributes ?? {}) };
    const parentRun = p.parent ? this.s.runById(p.parent.runId) : undefined;
    run.append(
      ET.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
      {
        workflowType: { name: p.workflowType },
        parentWorkflowNamespace: p.parent?.namespace ?? '',
        parentWorkflowNamespaceId: p.parent ? this.namespace(p.parent.namespace).id : '',
        parentWorkflowExecution: p.parent ? { workflowId: p.parent.workflowId, runId: p.parent.runId } : null,
        parentInitiatedEventId: p.parent?.initiatedEventId ?? 0,
        taskQueue: { name: p.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        input: p.input,
        workflowExecutionTimeout: p.executionTimeoutMs ? msToDuration(p.executionTimeoutMs) : null,
        workflowRunTimeout: runTimeoutMs ? msToDuration(runTimeoutMs) : null,
        workflowTaskTimeout: msToDuration(p.workflowTaskTimeoutMs),
        continuedExecutionRunId: p.continuedExecutionRunId ?? '',
        initiator: p.initiator ?? 0,
        continuedFailure: p.continuedFailure,
        lastCompletionResult: p.lastCompletionResult,
        originalExecutionRunId: runId,
        identity: p.identity,
        firstExecutionRunId: run.firstRunId,
        retryPolicy: p.retryPolicy,
        attempt: 1,
        workflowExecutionExpirationTime: p.executionTimeoutMs ? msToTimestamp(now + p.executionTimeoutMs) : null,
        firstWorkflowTaskBackoff: p.firstWorkflowTaskBackoffMs ? msToDuration(p.firstWorkflowTaskBackoffMs) : null,
        memo: Object.keys(run.memo).length ? { fields: run.memo } : null,
        searchAttributes: Object.keys(run.searchAttributes).length ? { indexedFields: run.searchAttributes } : null,
        header: p.header,
        workflowId: p.workflowId,
        rootWorkflowExecution: parentRun ? { ...parentRun.root } : { workflowId: p.workflowId, runId },
      },
      now,
    );
    this.s.addRun(run);
    this.s.visibility.add(run);
    if (p.signal) {
      run.append(
        ET.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
        { signalName: p.signal.signalName, input: p.signal.input, identity: p.signal.identity, header: p.signal.header },
        now,
      );
    }
    if (runTimeoutMs > 0) {
      run.runTimeoutTimer = this.clock.scheduleAt(now + runTimeoutMs, () => this.timeoutRun(run));
    }
    const backoff = p.firstWorkflowTaskBackoffMs ?? 0;
    if (backoff > 0) this.clock.scheduleIn(backoff, () => this.scheduleWorkflowTask(run, 1));
    else this.scheduleWorkflowTask(run, 1);
    this.log(`started ${p.workflowType} ${p.workflowId}/${runId}`);
    return run;
  }

  // ---------------------------------------------------------------- workflow tasks

  /** Runs `apply` now, or after the running workflow task completes (Temporal's buffered events). */
  private externalEvent(run: WorkflowRun, apply: () => void): void {
    if (!run.isOpen) return;
    if (run.wft?.state === 'started') {
      run.buffered.push(apply);
      run.needsWorkflowTask = true;
      return;
    }
    apply();
    this.scheduleWorkflowTask(run, 1);
  }

  private flushBuffered(run: WorkflowRun): void {
    const buffered = run.buffered;
    run.buffered = [];
    for (const apply of buffered) {
      if (run.isOpen) apply();
    }
  }

  private scheduleWorkflowTask(run: WorkflowRun, attempt: number, heartbeat = false): void {
    if (!run.isOpen || run.wft) return;
    const now = this.clock.now();
    const scheduledEventId = run.append(
      ET.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
      {
        taskQueue: { name: run.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        startToCloseTimeout: msToDuration(run.workflowTaskTimeoutMs),
        attempt,
      },
      now,
    );
    const wft: WorkflowTaskState = {
      state: 'scheduled',
      scheduledEventId,
      startedEventId: 0,
      attempt,
      scheduledTime: now,
      startedTime: 0,
      queries: [],
      updateIds: [],
      heartbeat,
    };
    run.wft = wft;
    run.needsWorkflowTask = false;
    this.clock.markBusy(`wft:${run.runId}`);
    if (run.queryTasksInFlight.size > 0) run.deferredWorkflowTask = wft;
    else this.offerWorkflowTask(run, wft);
  }

  /**
   * Puts a scheduled workflow task on its queue. A task scheduled while a query-only task of the
   * run is with a worker waits for that answer: sdk-core would buffer the real task behind the
   * query and, without a cache, drop it when it evicts the run after the query (the task would
   * then only come back after its start-to-close timeout).
   */
  private offerWorkflowTask(run: WorkflowRun, wft: WorkflowTaskState): void {
    this.workflowTasks.offer(run.namespace, run.taskQueue, (poll) => this.startWorkflowTask(run, wft, poll));
  }

  /** Offers the workflow task held back by query-only tasks, once none is with a worker any more. */
  private releaseDeferredWorkflowTask(run: WorkflowRun): void {
    const wft = run.deferredWorkflowTask;
    if (!wft || run.queryTasksInFlight.size > 0) return;
    run.deferredWorkflowTask = undefined;
    if (run.isOpen && run.wft === wft && wft.state === 'scheduled') this.offerWorkflowTask(run, wft);
  }

  private startWorkflowTask(run: WorkflowRun, wft: WorkflowTaskState, poll: Req): ProtoObject | undefined {
    if (!run.isOpen || run.wft !== wft || wft.state !== 'scheduled') return undefined;
    const now = this.clock.now();
    // Queries that arrived while it was scheduled ride along with this task.
    const messages: ProtoObject[] = [];
    // Updates never sent, and (as Temporal's includeAlreadySent) those a failed or timed-out task
    // carried — except on a heartbeat task, where the worker still holds them. In admission order.
    const toSend = wft.heartbeat ? run.undeliveredUpdates() : [...run.sentUnansweredUpdates(), ...run.undeliveredUpdates()];
    for (const u of [...run.updates.values()].filter((x) => toSend.includes(x))) {
      u.sent = true;
      wft.updateIds.push(u.updateId);
    }
    wft.startedEventId = run.append(
      ET.EVENT_TYPE_WORKFLOW_TASK_STARTED,
      {
        scheduledEventId: wft.scheduledEventId,
        identity: str(poll.identity),
        requestId: randomUUID(),
        historySizeBytes: 0,
      },
      now,
    );
    wft.state = 'started';
    wft.startedTime = now;
    for (const id of wft.updateIds) {
      const u = run.updates.get(id) as UpdateState;
      messages.push({
        id: `${id}/request`,
        protocolInstanceId: id,
        eventId: wft.startedEventId - 1,
        body: packAny('temporal.api.update.v1.Request', u.request),
      });
    }
    wft.timeoutTimer = this.clock.scheduleIn(run.workflowTaskTimeoutMs, () => this.timeoutWorkflowTask(run, wft));
    const queries: Record<string, ProtoObject> = {};
    wft.queries = wft.queries.filter((q) => !q.cancelled);
    for (const q of wft.queries) queries[q.id] = q.query;
    return {
      taskToken: encodeTaskToken({ k: 'w', r: run.runId, s: wft.scheduledEventId, a: wft.attempt }),
      workflowExecution: { workflowId: run.workflowId, runId: run.runId },
      workflowType: { name: run.workflowType },
      previousStartedEventId: run.lastCompletedStartedEventId,
      startedEventId: wft.startedEventId,
      attempt: wft.attempt,
      history: new EncodedHistory(run.history.slice()),
      workflowExecutionTaskQueue: { name: run.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      scheduledTime: msToTimestamp(wft.scheduledTime),
      startedTime: msToTimestamp(now),
      queries,
      messages,
    };
  }

  /** Long-polls a workflow task queue. Sticky queues never receive tasks (full history is always sent on the normal queue). */
  pollWorkflowTask(req: Req, options: Omit<PollOptions, 'timeoutMs'>): Promise<ProtoObject | undefined> {
    const ns = this.namespace(req.namespace);
    const tq = obj(req.taskQueue);
    const name = str(tq.name);
    if (!name) throw new InvalidArgumentError('taskQueue.name: TaskQueue is not set on request.');
    const queue = Number(tq.kind) === TaskQueueKind.TASK_QUEUE_KIND_STICKY ? `sticky:${name}` : name;
    return this.workflowTasks.poll(ns.name, queue, req, { ...options, timeoutMs: TASK_POLL_MS });
  }

  private workflowTaskFor(tokenBytes: unknown): { run: WorkflowRun; wft: WorkflowTaskState } {
    const t = parseTaskToken(tokenBytes);
    const run = this.s.runById(t.r);
    const wft = run?.wft;
    if (!run || t.k !== 'w' || !run.isOpen || !wft || wft.state !== 'started' || wft.scheduledEventId !== t.s) {
      throw new NotFoundError('Workflow task not found.');
    }
    return { run, wft };
  }

  private endWorkflowTask(run: WorkflowRun, wft: WorkflowTaskState): void {
    wft.timeoutTimer?.cancel();
    run.wft = undefined;
    this.clock.markIdle(`wft:${run.runId}`);
  }

  /**
   * Re-offers the queries of a task that did not complete. Its updates stay "sent" and go again
   * with the next (non-heartbeat) task.
   */
  private releaseTaskWork(run: WorkflowRun, wft: WorkflowTaskState): void {
    run.queriesAwaitingTask.push(...wft.queries);
  }

  private failWorkflowTask(run: WorkflowRun, wft: WorkflowTaskState, cause: number, failure: unknown, identity: string, nextAttempt: number): void {
    run.append(
      ET.EVENT_TYPE_WORKFLOW_TASK_FAILED,
      { scheduledEventId: wft.scheduledEventId, startedEventId: wft.startedEventId, cause, failure, identity },
      this.clock.now(),
    );
    this.endWorkflowTask(run, wft);
    this.releaseTaskWork(run, wft);
    this.flushBuffered(run);
    this.scheduleWorkflowTask(run, nextAttempt);
    this.dispatchWaitingQueries(run);
  }

  private timeoutWorkflowTask(run: WorkflowRun, wft: WorkflowTaskState): void {
    if (run.wft !== wft || !run.isOpen) return;
    run.append(
      ET.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
      {
        scheduledEventId: wft.scheduledEventId,
        startedEventId: wft.startedEventId,
        timeoutType: TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE,
      },
      this.clock.now(),
    );
    this.endWorkflowTask(run, wft);
    this.releaseTaskWork(run, wft);
    this.flushBuffered(run);
    this.scheduleWorkflowTask(run, wft.attempt + 1);
    this.dispatchWaitingQueries(run);
  }

  /** RespondWorkflowTaskFailed. */
  respondWorkflowTaskFailed(req: Req): void {
    const { run, wft } = this.workflowTaskFor(req.taskToken);
    this.failWorkflowTask(run, wft, Number(req.cause ?? 0), req.failure, str(req.identity), wft.attempt + 1);
  }

  /** RespondWorkflowTaskCompleted: records the completion, applies commands and protocol messages. */
  respondWorkflowTaskCompleted(req: Req): ProtoObject {
    const { run, wft } = this.workflowTaskFor(req.taskToken);
    const identity = str(req.identity);
    const commands = (req.commands ?? []) as ProtoObject[];
    this.answerAttachedQueries(wft, (req.queryResults ?? {}) as Record<string, ProtoObject>);

    const closesRun = commands.some((c) =>
      [
        CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
        CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION,
        CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION,
        CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION,
      ].includes(Number(c.commandType)),
    );
    if (closesRun && (run.buffered.length > 0 || run.undeliveredUpdates().length > 0)) {
      // New events arrived while the worker was deciding to close the run: Temporal rejects the
      // completion so the workflow sees them first.
      this.failWorkflowTask(run, wft, WftFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND, null, identity, 1);
      throw new UnhandledCommandError();
    }

    const now = this.clock.now();
    const completedId = run.append(
      ET.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
      {
        scheduledEventId: wft.scheduledEventId,
        startedEventId: wft.startedEventId,
        identity,
        binaryChecksum: str(req.binaryChecksum),
        workerVersion: req.workerVersionStamp,
        sdkMetadata: req.sdkMetadata,
        meteringMetadata: req.meteringMetadata,
        deployment: req.deployment,
        versioningBehavior: req.versioningBehavior,
      },
      now,
    );
    run.lastCompletedStartedEventId = wft.startedEventId;
    // The task is over: events from here on (command results) go straight into history.
    wft.timeoutTimer?.cancel();
    run.wft = undefined;
    // Attached queries the worker did not answer are asked again (next task or a query task).
    run.queriesAwaitingTask.push(...wft.queries);
    wft.queries = [];

    const messages = new Map<string, ProtoObject>();
    for (const m of (req.messages ?? []) as ProtoObject[]) messages.set(str(m.id), m);
    const afterCommit: (() => void)[] = [];
    for (const command of commands) {
      if (!run.isOpen) break;
      if (Number(command.commandType) === CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE) {
        const id = str(obj(command.protocolMessageCommandAttributes).messageId);
        const m = messages.get(id);
        if (m) {
          messages.delete(id);
          this.applyProtocolMessage(run, m, completedId);
        }
        continue;
      }
      this.applyCommand(run, command, completedId, identity, afterCommit);
    }
    for (const m of messages.values()) if (run.isOpen) this.applyProtocolMessage(run, m, completedId);
    const heartbeat = req.forceCreateNewWorkflowTask === true;
    if (run.isOpen && !heartbeat) this.rejectUnprocessedUpdates(run);
    this.clock.markIdle(`wft:${run.runId}`);
    for (const action of afterCommit) action();
    const hadBuffered = run.buffered.length > 0;
    this.flushBuffered(run);
    if (run.isOpen && (hadBuffered || run.needsWorkflowTask || heartbeat || run.undeliveredUpdates().length > 0)) {
      this.scheduleWorkflowTask(run, 1, heartbeat);
    }
    this.dispatchWaitingQueries(run);
    return {};
  }

  // ---------------------------------------------------------------- commands

  private applyCommand(run: WorkflowRun, command: ProtoObject, completedId: number, identity: string, afterCommit: (() => void)[]): void {
    const now = this.clock.now();
    const type = Number(command.commandType);
    switch (type) {
      case CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK:
        this.scheduleActivity(run, obj(command.scheduleActivityTaskCommandAttributes), completedId);
        return;
      case CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK:
        this.requestCancelActivity(run, toNumber(obj(command.requestCancelActivityTaskCommandAttributes).scheduledEventId as Int64Like), completedId);
        return;
      case CommandType.COMMAND_TYPE_START_TIMER: {
        const a = obj(command.startTimerCommandAttributes);
        const timerId = str(a.timerId);
        const startedEventId = run.append(
          ET.EVENT_TYPE_TIMER_STARTED,
          { timerId, startToFireTimeout: a.startToFireTimeout, workflowTaskCompletedEventId: completedId },
          now,
        );
        const handle = this.clock.scheduleIn(durationToMs(a.startToFireTimeout as never), () => {
          this.externalEvent(run, () => {
            const t = run.timers.get(timerId);
            if (!t || t.startedEventId !== startedEventId) return;
            run.timers.delete(timerId);
            run.append(ET.EVENT_TYPE_TIMER_FIRED, { timerId, startedEventId }, this.clock.now());
          });
        });
        run.timers.set(timerId, { startedEventId, handle });
        return;
      }
      case CommandType.COMMAND_TYPE_CANCEL_TIMER: {
        const timerId = str(obj(command.cancelTimerCommandAttributes).timerId);
        const t = run.timers.get(timerId);
        if (!t) return;
        t.handle.cancel();
        run.timers.delete(timerId);
        run.append(
          ET.EVENT_TYPE_TIMER_CANCELED,
          { timerId, startedEventId: t.startedEventId, workflowTaskCompletedEventId: completedId, identity },
          now,
        );
        return;
      }
      case CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION:
        run.append(
          ET.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
          { result: obj(command.completeWorkflowExecutionCommandAttributes).result, workflowTaskCompletedEventId: completedId },
          now,
        );
        this.closeRun(run, Status.WORKFLOW_EXECUTION_STATUS_COMPLETED);
        return;
      case CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION:
        run.append(
          ET.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
          {
            failure: obj(command.failWorkflowExecutionCommandAttributes).failure,
            retryState: RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET,
            workflowTaskCompletedEventId: completedId,
          },
          now,
        );
        this.closeRun(run, Status.WORKFLOW_EXECUTION_STATUS_FAILED);
        return;
      case CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION:
        run.append(
          ET.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
          { details: obj(command.cancelWorkflowExecutionCommandAttributes).details, workflowTaskCompletedEventId: completedId },
          now,
        );
        this.closeRun(run, Status.WORKFLOW_EXECUTION_STATUS_CANCELED);
        return;
      case CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION:
        this.continueAsNew(run, obj(command.continueAsNewWorkflowExecutionCommandAttributes), completedId);
        return;
      case CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION:
        this.initiateChild(run, obj(command.startChildWorkflowExecutionCommandAttributes), completedId, afterCommit);
        return;
      case CommandType.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION:
        this.signalExternal(run, obj(command.signalExternalWorkflowExecutionCommandAttributes), completedId, afterCommit);
        return;
      case CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION:
        this.cancelExternal(run, obj(command.requestCancelExternalWorkflowExecutionCommandAttributes), completedId, afterCommit);
        return;
      case CommandType.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const sa = obj(command.upsertWorkflowSearchAttributesCommandAttributes).searchAttributes;
        const fields = validateSearchAttributes(this.namespace(run.namespace), sa);
        run.append(
          ET.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
          { workflowTaskCompletedEventId: completedId, searchAttributes: sa },
          now,
        );
        upsertFields(run.searchAttributes, fields);
        this.s.visibility.refresh(run);
        return;
      }
      case CommandType.COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES: {
        const memo = obj(obj(command.modifyWorkflowPropertiesCommandAttributes).upsertedMemo);
        run.append(
          ET.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
          { workflowTaskCompletedEventId: completedId, upsertedMemo: memo },
          now,
        );
        upsertFields(run.memo, (memo.fields ?? {}) as Record<string, ProtoObject>);
        return;
      }
      case CommandType.COMMAND_TYPE_RECORD_MARKER: {
        const a = obj(command.recordMarkerCommandAttributes);
        run.append(
          ET.EVENT_TYPE_MARKER_RECORDED,
          { markerName: a.markerName, details: a.details, header: a.header, failure: a.failure, workflowTaskCompletedEventId: completedId },
          now,
        );
        return;
      }
      default:
        throw new InvalidArgumentError(`commands: command type ${type} is not supported by the cpflow test server`);
    }
  }

  // ---------------------------------------------------------------- close

  private closeRun(run: WorkflowRun, status: number): void {
    run.status = status;
    run.closeTime = this.clock.now();
    this.s.visibility.refresh(run);
    run.buffered = [];
    run.runTimeoutTimer?.cancel();
    if (run.wft) {
      run.wft.timeoutTimer?.cancel();
      run.queriesAwaitingTask.push(...run.wft.queries);
      run.wft = undefined;
    }
    this.clock.markIdle(`wft:${run.runId}`);
    for (const t of run.timers.values()) t.handle.cancel();
    run.timers.clear();
    for (const a of run.activities.values()) this.dropActivity(run, a);
    for (const u of run.updates.values()) {
      if (u.outcome || u.error) continue;
      if (u.acceptedEventId > 0) {
        u.outcome = {
          failure: {
            message: 'Workflow Update failed because the Workflow completed before the Update completed.',
            source: 'Server',
            applicationFailureInfo: { type: 'AcceptedUpdateCompletedWorkflow', nonRetryable: true },
          },
        };
        u.stage = UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
      } else {
        u.error = new WorkflowClosedError();
      }
      for (const w of [...u.waiters]) w();
    }
    this.dispatchWaitingQueries(run);
    this.notifyParent(run);
    this.applyParentClosePolicies(run);
    for (const w of [...run.historyWaiters]) w();
    this.log(`closed ${run.workflowId}/${run.runId} ${statusName(status)}`);
  }

  private closeEvent(run: WorkflowRun): ProtoObject | undefined {
    return run.isOpen ? undefined : run.history[run.history.length - 1];
  }

  private timeoutRun(run: WorkflowRun): void {
    if (!run.isOpen) return;
    run.append(ET.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, { retryState: RetryState.RETRY_STATE_TIMEOUT }, this.clock.now());
    this.closeRun(run, Status.WORKFLOW_EXECUTION_STATUS_TIMED_OUT);
  }

  private terminateRun(run: WorkflowRun, reason: string, details: Payloads, identity: string): void {
    if (!run.isOpen) throw new WorkflowClosedError();
    run.append(ET.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, { reason, details, identity }, this.clock.now());
    this.closeRun(run, Status.WORKFLOW_EXECUTION_STATUS_TERMINATED);
  }

  /** TerminateWorkflowExecution. */
  terminate(req: Req): void {
    const ns = this.namespace(req.namespace);
    const run = this.findRun(ns.name, req.workflowExecution);
    this.terminateRun(run, str(req.reason), req.details as Payloads, str(req.identity));
  }

  private continueAsNew(run: WorkflowRun, a: ProtoObject, completedId: number): void {
    const ns = this.namespace(run.namespace);
    const searchAttributes = a.searchAttributes
      ? validateSearchAttributes(ns, a.searchAttributes)
      : { ...run.searchAttributes };
    const memo = a.memo ? ((obj(a.memo).fields ?? {}) as Record<string, ProtoObject>) : { ...run.memo };
    const workflowType = str(obj(a.workflowType).name) || run.workflowType;
    const taskQueue = str(obj(a.taskQueue).name) || run.taskQueue;
    const runTimeoutMs = durationToMs(a.workflowRunTimeout as never) || run.runTimeoutMs;
    const wftTimeoutMs = durationToMs(a.workflowTaskTimeout as never) || run.workflowTaskTimeoutMs;
    const eventId = run.append(
      ET.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
      {
        newExecutionRunId: '',
        workflowType: { name: workflowType },
        taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        input: a.input,
        workflowRunTimeout: runTimeoutMs ? msToDuration(runTimeoutMs) : null,
        workflowTaskTimeout: msToDuration(wftTimeoutMs),
        workflowTaskCompletedEventId: completedId,
        backoffStartInterval: a.backoffStartInterval,
        initiator: a.initiator,
        failure: a.failure,
        lastCompletionResult: a.lastCompletionResult,
        header: a.header,
        memo: Object.keys(memo).length ? { fields: memo } : null,
        searchAttributes: Object.keys(searchAttributes).length ? { indexedFields: searchAttributes } : null,
      },
      this.clock.now(),
    );
    run.status = Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW;
    const next = this.createRun({
      namespace: run.namespace,
      workflowId: run.workflowId,
      workflowType,
      taskQueue,
      input: a.input as Payloads,
      header: a.header as Payloads,
      memo,
      searchAttributes,
      workflowTaskTimeoutMs: wftTimeoutMs,
      runTimeoutMs: durationToMs(a.workflowRunTimeout as never) || run.runTimeoutMs,
      executionTimeoutMs: run.executionTimeoutMs,
      requestId: randomUUID(),
      identity: '',
      parent: run.parent,
      root: run.root.runId === run.runId ? undefined : run.root,
      firstRunId: run.firstRunId,
      continuedExecutionRunId: run.runId,
      initiator: Number(a.initiator ?? 0),
      continuedFailure: a.failure as Payloads,
      lastCompletionResult: a.lastCompletionResult as Payloads,
      firstWorkflowTaskBackoffMs: durationToMs(a.backoffStartInterval as never),
    });
    run.newExecutionRunId = next.runId;
    (run.attributesOf(eventId) as ProtoObject).newExecutionRunId = next.runId;
    eventChanged(run.history[eventId - 1]);
    run.status = Status.WORKFLOW_EXECUTION_STATUS_RUNNING;
    this.closeRun(run, Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW);
  }

  // ---------------------------------------------------------------- activities

  private scheduleActivity(run: WorkflowRun, a: ProtoObject, completedId: number): void {
    const activityId = str(a.activityId);
    const activityType = str(obj(a.activityType).name);
    if (!activityType) throw new InvalidArgumentError('commands.scheduleActivityTaskCommandAttributes.activityType: not set');
    let scheduleToCloseMs = durationToMs(a.scheduleToCloseTimeout as never);
    let startToCloseMs = durationToMs(a.startToCloseTimeout as never);
    let scheduleToStartMs = durationToMs(a.scheduleToStartTimeout as never);
    const heartbeatMs = durationToMs(a.heartbeatTimeout as never);
    if (scheduleToCloseMs === 0 && startToCloseMs === 0) {
      throw new InvalidArgumentError(
        'commands.scheduleActivityTaskCommandAttributes: a valid StartToClose or ScheduleToCloseTimeout is not set',
      );
    }
    if (scheduleToCloseMs === 0 && run.runTimeoutMs > 0) scheduleToCloseMs = run.runTimeoutMs;
    if (startToCloseMs === 0) startToCloseMs = scheduleToCloseMs;
    if (scheduleToStartMs === 0) scheduleToStartMs = scheduleToCloseMs;
    const retryPolicy = effectiveRetryPolicy(a.retryPolicy as RetryPolicyInput);
    const taskQueue = str(obj(a.taskQueue).name) || run.taskQueue;
    const now = this.clock.now();
    const attributes: ProtoObject = {
      activityId,
      activityType: { name: activityType },
      taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      header: a.header,
      input: a.input,
      scheduleToCloseTimeout: msToDuration(scheduleToCloseMs),
      scheduleToStartTimeout: msToDuration(scheduleToStartMs),
      startToCloseTimeout: msToDuration(startToCloseMs),
      heartbeatTimeout: msToDuration(heartbeatMs),
      workflowTaskCompletedEventId: completedId,
      retryPolicy: retryPolicyToProto(retryPolicy),
      useWorkflowBuildId: a.useWorkflowBuildId,
      priority: a.priority,
    };
    const scheduledEventId = run.append(ET.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, attributes, now);
    const act: ActivityState = {
      scheduledEventId,
      activityId,
      activityType,
      taskQueue,
      attributes,
      retryPolicy,
      attempt: 1,
      state: 'scheduled',
      firstScheduledTime: now,
      currentAttemptScheduledTime: now,
      startedTime: 0,
      scheduleToCloseMs,
      scheduleToStartMs,
      startToCloseMs,
      heartbeatMs,
      lastHeartbeatTime: 0,
      lastIdentity: '',
      startRequestId: '',
      cancelRequested: false,
      cancelRequestedEventId: 0,
      nextAttemptTime: 0,
      attemptTimers: [],
    };
    run.activities.set(scheduledEventId, act);
    if (scheduleToCloseMs > 0) {
      act.scheduleToCloseTimer = this.clock.scheduleAt(now + scheduleToCloseMs, () =>
        this.timeoutActivity(run, act, act.attempt, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE),
      );
    }
    this.dispatchActivity(run, act);
  }

  private activityKey(run: WorkflowRun, act: ActivityState): string {
    return `act:${run.runId}:${act.scheduledEventId}`;
  }

  private dispatchActivity(run: WorkflowRun, act: ActivityState): void {
    const now = this.clock.now();
    act.state = 'scheduled';
    act.currentAttemptScheduledTime = now;
    const attempt = act.attempt;
    this.clock.markBusy(this.activityKey(run, act));
    if (act.scheduleToStartMs > 0) {
      act.attemptTimers.push(
        this.clock.scheduleIn(act.scheduleToStartMs, () => {
          if (act.state === 'scheduled') this.timeoutActivity(run, act, attempt, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
        }),
      );
    }
    this.activityTasks.offer(run.namespace, act.taskQueue, (poll) => this.startActivity(run, act, attempt, poll));
  }

  private startActivity(run: WorkflowRun, act: ActivityState, attempt: number, poll: Req): ProtoObject | undefined {
    if (!run.isOpen || run.activities.get(act.scheduledEventId) !== act || act.state !== 'scheduled' || act.attempt !== attempt) {
      return undefined;
    }
    const now = this.clock.now();
    act.state = 'started';
    act.startedTime = now;
    act.lastHeartbeatTime = now;
    act.lastIdentity = str(poll.identity);
    act.startRequestId = randomUUID();
    for (const t of act.attemptTimers) t.cancel();
    act.attemptTimers = [
      this.clock.scheduleIn(act.startToCloseMs, () =>
        this.timeoutActivity(run, act, attempt, TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE),
      ),
    ];
    if (act.heartbeatMs > 0) this.armHeartbeatTimer(run, act);
    const a = act.attributes;
    return {
      taskToken: encodeTaskToken({ k: 'a', r: run.runId, s: act.scheduledEventId, a: attempt }),
      workflowNamespace: run.namespace,
      workflowType: { name: run.workflowType },
      workflowExecution: { workflowId: run.workflowId, runId: run.runId },
      activityType: { name: act.activityType },
      activityId: act.activityId,
      header: a.header,
      input: a.input,
      heartbeatDetails: act.heartbeatDetails,
      scheduledTime: msToTimestamp(act.firstScheduledTime),
      currentAttemptScheduledTime: msToTimestamp(act.currentAttemptScheduledTime),
      startedTime: msToTimestamp(now),
      attempt,
      scheduleToCloseTimeout: a.scheduleToCloseTimeout,
      startToCloseTimeout: a.startToCloseTimeout,
      heartbeatTimeout: a.heartbeatTimeout,
      retryPolicy: a.retryPolicy,
      priority: a.priority,
    };
  }

  private armHeartbeatTimer(run: WorkflowRun, act: ActivityState): void {
    const attempt = act.attempt;
    const due = act.lastHeartbeatTime + act.heartbeatMs;
    act.attemptTimers.push(
      this.clock.scheduleAt(due, () => {
        if (act.attempt !== attempt || act.state !== 'started') return;
        if (this.clock.now() - act.lastHeartbeatTime >= act.heartbeatMs) {
          this.timeoutActivity(run, act, attempt, TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
        } else {
          this.armHeartbeatTimer(run, act);
        }
      }),
    );
  }

  /** Long-polls an activity task queue. */
  pollActivityTask(req: Req, options: Omit<PollOptions, 'timeoutMs'>): Promise<ProtoObject | undefined> {
    const ns = this.namespace(req.namespace);
    const name = str(obj(req.taskQueue).name);
    if (!name) throw new InvalidArgumentError('taskQueue.name: TaskQueue is not set on request.');
    return this.activityTasks.poll(ns.name, name, req, { ...options, timeoutMs: TASK_POLL_MS });
  }

  private activityByToken(tokenBytes: unknown): { run: WorkflowRun; act: ActivityState } {
    const t = parseTaskToken(tokenBytes);
    const run = this.s.runById(t.r);
    const act = run?.activities.get(t.s ?? -1);
    if (!run || t.k !== 'a' || !run.isOpen || !act || act.attempt !== t.a || act.state !== 'started') {
      throw new NotFoundError('invalid activityID or activity already timed out or invoking workflow is completed');
    }
    return { run, act };
  }

  private activityById(req: Req): { run: WorkflowRun; act: ActivityState } {
    const ns = this.namespace(req.namespace);
    const run = this.openRun(ns.name, { workflowId: req.workflowId, runId: req.runId });
    const act = [...run.activities.values()].find((a) => a.activityId === str(req.activityId));
    if (!act) throw new NotFoundError(`activityId: activity ${str(req.activityId)} not found`);
    if (act.state !== 'started') {
      throw new NotFoundError(`activityId: activity ${act.activityId} is not running (state ${act.state})`);
    }
    return { run, act };
  }

  /** Locates an activity by task token or by (workflow id, run id, activity id). */
  activity(req: Req, byId: boolean): { run: WorkflowRun; act: ActivityState } {
    return byId ? this.activityById(req) : this.activityByToken(req.taskToken);
  }

  private dropActivity(run: WorkflowRun, act: ActivityState): void {
    for (const t of act.attemptTimers) t.cancel();
    act.attemptTimers = [];
    act.scheduleToCloseTimer?.cancel();
    run.activities.delete(act.scheduledEventId);
    this.clock.markIdle(this.activityKey(run, act));
  }

  /** Appends ActivityTaskStarted (Temporal writes it when the attempt ends) and returns its id. */
  private appendActivityStarted(run: WorkflowRun, act: ActivityState, startedTime: number): number {
    return run.append(
      ET.EVENT_TYPE_ACTIVITY_TASK_STARTED,
      {
        scheduledEventId: act.scheduledEventId,
        identity: act.lastIdentity,
        requestId: act.startRequestId,
        attempt: act.attempt,
        lastFailure: act.lastFailure,
      },
      startedTime,
    );
  }

  /** RespondActivityTaskCompleted(ById). */
  completeActivity(run: WorkflowRun, act: ActivityState, result: Payloads, identity: string): void {
    this.dropActivity(run, act);
    const startedTime = act.startedTime;
    this.externalEvent(run, () => {
      const startedEventId = this.appendActivityStarted(run, act, startedTime);
      run.append(
        ET.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
        { result, scheduledEventId: act.scheduledEventId, startedEventId, identity },
        this.clock.now(),
      );
    });
  }

  /** RespondActivityTaskFailed(ById): retries per policy or records the failure. */
  failActivity(run: WorkflowRun, act: ActivityState, failure: ProtoObject, lastHeartbeatDetails: Payloads, identity: string): void {
    if (lastHeartbeatDetails) act.heartbeatDetails = lastHeartbeatDetails;
    this.endActivityAttempt(run, act, failure, identity, (startedEventId, retryState) => {
      run.append(
        ET.EVENT_TYPE_ACTIVITY_TASK_FAILED,
        { failure, scheduledEventId: act.scheduledEventId, startedEventId, identity, retryState },
        this.clock.now(),
      );
    });
  }

  private endActivityAttempt(
    run: WorkflowRun,
    act: ActivityState,
    failure: ProtoObject,
    identity: string,
    appendFinal: (startedEventId: number, retryState: number) => void,
  ): void {
    const now = this.clock.now();
    const deadline = act.scheduleToCloseMs > 0 ? act.firstScheduledTime + act.scheduleToCloseMs : 0;
    const decision = act.cancelRequested
      ? ({ retry: false, retryState: RetryState.RETRY_STATE_CANCEL_REQUESTED } as const)
      : decideRetry(act.retryPolicy, act.attempt, failure as never, now, deadline);
    const wasStarted = act.state === 'started';
    if (decision.retry) {
      for (const t of act.attemptTimers) t.cancel();
      act.attemptTimers = [];
      act.lastFailure = failure;
      act.lastIdentity = identity || act.lastIdentity;
      act.attempt += 1;
      act.state = 'backoff';
      act.nextAttemptTime = now + decision.backoffMs;
      // Waiting for a retry is not outstanding work: time may skip over the backoff.
      this.clock.markIdle(this.activityKey(run, act));
      const attempt = act.attempt;
      act.attemptTimers.push(
        this.clock.scheduleIn(decision.backoffMs, () => {
          if (run.activities.get(act.scheduledEventId) === act && act.state === 'backoff' && act.attempt === attempt) {
            this.dispatchActivity(run, act);
          }
        }),
      );
      return;
    }
    this.dropActivity(run, act);
    const startedTime = act.startedTime;
    this.externalEvent(run, () => {
      const startedEventId = wasStarted ? this.appendActivityStarted(run, act, startedTime) : 0;
      appendFinal(startedEventId, decision.retryState);
    });
  }

  private timeoutActivity(run: WorkflowRun, act: ActivityState, attempt: number, timeoutType: number): void {
    if (!run.isOpen || run.activities.get(act.scheduledEventId) !== act) return;
    if (timeoutType !== TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE && act.attempt !== attempt) return;
    const typeName = { 1: 'StartToClose', 2: 'ScheduleToStart', 3: 'ScheduleToClose', 4: 'Heartbeat' }[timeoutType] ?? 'Unknown';
    const failure: ProtoObject = {
      message: `activity ${typeName} timeout`,
      source: 'Server',
      timeoutFailureInfo: { timeoutType, lastHeartbeatDetails: act.heartbeatDetails },
    };
    const retryable =
      timeoutType === TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE || timeoutType === TimeoutType.TIMEOUT_TYPE_HEARTBEAT;
    const appendTimedOut = (startedEventId: number, retryState: number) => {
      run.append(
        ET.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
        {
          failure: act.lastFailure && !retryable ? { ...failure, cause: act.lastFailure } : failure,
          scheduledEventId: act.scheduledEventId,
          startedEventId,
          retryState,
        },
        this.clock.now(),
      );
    };
    if (retryable) {
      this.endActivityAttempt(run, act, failure, act.lastIdentity, appendTimedOut);
      return;
    }
    const wasStarted = act.state === 'started';
    this.dropActivity(run, act);
    const startedTime = act.startedTime;
    this.externalEvent(run, () => {
      appendTimedOut(wasStarted ? this.appendActivityStarted(run, act, startedTime) : 0, RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
    });
  }

  /** RespondActivityTaskCanceled(ById). */
  cancelActivity(run: WorkflowRun, act: ActivityState, details: Payloads, identity: string): void {
    this.dropActivity(run, act);
    const startedTime = act.startedTime;
    this.externalEvent(run, () => {
      const startedEventId = this.appendActivityStarted(run, act, startedTime);
      run.append(
        ET.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
        {
          details,
          latestCancelRequestedEventId: act.cancelRequestedEventId,
          scheduledEventId: act.scheduledEventId,
          startedEventId,
          identity,
        },
        this.clock.now(),
      );
    });
  }

  /** RecordActivityTaskHeartbeat(ById): returns whether cancellation was requested. */
  heartbeatActivity(act: ActivityState, details: Payloads): boolean {
    act.lastHeartbeatTime = this.clock.now();
    if (details) act.heartbeatDetails = details;
    return act.cancelRequested;
  }

  private requestCancelActivity(run: WorkflowRun, scheduledEventId: number, completedId: number): void {
    const act = run.activities.get(scheduledEventId);
    const now = this.clock.now();
    const requestedId = run.append(
      ET.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED,
      { scheduledEventId, workflowTaskCompletedEventId: completedId },
      now,
    );
    if (!act) return;
    act.cancelRequestedEventId = requestedId;
    if (act.state === 'started') {
      act.cancelRequested = true;
      return;
    }
    // Not running on a worker: cancelled at once.
    this.dropActivity(run, act);
    run.append(
      ET.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
      { latestCancelRequestedEventId: requestedId, scheduledEventId, startedEventId: 0, identity: '' },
      now,
    );
    run.needsWorkflowTask = true;
  }

  // ---------------------------------------------------------------- children & external workflows

  private initiateChild(parent: WorkflowRun, a: ProtoObject, completedId: number, afterCommit: (() => void)[]): void {
    const namespace = str(a.namespace) || parent.namespace;
    const workflowId = str(a.workflowId);
    const workflowType = str(obj(a.workflowType).name);
    const taskQueue = str(obj(a.taskQueue).name) || parent.taskQueue;
    const initiatedEventId = parent.append(
      ET.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
      {
        namespace,
        workflowId,
        workflowType: { name: workflowType },
        taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        input: a.input,
        workflowExecutionTimeout: a.workflowExecutionTimeout,
        workflowRunTimeout: a.workflowRunTimeout,
        workflowTaskTimeout: a.workflowTaskTimeout,
        parentClosePolicy: a.parentClosePolicy,
        control: a.control,
        workflowTaskCompletedEventId: completedId,
        workflowIdReusePolicy: a.workflowIdReusePolicy,
        retryPolicy: a.retryPolicy,
        cronSchedule: a.cronSchedule,
        header: a.header,
        memo: a.memo,
        searchAttributes: a.searchAttributes,
        priority: a.priority,
      },
      this.clock.now(),
    );
    const child: ChildState = {
      initiatedEventId,
      startedEventId: 0,
      namespace,
      workflowId,
      workflowType,
      runId: '',
      parentClosePolicy: Number(a.parentClosePolicy ?? 0),
    };
    parent.children.set(initiatedEventId, child);
    afterCommit.push(() => {
      let started: { runId: string; started: boolean } | undefined;
      try {
        const existing = this.s.currentRun(namespace, workflowId);
        if (existing?.isOpen) throw new WorkflowAlreadyStartedError(workflowId, existing.runId, existing.startRequestId);
        const run = this.createRun({
          namespace,
          workflowId,
          workflowType,
          taskQueue,
          input: a.input as Payloads,
          header: a.header as Payloads,
          memo: (obj(a.memo).fields ?? {}) as Record<string, ProtoObject>,
          searchAttributes: validateSearchAttributes(this.namespace(namespace), a.searchAttributes),
          workflowTaskTimeoutMs: durationToMs(a.workflowTaskTimeout as never) || DEFAULT_WFT_TIMEOUT_MS,
          runTimeoutMs: durationToMs(a.workflowRunTimeout as never),
          executionTimeoutMs: durationToMs(a.workflowExecutionTimeout as never),
          requestId: randomUUID(),
          identity: '',
          parent: { namespace: parent.namespace, workflowId: parent.workflowId, runId: parent.runId, initiatedEventId },
          retryPolicy: a.retryPolicy as Payloads,
        });
        started = { runId: run.runId, started: true };
      } catch (err) {
        if (!(err instanceof ServiceError)) throw err;
        parent.children.delete(initiatedEventId);
        this.externalEvent(parent, () => {
          parent.append(
            ET.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED,
            {
              namespace,
              workflowId,
              workflowType: { name: workflowType },
              cause: temporal.api.enums.v1.StartChildWorkflowExecutionFailedCause
                .START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS,
              control: a.control,
              initiatedEventId,
              workflowTaskCompletedEventId: completedId,
            },
            this.clock.now(),
          );
        });
        return;
      }
      child.runId = started.runId;
      this.externalEvent(parent, () => {
        child.startedEventId = parent.append(
          ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED,
          {
            namespace,
            initiatedEventId,
            workflowExecution: { workflowId, runId: child.runId },
            workflowType: { name: workflowType },
            header: a.header,
          },
          this.clock.now(),
        );
      });
    });
  }

  private notifyParent(run: WorkflowRun): void {
    if (!run.parent || run.status === Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW) return;
    const parent = this.s.runById(run.parent.runId);
    if (!parent || !parent.isOpen) return;
    const child = parent.children.get(run.parent.initiatedEventId);
    if (!child) return;
    const close = this.closeEvent(run) as ProtoObject;
    const base = {
      namespace: run.namespace,
      workflowExecution: { workflowId: run.workflowId, runId: run.runId },
      workflowType: { name: run.workflowType },
      initiatedEventId: child.initiatedEventId,
    };
    this.externalEvent(parent, () => {
      parent.children.delete(child.initiatedEventId);
      const started = { ...base, startedEventId: child.startedEventId };
      const now = this.clock.now();
      switch (run.status) {
        case Status.WORKFLOW_EXECUTION_STATUS_COMPLETED:
          parent.append(ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED, { ...started, result: obj(close.workflowExecutionCompletedEventAttributes).result }, now);
          return;
        case Status.WORKFLOW_EXECUTION_STATUS_FAILED: {
          const f = obj(close.workflowExecutionFailedEventAttributes);
          parent.append(ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED, { ...started, failure: f.failure, retryState: f.retryState }, now);
          return;
        }
        case Status.WORKFLOW_EXECUTION_STATUS_CANCELED:
          parent.append(ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED, { ...started, details: obj(close.workflowExecutionCanceledEventAttributes).details }, now);
          return;
        case Status.WORKFLOW_EXECUTION_STATUS_TERMINATED:
          parent.append(ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED, started, now);
          return;
        case Status.WORKFLOW_EXECUTION_STATUS_TIMED_OUT:
          parent.append(ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT, { ...started, retryState: RetryState.RETRY_STATE_TIMEOUT }, now);
          return;
      }
    });
  }

  private applyParentClosePolicies(parent: WorkflowRun): void {
    if (parent.status === Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW) return;
    for (const child of parent.children.values()) {
      if (!child.runId) continue;
      const run = this.s.currentRun(child.namespace, child.workflowId);
      if (!run || !run.isOpen || (run.parent?.runId !== parent.runId && run.firstRunId !== child.runId)) continue;
      if (child.parentClosePolicy === ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON) continue;
      if (child.parentClosePolicy === ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL) {
        this.requestCancelRun(run, 'parent close policy', '', undefined);
      } else {
        this.terminateRun(run, 'by parent close policy', undefined, '');
      }
    }
    parent.children.clear();
  }

  private signalExternal(run: WorkflowRun, a: ProtoObject, completedId: number, afterCommit: (() => void)[]): void {
    const namespace = str(a.namespace) || run.namespace;
    const execution = obj(a.execution);
    const initiatedEventId = run.append(
      ET.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
      {
        workflowTaskCompletedEventId: completedId,
        namespace,
        workflowExecution: execution,
        signalName: a.signalName,
        input: a.input,
        control: a.control,
        childWorkflowOnly: a.childWorkflowOnly,
        header: a.header,
      },
      this.clock.now(),
    );
    afterCommit.push(() => {
      let target: WorkflowRun | undefined;
      try {
        target = this.openRun(namespace, execution);
      } catch {
        target = undefined;
      }
      if (target) {
        this.signalRun(target, str(a.signalName), a.input as Payloads, a.header as Payloads, '', randomUUID(), {
          initiatedEventId,
          execution: { workflowId: run.workflowId, runId: run.runId },
        });
      }
      this.externalEvent(run, () => {
        if (target) {
          run.append(
            ET.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED,
            { initiatedEventId, namespace, workflowExecution: execution, control: a.control },
            this.clock.now(),
          );
        } else {
          run.append(
            ET.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED,
            {
              cause: temporal.api.enums.v1.SignalExternalWorkflowExecutionFailedCause
                .SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
              workflowTaskCompletedEventId: completedId,
              namespace,
              workflowExecution: execution,
              initiatedEventId,
              control: a.control,
            },
            this.clock.now(),
          );
        }
      });
    });
  }

  private cancelExternal(run: WorkflowRun, a: ProtoObject, completedId: number, afterCommit: (() => void)[]): void {
    const namespace = str(a.namespace) || run.namespace;
    const execution = { workflowId: a.workflowId, runId: a.runId };
    const initiatedEventId = run.append(
      ET.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
      {
        workflowTaskCompletedEventId: completedId,
        namespace,
        workflowExecution: execution,
        control: a.control,
        childWorkflowOnly: a.childWorkflowOnly,
        reason: a.reason,
      },
      this.clock.now(),
    );
    afterCommit.push(() => {
      let target: WorkflowRun | undefined;
      try {
        target = this.openRun(namespace, execution);
      } catch {
        target = undefined;
      }
      if (target) {
        this.requestCancelRun(target, str(a.reason), '', {
          initiatedEventId,
          execution: { workflowId: run.workflowId, runId: run.runId },
        });
      }
      this.externalEvent(run, () => {
        if (target) {
          run.append(
            ET.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
            { initiatedEventId, namespace, workflowExecution: execution },
            this.clock.now(),
          );
        } else {
          run.append(
            ET.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED,
            {
              cause: temporal.api.enums.v1.CancelExternalWorkflowExecutionFailedCause
                .CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
              workflowTaskCompletedEventId: completedId,
              namespace,
              workflowExecution: execution,
              initiatedEventId,
              control: a.control,
            },
            this.clock.now(),
          );
        }
      });
    });
  }

  // ---------------------------------------------------------------- signals & cancellation

  private signalRun(
    run: WorkflowRun,
    signalName: string,
    input: Payloads,
    header: Payloads,
    identity: string,
    requestId: string,
    external?: { initiatedEventId: number; execution: ProtoObject },
  ): void {
    if (!run.isOpen) throw new WorkflowClosedError();
    if (requestId && run.requestIds.has(requestId)) return;
    if (requestId) run.requestIds.add(requestId);
    this.externalEvent(run, () => {
      run.append(
        ET.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
        {
          signalName,
          input,
          identity,
          header,
          externalWorkflowExecution: external?.execution,
        },
        this.clock.now(),
      );
    });
  }

  /** SignalWorkflowExecution. */
  signal(req: Req): void {
    const ns = this.namespace(req.namespace);
    if (!str(req.signalName)) throw new InvalidArgumentError('signalName: SignalName is not set on request.');
    const run = this.openRun(ns.name, req.workflowExecution);
    this.signalRun(run, str(req.signalName), req.input as Payloads, req.header as Payloads, str(req.identity), str(req.requestId));
  }

  private requestCancelRun(run: WorkflowRun, reason: string, identity: string, external?: { initiatedEventId: number; execution: ProtoObject }): void {
    if (!run.isOpen) throw new WorkflowClosedError();
    if (run.cancelRequested) return;
    run.cancelRequested = true;
    this.externalEvent(run, () => {
      run.append(
        ET.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
        {
          cause: reason,
          identity,
          externalInitiatedEventId: external?.initiatedEventId ?? 0,
          externalWorkflowExecution: external?.execution,
        },
        this.clock.now(),
      );
    });
  }

  /** RequestCancelWorkflowExecution. */
  requestCancel(req: Req): void {
    const ns = this.namespace(req.namespace);
    const run = this.openRun(ns.name, req.workflowExecution);
    this.requestCancelRun(run, str(req.reason), str(req.identity));
  }

  // ---------------------------------------------------------------- updates

  private applyProtocolMessage(run: WorkflowRun, message: ProtoObject, completedId: number): void {
    const updateId = str(message.protocolInstanceId);
    const u = run.updates.get(updateId);
    if (!u) return;
    const { typeName, message: body } = unpackAny(obj(message.body) as never);
    const now = this.clock.now();
    if (typeName === 'temporal.api.update.v1.Acceptance') {
      u.acceptedEventId = run.append(
        ET.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
        {
          protocolInstanceId: updateId,
          acceptedRequestMessageId: body.acceptedRequestMessageId,
          acceptedRequestSequencingEventId: body.acceptedRequestSequencingEventId,
          acceptedRequest: body.acceptedRequest ?? u.request,
        },
        now,
      );
      u.stage = UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED;
    } else if (typeName === 'temporal.api.update.v1.Rejection') {
      // A rejected update leaves no trace in history.
      u.outcome = { failure: body.failure };
      u.stage = UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
    } else if (typeName === 'temporal.api.update.v1.Response') {
      run.append(
        ET.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
        { meta: body.meta ?? { updateId }, acceptedEventId: u.acceptedEventId, outcome: body.outcome },
        now,
      );
      u.outcome = obj(body.outcome);
      u.stage = UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
    } else {
      throw new InvalidArgumentError(`messages: unsupported protocol message body ${typeName}`);
    }
    void completedId;
    for (const w of [...u.waiters]) w();
  }

  /**
   * After a successful (non-heartbeat) completion, updates the worker was sent but neither
   * accepted nor rejected are rejected by the server, as Temporal's RejectUnprocessed does; they
   * are never sent again (a worker that saw a request twice would hold a stale protocol message).
   */
  private rejectUnprocessedUpdates(run: WorkflowRun): void {
    for (const u of run.sentUnansweredUpdates()) {
      u.outcome = {
        failure: {
          message:
            "Workflow Update is rejected because it wasn't processed by worker. Probably, Workflow Update is not supported by the worker.",
          source: 'Server',
          applicationFailureInfo: { type: 'UnprocessedUpdate', nonRetryable: true },
        },
      };
      u.stage = UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
      this.log(`rejected unprocessed update ${u.updateId} of ${run.workflowId}/${run.runId}`);
      for (const w of [...u.waiters]) w();
    }
  }

  private waitForUpdate(u: UpdateState, stage: number, onCancel: (cb: () => void) => void): Promise<void> {
    return waitUntil(
      u.waiters,
      () => u.error !== undefined || u.outcome !== undefined || (stage <= u.stage && stage !== UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED),
      onCancel,
    );
  }

  private updateResponse(run: WorkflowRun, u: UpdateState): ProtoObject {
    if (u.error) throw u.error;
    return {
      updateRef: { workflowExecution: { workflowId: run.workflowId, runId: run.runId }, updateId: u.updateId },
      outcome: u.outcome,
      stage: u.outcome ? UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED : u.stage,
    };
  }

  /** UpdateWorkflowExecution: admits the update and waits for the requested stage. */
  async update(req: Req, onCancel: (cb: () => void) => void): Promise<ProtoObject> {
    const ns = this.namespace(req.namespace);
    const request = obj(req.request);
    const updateId = str(obj(request.meta).updateId);
    if (!updateId) throw new InvalidArgumentError('request.meta.updateId: UpdateId is not set on request.');
    if (!str(obj(request.input).name)) throw new InvalidArgumentError('request.input.name: update name is not set on request.');
    const run = this.findRun(ns.name, req.workflowExecution);
    let u = run.updates.get(updateId);
    if (!u) {
      if (!run.isOpen) throw new WorkflowClosedError();
      u = {
        updateId,
        request,
        stage: UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED,
        sent: false,
        acceptedEventId: 0,
        waiters: new Set(),
      };
      run.updates.set(updateId, u);
      if (!run.wft) this.scheduleWorkflowTask(run, 1);
      else if (run.wft.state === 'started') run.needsWorkflowTask = true;
    }
    const stage = Math.max(
      Number(obj(req.waitPolicy).lifecycleStage ?? 0),
      UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED,
    );
    await this.waitForUpdate(u, stage, onCancel);
    return this.updateResponse(run, u);
  }

  /** PollWorkflowExecutionUpdate. */
  async pollUpdate(req: Req, onCancel: (cb: () => void) => void): Promise<ProtoObject> {
    const ns = this.namespace(req.namespace);
    const ref = obj(req.updateRef);
    const updateId = str(ref.updateId);
    const execution = obj(ref.workflowExecution);
    const candidates = str(execution.runId)
      ? [this.findRun(ns.name, execution)]
      : this.s.runsOf(ns.name, str(execution.workflowId));
    const run = candidates.find((r) => r.updates.has(updateId));
    if (!run) throw new NotFoundError(`update ${updateId} not found`);
    const u = run.updates.get(updateId) as UpdateState;
    const stage = Number(obj(req.waitPolicy).lifecycleStage ?? 0) || UpdateStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
    await this.waitForUpdate(u, stage, onCancel);
    const r = this.updateResponse(run, u);
    return { outcome: r.outcome, stage: r.stage, updateRef: r.updateRef };
  }

  // ---------------------------------------------------------------- queries

  /** QueryWorkflow: routes the query to a worker and waits for its answer. */
  query(req: Req, onCancel: (cb: () => void) => void): Promise<ProtoObject> {
    const ns = this.namespace(req.namespace);
    const run = this.findRun(ns.name, req.execution);
    const query = obj(req.query);
    if (!str(query.queryType)) throw new InvalidArgumentError('query.queryType: QueryType is not set on request.');
    if (Engine.rejectsQuery(run, Number(req.queryRejectCondition ?? 0))) {
      return Promise.resolve({ queryRejected: { status: run.status } });
    }
    return new Promise<ProtoObject>((resolve, reject) => {
      const q: PendingQuery = { id: randomUUID(), query, resolve, reject };
      // Through q.reject: a query-only task replaces it to release its hold on time skipping.
      onCancel(() => {
        q.cancelled = true;
        q.reject(new ServiceError(1, 'query cancelled by caller'));
      });
      if (run.isOpen && run.wft?.state === 'scheduled') run.wft.queries.push(q);
      else if (run.isOpen && run.wft?.state === 'started') run.queriesAwaitingTask.push(q);
      else this.dispatchLegacyQuery(run, q);
    });
  }

  /** Whether a query's reject condition refuses it on this run (closed runs only). */
  private static rejectsQuery(run: WorkflowRun, condition: number): boolean {
    if (run.isOpen) return false;
    const Condition = temporal.api.enums.v1.QueryRejectCondition;
    if (condition === Condition.QUERY_REJECT_CONDITION_NOT_OPEN) return true;
    return (
      condition === Condition.QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY &&
      run.status !== Status.WORKFLOW_EXECUTION_STATUS_COMPLETED
    );
  }

  private dispatchWaitingQueries(run: WorkflowRun): void {
    if (run.wft?.state === 'started') return;
    const waiting = run.queriesAwaitingTask;
    run.queriesAwaitingTask = [];
    for (const q of waiting) {
      if (run.isOpen && run.wft?.state === 'scheduled') run.wft.queries.push(q);
      else this.dispatchLegacyQuery(run, q);
    }
  }

  /**
   * Sends a query as a query-only ("legacy") task, as Temporal does when no workflow task is
   * pending. Like Temporal's servers, the task carries the run's real history and no workflow task
   * of its own: `startedEventId` is 0 and `previousStartedEventId` is the started event of the
   * last completed workflow task. (Inventing a scheduled/started pair here would be wrong:
   * sdk-core's cached run would consume those event ids, then skip the real events that later
   * take them, e.g. a TimerFired, and the workflow would never wake up.)
   */
  private dispatchLegacyQuery(run: WorkflowRun, q: PendingQuery): void {
    if (q.cancelled) return;
    this.s.legacyQueries.set(q.id, q);
    const key = `query:${q.id}`;
    this.clock.markBusy(key);
    const release = () => {
      this.s.legacyQueries.delete(q.id);
      this.clock.markIdle(key);
      if (run.queryTasksInFlight.delete(q.id)) this.releaseDeferredWorkflowTask(run);
    };
    const original = { resolve: q.resolve, reject: q.reject };
    q.resolve = (r) => {
      release();
      original.resolve(r);
    };
    q.reject = (e) => {
      release();
      original.reject(e);
    };
    this.workflowTasks.offer(run.namespace, run.taskQueue, () => {
      if (!this.s.legacyQueries.has(q.id)) return undefined;
      if (run.isOpen && run.wft) {
        // A workflow task became pending after the query was queued: the query goes with that
        // task (or the next one), so a query task never shows history the workflow has not seen.
        release();
        if (run.wft.state === 'scheduled') run.wft.queries.push(q);
        else run.queriesAwaitingTask.push(q);
        return undefined;
      }
      const now = this.clock.now();
      run.queryTasksInFlight.add(q.id);
      return {
        taskToken: encodeTaskToken({ k: 'q', r: run.runId, q: q.id }),
        workflowExecution: { workflowId: run.workflowId, runId: run.runId },
        workflowType: { name: run.workflowType },
        previousStartedEventId: run.lastCompletedStartedEventId,
        startedEventId: 0,
        attempt: 1,
        history: new EncodedHistory(run.history.slice()),
        query: q.query,
        workflowExecutionTaskQueue: { name: run.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        scheduledTime: msToTimestamp(now),
        startedTime: msToTimestamp(now),
      };
    });
  }

  /** RespondQueryTaskCompleted (answer to a legacy query task). */
  respondQueryTaskCompleted(req: Req): void {
    const t = parseTaskToken(req.taskToken);
    const q = t.k === 'q' ? this.s.legacyQueries.get(t.q ?? '') : undefined;
    if (!q) throw new NotFoundError('query task not found');
    const answered = Number(req.completedType) === temporal.api.enums.v1.QueryResultType.QUERY_RESULT_TYPE_ANSWERED;
    if (answered) q.resolve({ queryResult: req.queryResult });
    else q.reject(new InvalidArgumentError(str(req.errorMessage) || 'query failed'));
  }

  private answerAttachedQueries(wft: WorkflowTaskState, results: Record<string, ProtoObject>): void {
    const remaining: PendingQuery[] = [];
    for (const q of wft.queries) {
      const r = results[q.id];
      if (!r) {
        remaining.push(q);
        continue;
      }
      if (Number(r.resultType) === temporal.api.enums.v1.QueryResultType.QUERY_RESULT_TYPE_ANSWERED) {
        q.resolve({ queryResult: r.answer });
      } else {
        q.reject(new InvalidArgumentError(str(r.errorMessage) || 'query failed'));
      }
    }
    wft.queries = remaining;
  }

  // ---------------------------------------------------------------- history

  /** GetWorkflowExecutionHistory, with long polling (`waitNewEvent`) and the close-event filter. */
  async history(req: Req, onCancel: (cb: () => void) => void): Promise<ProtoObject> {
    const ns = this.namespace(req.namespace);
    const run = this.findRun(ns.name, req.execution);
    const closeOnly =
      Number(req.historyEventFilterType ?? 0) === temporal.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT;
    const pageToken = req.nextPageToken as Uint8Array | undefined;
    let from = 1;
    if (pageToken && pageToken.length > 0) {
      try {
        from = Number(JSON.parse(Buffer.from(pageToken).toString('utf8')).from) || 1;
      } catch {
        throw new InvalidArgumentError('nextPageToken: not a page token issued by this server');
      }
    }
    const wait = req.waitNewEvent === true;
    if (closeOnly) {
      if (wait && run.isOpen) await waitUntil(run.historyWaiters, () => !run.isOpen, onCancel);
      const close = this.closeEvent(run);
      if (!close) return { history: { events: [] }, nextPageToken: Buffer.from(JSON.stringify({ from: 1 })) };
      return { history: new EncodedHistory([close]) };
    }
    if (wait && run.isOpen && from > run.history.length) {
      await waitUntil(run.historyWaiters, () => run.history.length >= from || !run.isOpen, onCancel);
    }
    const pageSize = Number(req.maximumPageSize ?? 0) || 1000;
    const events = run.history.slice(from - 1, from - 1 + pageSize);
    const next = from + events.length;
    const more = next <= run.history.length || (wait && run.isOpen);
    return {
      history: new EncodedHistory(events),
      nextPageToken: more ? Buffer.from(JSON.stringify({ from: next })) : undefined,
    };
  }

  // ---------------------------------------------------------------- describe & visibility

  private executionInfo(run: WorkflowRun): ProtoObject {
    return {
      execution: { workflowId: run.workflowId, runId: run.runId },
      type: { name: run.workflowType },
      startTime: msToTimestamp(run.startTime),
      closeTime: run.isOpen ? null : msToTimestamp(run.closeTime),
      status: run.status,
      historyLength: run.history.length,
      parentNamespaceId: run.parent ? this.namespace(run.parent.namespace).id : '',
      parentExecution: run.parent ? { workflowId: run.parent.workflowId, runId: run.parent.runId } : null,
      executionTime: msToTimestamp(run.executionTime),
      memo: { fields: run.memo },
      searchAttributes: { indexedFields: run.searchAttributes },
      taskQueue: run.taskQueue,
      stateTransitionCount: run.history.length,
      historySizeBytes: 0,
      executionDuration: run.isOpen ? null : msToDuration(run.closeTime - run.executionTime),
      rootExecution: run.root,
      firstRunId: run.firstRunId,
    };
  }

  /** DescribeWorkflowExecution. */
  describe(req: Req): ProtoObject {
    const ns = this.namespace(req.namespace);
    const run = this.findRun(ns.name, req.execution);
    const started = obj(run.history[0].workflowExecutionStartedEventAttributes);
    const PendingActivityState = temporal.api.enums.v1.PendingActivityState;
    return {
      executionConfig: {
        taskQueue: { name: run.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        workflowExecutionTimeout: started.workflowExecutionTimeout,
        workflowRunTimeout: started.workflowRunTimeout,
        defaultWorkflowTaskTimeout: started.workflowTaskTimeout,
      },
      workflowExecutionInfo: this.executionInfo(run),
      pendingActivities: [...run.activities.values()].map((a) => ({
        activityId: a.activityId,
        activityType: { name: a.activityType },
        state: a.cancelRequested
          ? PendingActivityState.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED
          : a.state === 'started'
            ? PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
            : PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED,
        heartbeatDetails: a.heartbeatDetails,
        lastHeartbeatTime: a.lastHeartbeatTime ? msToTimestamp(a.lastHeartbeatTime) : null,
        lastStartedTime: a.startedTime ? msToTimestamp(a.startedTime) : null,
        attempt: a.attempt,
        maximumAttempts: a.retryPolicy.maximumAttempts,
        scheduledTime: msToTimestamp(a.currentAttemptScheduledTime),
        expirationTime: a.scheduleToCloseMs ? msToTimestamp(a.firstScheduledTime + a.scheduleToCloseMs) : null,
        lastFailure: a.lastFailure,
        lastWorkerIdentity: a.lastIdentity,
        nextAttemptScheduleTime: a.state === 'backoff' ? msToTimestamp(a.nextAttemptTime) : null,
      })),
      pendingChildren: [...run.children.values()].map((c) => ({
        workflowId: c.workflowId,
        runId: c.runId,
        workflowTypeName: c.workflowType,
        initiatedId: c.initiatedEventId,
        parentClosePolicy: c.parentClosePolicy,
      })),
      pendingWorkflowTask: run.wft
        ? {
            state:
              run.wft.state === 'started'
                ? temporal.api.enums.v1.PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED
                : temporal.api.enums.v1.PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_SCHEDULED,
            scheduledTime: msToTimestamp(run.wft.scheduledTime),
            startedTime: run.wft.startedTime ? msToTimestamp(run.wft.startedTime) : null,
            attempt: run.wft.attempt,
          }
        : null,
    };
  }

  /** Visibility records of all runs of a namespace (kept up to date; callers must not change them). */
  visibilityRecords(namespace: string): VisibilityEntry[] {
    const ns = this.namespace(namespace);
    return this.s.visibility.entries(ns.name);
  }

  /** WorkflowExecutionInfo of a run (ListWorkflowExecutions). */
  info(run: WorkflowRun): ProtoObject {
    return this.executionInfo(run);
  }

  /** Releases every waiting poller (shutdown). */
  shutdown(): void {
    this.workflowTasks.releaseAll();
    this.activityTasks.releaseAll();
  }
}

export { statusName } from './status-name';
export type { NamespaceRecord } from './state';
export { LONG_POLL_MS } from './long-poll';
