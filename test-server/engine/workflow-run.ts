/**
 * In-memory state of one workflow run: its history and everything pending (workflow task,
 * activities, timers, children, updates, queries).
 */
import type { TimerHandle } from '../clock';
import { detachBytes } from '../detached-bytes';
import type { EffectiveRetryPolicy } from './activities/retry-policy';
import { temporal, type ProtoObject } from '../proto';

const EventType = temporal.api.enums.v1.EventType;

/** A history event as stored (plain object, encoded on the way out). */
export interface StoredEvent extends ProtoObject {
  eventId: number;
  eventType: number;
  eventTime: { seconds: number; nanos: number };
}

const attributeFieldByEventType = new Map<number, string>();
for (const [name, value] of Object.entries(EventType)) {
  if (typeof value !== 'number' || !name.startsWith('EVENT_TYPE_')) continue;
  const camel = name
    .slice('EVENT_TYPE_'.length)
    .toLowerCase()
    .replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  attributeFieldByEventType.set(value, `${camel}EventAttributes`);
}

/** Name of the HistoryEvent field holding the attributes of an event type. */
export function attributesField(eventType: number): string {
  const field = attributeFieldByEventType.get(eventType);
  if (!field) throw new Error(`unknown event type ${eventType}`);
  return field;
}

/** Workflow task in flight. */
export interface WorkflowTaskState {
  state: 'scheduled' | 'started';
  scheduledEventId: number;
  startedEventId: number;
  attempt: number;
  scheduledTime: number;
  startedTime: number;
  timeoutTimer?: TimerHandle;
  /** Queries attached to this task (answered in the completion). */
  queries: PendingQuery[];
  /** Updates whose request messages were sent with this task. */
  updateIds: string[];
  /**
   * Created by a heartbeat completion (`forceCreateNewWorkflowTask`): like Temporal's heartbeat
   * task it carries only updates never sent before, not those a worker still holds.
   */
  heartbeat: boolean;
  /** Set while the task waits on a sticky queue (see `workflow-tasks/sticky.ts`). */
  onStickyQueue?: StickyOffer;
}

/** A scheduled workflow task put on a worker's sticky queue. */
export interface StickyOffer {
  /** Sticky queue name. */
  queue: string;
  /** The claim queued there (removed when the task moves to the normal queue). */
  claim: (poll: ProtoObject) => ProtoObject | undefined;
  /** Wall-clock schedule-to-start timer. */
  timer: NodeJS.Timeout;
}

/**
 * The sticky queue a run's next workflow task goes to, as set by the worker's last completion
 * (`stickyAttributes`). Temporal calls this the run's sticky task queue.
 */
export interface Stickiness {
  queue: string;
  scheduleToStartMs: number;
}

/** A pending activity (from scheduling until it completes, fails for good, times out or is cancelled). */
export interface ActivityState {
  scheduledEventId: number;
  activityId: string;
  activityType: string;
  taskQueue: string;
  attributes: ProtoObject;
  retryPolicy: EffectiveRetryPolicy;
  attempt: number;
  state: 'scheduled' | 'started' | 'backoff';
  firstScheduledTime: number;
  currentAttemptScheduledTime: number;
  startedTime: number;
  scheduleToCloseMs: number;
  scheduleToStartMs: number;
  startToCloseMs: number;
  heartbeatMs: number;
  heartbeatDetails?: ProtoObject | null;
  lastHeartbeatTime: number;
  lastFailure?: ProtoObject | null;
  lastIdentity: string;
  startRequestId: string;
  cancelRequested: boolean;
  cancelRequestedEventId: number;
  nextAttemptTime: number;
  attemptTimers: TimerHandle[];
  scheduleToCloseTimer?: TimerHandle;
}

/** A child workflow started by this run. */
export interface ChildState {
  initiatedEventId: number;
  startedEventId: number;
  namespace: string;
  workflowId: string;
  workflowType: string;
  runId: string;
  parentClosePolicy: number;
}

/** A workflow update from admission until it has an outcome. */
export interface UpdateState {
  updateId: string;
  request: ProtoObject;
  stage: number;
  /**
   * Sent to a worker on a workflow task and not yet accepted or rejected (Temporal's "sent"
   * state). Sent again only on a new task after a failed or timed-out one; a successful
   * completion that leaves it unanswered rejects it (UnprocessedUpdate), as Temporal does.
   */
  sent: boolean;
  acceptedEventId: number;
  outcome?: ProtoObject;
  error?: Error;
  waiters: Set<() => void>;
}

/** A query waiting for an answer from a worker. */
export interface PendingQuery {
  id: string;
  query: ProtoObject;
  resolve(result: ProtoObject): void;
  reject(error: Error): void;
  /** The caller went away: nothing is sent to a worker for it any more. */
  cancelled?: boolean;
}

/** Parent of a child workflow run. */
export interface ParentRef {
  namespace: string;
  workflowId: string;
  runId: string;
  initiatedEventId: number;
}

/** Stands in for the request of an update of a closed run (never sent to a worker again). */
const RELEASED_UPDATE_REQUEST: ProtoObject = Object.freeze({});

/** One workflow run. */
export class WorkflowRun {
  readonly history: StoredEvent[] = [];
  status: number = temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  closeTime = 0;
  wft?: WorkflowTaskState;
  /** Last WorkflowTaskStarted event id of a successfully completed task (previousStartedEventId). */
  lastCompletedStartedEventId = 0;
  /** The worker sticky queue the next workflow task goes to, if any. */
  sticky?: Stickiness;
  /** External events that arrived while a workflow task was running (applied on its completion). */
  buffered: (() => void)[] = [];
  /** A new workflow task is needed after the running one completes. */
  needsWorkflowTask = false;
  readonly activities = new Map<number, ActivityState>();
  readonly timers = new Map<string, { startedEventId: number; handle: TimerHandle }>();
  readonly children = new Map<number, ChildState>();
  readonly updates = new Map<string, UpdateState>();
  /** Ids of query-only tasks handed to a worker and not answered yet. */
  readonly queryTasksInFlight = new Set<string>();
  /**
   * Queries held back from being sent as query-only tasks while another query-only task of the
   * run is with a worker (sdk-core without a workflow cache loses the second one).
   */
  queriesAwaitingQueryTask: PendingQuery[] = [];
  /** A scheduled workflow task held back until no query-only task is with a worker. */
  deferredWorkflowTask?: WorkflowTaskState;
  /** Queries waiting for the running workflow task to finish. */
  queriesAwaitingTask: PendingQuery[] = [];
  readonly historyWaiters = new Set<() => void>();
  /** Request ids already applied: the start's, and signals' (signals are idempotent per request id). */
  readonly requestIds = new Set<string>();
  cancelRequested = false;
  runTimeoutTimer?: TimerHandle;
  memo: Record<string, ProtoObject> = {};
  searchAttributes: Record<string, ProtoObject> = {};
  /** Run id of the run this one continued as (if it closed by continue-as-new). */
  newExecutionRunId = '';

  constructor(
    readonly namespace: string,
    readonly workflowId: string,
    readonly runId: string,
    readonly firstRunId: string,
    readonly workflowType: string,
    readonly taskQueue: string,
    readonly startTime: number,
    readonly executionTime: number,
    readonly startRequestId: string,
    readonly workflowTaskTimeoutMs: number,
    readonly runTimeoutMs: number,
    readonly executionTimeoutMs: number,
    readonly parent: ParentRef | undefined,
    readonly root: { workflowId: string; runId: string },
  ) {}

  /** True until the run reaches a closed status. */
  get isOpen(): boolean {
    return this.status === temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }

  /** Id the next appended event gets. */
  get nextEventId(): number {
    return this.history.length + 1;
  }

  /** Appends an event; returns its id. */
  append(eventType: number, attributes: ProtoObject, timeMs: number): number {
    const eventId = this.nextEventId;
    const seconds = Math.floor(timeMs / 1000);
    detachBytes(attributes);
    this.history.push({
      eventId,
      eventType,
      eventTime: { seconds, nanos: (timeMs - seconds * 1000) * 1e6 },
      taskId: eventId,
      [attributesField(eventType)]: attributes,
    });
    for (const w of [...this.historyWaiters]) w();
    return eventId;
  }

  /** Attributes of the event with the given id. */
  attributesOf(eventId: number): ProtoObject {
    const e = this.history[eventId - 1];
    return e[attributesField(e.eventType)] as ProtoObject;
  }

  /**
   * Drops, once the run is closed, what only an open run needs: signal request ids (a closed run
   * refuses signals; its start request id stays, for start idempotency — as Temporal keeps only
   * a run's create request id for that) and the request payloads and waiter sets of its updates
   * (each keeps its id and outcome, which is what PollWorkflowExecutionUpdate answers with —
   * Temporal likewise answers from the completion events it keeps). What stays is bounded by
   * what happened in the run, a few dozen bytes per update.
   */
  compactAfterClose(): void {
    this.requestIds.clear();
    this.requestIds.add(this.startRequestId);
    for (const u of this.updates.values()) {
      u.request = RELEASED_UPDATE_REQUEST;
      u.waiters.clear();
    }
  }

  /** Updates admitted but not yet sent to a worker. */
  undeliveredUpdates(): UpdateState[] {
    return [...this.updates.values()].filter((u) => !u.sent && u.acceptedEventId === 0 && !u.outcome && !u.error);
  }

  /** Updates sent to a worker that has neither accepted nor rejected them yet. */
  sentUnansweredUpdates(): UpdateState[] {
    return [...this.updates.values()].filter((u) => u.sent && u.acceptedEventId === 0 && !u.outcome && !u.error);
  }
}
