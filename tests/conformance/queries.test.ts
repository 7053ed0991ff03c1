import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Client, QueryRejectedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { withWorker } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import * as activities from './activities';
import { eventTypes, eventually, startRawWorkflow, untilEvent, WORKER_CACHES } from './support';
import { counter, phaseQuery, proceedSignal, queriedLifecycle } from './workflows';

const workflowsPath = path.resolve(__dirname, 'workflows');
const EventType = temporal.api.enums.v1.EventType;
const PendingActivityState = temporal.api.enums.v1.PendingActivityState;
const env = useTestEnvironment();

describe.each(WORKER_CACHES)('queries through a workflow’s life ($cache)', ({ workerOptions }) => {
  it('answers at a pending timer, a pending activity, a task in flight and after completion — and the workflow still completes', async () => {
    const workflowId = `queried-${randomUUID()}`;
    await withWorker(
      env(),
      { workflowsPath, activities, ...workerOptions },
      async ({ client, taskQueue }) => {
        const handle = await client.workflow.start(queriedLifecycle, { taskQueue, workflowId });
        const testService = env().connection.testService;
        if (!testService) throw new Error('the time-skipping environment has no TestService');

        // 1. Pending timer (time skipping is locked by the time-skipping client until result()).
        await untilEvent(handle, EventType.EVENT_TYPE_TIMER_STARTED, 'the timer to start');
        for (let i = 0; i < 3; i++) {
          expect(await handle.query(phaseQuery)).toEqual({ phase: 'waiting-timer', activityResult: '' });
        }

        // 2. Let the timer fire; the activity then stays open until completed from here.
        await testService.unlockTimeSkipping({});
        const pending = await eventually(
          'the activity to start',
          async () => (await handle.describe()).raw.pendingActivities ?? [],
          (acts) => acts.length === 1 && acts[0].state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED,
        );
        await testService.lockTimeSkipping({});
        for (let i = 0; i < 2; i++) {
          expect(await handle.query(phaseQuery)).toEqual({ phase: 'waiting-activity', activityResult: '' });
        }

        // 3. Complete the activity: a query now is strongly consistent (it sees the result).
        await client.activity.complete({ workflowId, activityId: String(pending[0].activityId) }, 'finished elsewhere');
        expect(await handle.query(phaseQuery)).toEqual({ phase: 'waiting-signal', activityResult: 'finished elsewhere' });

        // 4. Signal: the next task runs a 1.5 s local activity; a query meanwhile waits for that task.
        await handle.signal(proceedSignal);
        const during = await handle.query(phaseQuery);
        expect(['working', 'waiting-last-timer']).toContain(during.phase);

        // 5. The last timer fires once result() unlocks time skipping.
        expect(await handle.result()).toBe('finished elsewhere');
        for (let i = 0; i < 2; i++) {
          expect(await handle.query(phaseQuery)).toEqual({ phase: 'done', activityResult: 'finished elsewhere' });
        }
      },
    );
    const types = await eventTypes(env().client.workflow.getHandle(workflowId));
    expect(types.at(-1)).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    expect(types.filter((t) => t === EventType.EVENT_TYPE_TIMER_FIRED)).toHaveLength(2);
    expect(types).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
  }, 30_000);
});

describe('query reject conditions', () => {
  it('rejects a query on a closed workflow when asked to (NOT_OPEN, NOT_COMPLETED_CLEANLY) and answers it otherwise', async () => {
    await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(counter, { taskQueue, workflowId: `rejects-${randomUUID()}` });
      await handle.terminate('closed for the test');
      const notOpen = new Client({ connection: env().connection, workflow: { queryRejectCondition: 'NOT_OPEN' } });
      const notClean = new Client({ connection: env().connection, workflow: { queryRejectCondition: 'NOT_COMPLETED_CLEANLY' } });
      for (const c of [notOpen, notClean]) {
        const error = await c.workflow.getHandle(handle.workflowId).query('count').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(QueryRejectedError);
        expect((error as QueryRejectedError).status).toBe(temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
      }
      expect(await handle.query('count')).toBe(0);
    });
  });
});

describe('a query nobody answers', () => {
  it('stops holding time once its caller gives up', async () => {
    const workflowId = `unanswered-${randomUUID()}`;
    const taskQueue = `unanswered-${randomUUID()}`;
    await withWorker(env(), { workflowsPath, activities, taskQueue }, async ({ client }) => {
      const handle = await client.workflow.start(queriedLifecycle, { taskQueue, workflowId });
      await untilEvent(handle, EventType.EVENT_TYPE_TIMER_STARTED, 'the timer to start');
    });
    // The worker is gone: the query task waits in the queue until the caller's deadline.
    const handle = env().client.workflow.getHandle(workflowId);
    const error = await env().connection.withDeadline(Date.now() + 300, () => handle.query(phaseQuery)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    // Time skipping is free again: half an hour (short of the workflow's one-hour timer) passes at once.
    const wallStart = Date.now();
    await env().sleep('30 minutes');
    expect(Date.now() - wallStart).toBeLessThan(3000);
    await handle.terminate('no worker');
  });
});

describe('two queries at once on a run with no workflow task (raw gRPC worker)', () => {
  it('sends the second query-only task only after the first is answered, and answers both', async () => {
    const { service, namespace, workflowId, poll } = await startRawWorkflow(env(), 'raw-queries');

    const ask = (queryType: string) => service.queryWorkflow({ namespace, execution: { workflowId }, query: { queryType } });
    const answers = Promise.all([ask('first'), ask('second')]);
    const answer = (taskToken: Uint8Array | null | undefined, text: string) =>
      service.respondQueryTaskCompleted({
        namespace,
        taskToken,
        completedType: temporal.api.enums.v1.QueryResultType.QUERY_RESULT_TYPE_ANSWERED,
        queryResult: { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(text)) }] },
      });
    const taskA = await poll();
    expect(Number(taskA.startedEventId)).toBe(0);
    // While the first is with the worker, a poll gets nothing (sdk-core without a cache would drop a second one).
    const meanwhile = await env().connection
      .withDeadline(Date.now() + 500, () => poll())
      .then((task) => task.query?.queryType ?? 'an empty poll')
      .catch(() => 'no task before the deadline');
    expect(meanwhile).not.toMatch(/^(first|second)$/);
    await answer(taskA.taskToken, `answer to ${taskA.query?.queryType}`);
    const taskB = await poll();
    expect([taskA.query?.queryType, taskB.query?.queryType].sort()).toEqual(['first', 'second']);
    await answer(taskB.taskToken, `answer to ${taskB.query?.queryType}`);
    const texts = (await answers).map((r) => Buffer.from(r.queryResult?.payloads?.[0]?.data ?? []).toString('utf8'));
    expect(texts).toEqual(['"answer to first"', '"answer to second"']);
    await service.terminateWorkflowExecution({ namespace, workflowExecution: { workflowId }, reason: 'test over' });
  });
});
