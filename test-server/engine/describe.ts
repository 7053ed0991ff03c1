/**
 * What a run looks like from outside: DescribeWorkflowExecution (config, pending activities,
 * children and workflow task) and the WorkflowExecutionInfo that Describe and List return.
 */
import { msToDuration, msToTimestamp, temporal, type ProtoObject } from '../proto';
import type { WorkflowRun } from './workflow-run';
import { obj, type Req } from './request-fields';
import type { EngineState } from './state';

const TaskQueueKind = temporal.api.enums.v1.TaskQueueKind;
const PendingActivityState = temporal.api.enums.v1.PendingActivityState;
const PendingWorkflowTaskState = temporal.api.enums.v1.PendingWorkflowTaskState;

/** WorkflowExecutionInfo of a run. */
export function executionInfo(s: EngineState, run: WorkflowRun): ProtoObject {
  return {
    execution: { workflowId: run.workflowId, runId: run.runId },
    type: { name: run.workflowType },
    startTime: msToTimestamp(run.startTime),
    closeTime: run.isOpen ? null : msToTimestamp(run.closeTime),
    status: run.status,
    historyLength: run.history.length,
    parentNamespaceId: run.parent ? s.namespace(run.parent.namespace).id : '',
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
export function describe(s: EngineState, req: Req): ProtoObject {
  const ns = s.namespace(req.namespace);
  const run = s.findRun(ns.name, req.execution);
  const started = obj(run.history[0].workflowExecutionStartedEventAttributes);
  return {
    executionConfig: {
      taskQueue: { name: run.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      workflowExecutionTimeout: started.workflowExecutionTimeout,
      workflowRunTimeout: started.workflowRunTimeout,
      defaultWorkflowTaskTimeout: started.workflowTaskTimeout,
    },
    workflowExecutionInfo: executionInfo(s, run),
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
              ? PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED
              : PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_SCHEDULED,
          scheduledTime: msToTimestamp(run.wft.scheduledTime),
          startedTime: run.wft.startedTime ? msToTimestamp(run.wft.startedTime) : null,
          attempt: run.wft.attempt,
        }
      : null,
  };
}
