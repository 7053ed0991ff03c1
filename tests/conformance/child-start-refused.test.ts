/**
 * A child workflow start the server refuses is reported to the parent with its real cause
 * (StartChildWorkflowExecutionFailedCause), driven by a raw gRPC worker: the TypeScript SDK only
 * understands WORKFLOW_ALREADY_EXISTS and fails its workflow task on any other cause.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { useTestEnvironment } from '../support/test-environment';
import { startRawWorkflow, type RawWorkflow } from './support';

const EventType = temporal.api.enums.v1.EventType;
const Cause = temporal.api.enums.v1.StartChildWorkflowExecutionFailedCause;
const env = useTestEnvironment();

/** Has the raw parent start a child (after a signal wakes it) and returns the parent's next workflow task. */
async function startChild(parent: RawWorkflow, child: { namespace: string; workflowId: string }) {
  await parent.service.signalWorkflowExecution({
    namespace: parent.namespace,
    workflowExecution: { workflowId: parent.workflowId },
    signalName: 'start-a-child',
    requestId: randomUUID(),
  });
  const task = await parent.poll();
  await parent.service.respondWorkflowTaskCompleted({
    namespace: parent.namespace,
    taskToken: task.taskToken,
    identity: 'raw-worker',
    commands: [
      {
        commandType: temporal.api.enums.v1.CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION,
        startChildWorkflowExecutionCommandAttributes: {
          namespace: child.namespace,
          workflowId: child.workflowId,
          workflowType: { name: 'rawChild' },
          taskQueue: { name: `${parent.taskQueue}-children` },
        },
      },
    ],
  });
  return parent.poll();
}

function failedStart(task: temporal.api.workflowservice.v1.IPollWorkflowTaskQueueResponse) {
  return task.history?.events?.find((e) => e.eventType === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED)
    ?.startChildWorkflowExecutionFailedEventAttributes;
}

describe('a refused child workflow start', () => {
  it('names NAMESPACE_NOT_FOUND when the child namespace does not exist', async () => {
    const parent = await startRawWorkflow(env(), 'child-no-namespace');
    const task = await startChild(parent, { namespace: `missing-${randomUUID()}`, workflowId: `child-${randomUUID()}` });
    expect(failedStart(task)?.cause).toBe(Cause.START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_NAMESPACE_NOT_FOUND);
    await parent.service.terminateWorkflowExecution({ namespace: parent.namespace, workflowExecution: { workflowId: parent.workflowId }, reason: 'test over' });
  });

  it('names WORKFLOW_ALREADY_EXISTS when an open run holds the child workflow id', async () => {
    const parent = await startRawWorkflow(env(), 'child-id-taken');
    const holder = await startRawWorkflow(env(), 'child-id-holder');
    const task = await startChild(parent, { namespace: 'default', workflowId: holder.workflowId });
    expect(failedStart(task)).toMatchObject({
      cause: Cause.START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS,
      workflowId: holder.workflowId,
    });
    for (const run of [parent, holder]) {
      await run.service.terminateWorkflowExecution({ namespace: run.namespace, workflowExecution: { workflowId: run.workflowId }, reason: 'test over' });
    }
  });
});
