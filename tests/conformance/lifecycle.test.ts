import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { TimeoutFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { withWorker, workflowBundle } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import { rejectionOf } from '../support/thrown';
import * as activities from './activities';
import {
  counter,
  countdown,
  finishSignal,
  incrementSignal,
  memoEditor,
  oneActivity,
  parentAwaitingChild,
  parentOfDoubler,
  parentWithPolicies,
  sleeper,
  stageKey,
  stageUpserter,
  taskFailer,
} from './workflows';

const workflowsPath = path.resolve(__dirname, 'workflows');
const fixedWorkflowsPath = path.resolve(__dirname, 'workflows/fixed');
const env = useTestEnvironment({ searchAttributes: { ConformanceStage: 'Keyword' } });

describe('child workflows', () => {
  it('runs a child and returns its result to the parent', async () => {
    const workflowId = `parent-${randomUUID()}`;
    const result = await withWorker(env(), { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(parentOfDoubler, { taskQueue, workflowId, args: [20] }),
    );
    expect(result).toBe(41);
    const types = ((await env().client.workflow.getHandle(workflowId).fetchHistory()).events ?? []).map((e) => Number(e.eventType));
    const ET = temporal.api.enums.v1.EventType;
    expect(types).toContain(ET.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED);
    expect(types).toContain(ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED);
    expect(types).toContain(ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED);
  });

  it('applies parent close policies: TERMINATE ends the child, ABANDON leaves it running', async () => {
    const workflowId = `policies-${randomUUID()}`;
    const [terminated, abandoned] = await withWorker(env(), { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(parentWithPolicies, { taskQueue, workflowId }),
    );
    expect((await env().client.workflow.getHandle(terminated).describe()).status.name).toBe('TERMINATED');
    const abandonedHandle = env().client.workflow.getHandle(abandoned);
    expect((await abandonedHandle.describe()).status.name).toBe('RUNNING');
    await abandonedHandle.terminate('test over');
  });
});

describe('continue-as-new', () => {
  it('starts new runs under the same id, carrying memo, and result() follows them', async () => {
    const workflowId = `can-${randomUUID()}`;
    const { result, firstRunId } = await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(countdown, { taskQueue, workflowId, args: [3], memo: { caseRef: 'C-0001' } });
      return { result: await handle.result(), firstRunId: handle.firstExecutionRunId };
    });
    expect(result.runs).toBe(4);
    expect(result.memo).toEqual({ caseRef: 'C-0001' });
    expect(result.continuedFromRunId).toBeTruthy();
    const latest = await env().client.workflow.getHandle(workflowId).describe();
    expect(latest.runId).not.toBe(firstRunId);
    expect(latest.status.name).toBe('COMPLETED');
    const first = await env().client.workflow.getHandle(workflowId, firstRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
  });
});

describe('workflow timeouts', () => {
  it('times out a run exceeding its run timeout', async () => {
    const error = await withWorker(env(), { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow
        .execute(sleeper, { taskQueue, workflowId: `timeout-${randomUUID()}`, args: [2 * 86_400_000], workflowRunTimeout: '1 day' })
        .catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause).toBeInstanceOf(TimeoutFailure);
  });
});

describe('search attributes and memo', () => {
  it('records typed search attributes and memo from start and upserts', async () => {
    const workflowId = `upsert-${randomUUID()}`;
    const description = await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(stageUpserter, {
        taskQueue,
        workflowId,
        args: ['strategy-discussion'],
        typedSearchAttributes: [{ key: stageKey, value: 'referral' }],
        memo: { caseRef: 'C-0002' },
      });
      const initial = await handle.describe();
      expect(initial.typedSearchAttributes.get(stageKey)).toBe('referral');
      await handle.result();
      return handle.describe();
    });
    expect(description.typedSearchAttributes.get(stageKey)).toBe('strategy-discussion');
    expect(await description.memo).toEqual({ caseRef: 'C-0002', note: 'moved to strategy-discussion' });
  });

  it('upserts memo fields from the workflow, removes a field set to undefined, and records each change in history', async () => {
    const workflowId = `memo-${randomUUID()}`;
    await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(memoEditor, { taskQueue, workflowId, memo: { team: 'north' } });
      await env().sleep('2 hours'); // past the second upsert, well before the day-long sleep ends
      expect(await (await handle.describe()).memo).toEqual({ team: 'north', caseRef: 'C-0003', stage: 'assessment' });
      await handle.terminate('memo checked');
    });
    const history = await env().client.workflow.getHandle(workflowId).fetchHistory();
    const modified = (history.events ?? []).filter(
      (e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
    );
    expect(modified).toHaveLength(2);
  });

  it('rejects a start with an unregistered search attribute', async () => {
    const start = env().client.workflow.start(stageUpserter, {
      taskQueue: 'nobody',
      workflowId: `bad-sa-${randomUUID()}`,
      args: ['x'],
      searchAttributes: { NotRegistered: ['x'] },
    });
    const error = await rejectionOf(Error, start);
    expect(String((error.cause as Error | undefined)?.message)).toMatch(/INVALID_ARGUMENT.*NotRegistered/);
  });
});

describe('describe', () => {
  it('shows pending children, and terminating the parent terminates them (default policy)', async () => {
    const workflowId = `pending-child-${randomUUID()}`;
    const description = await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(parentAwaitingChild, { taskQueue, workflowId });
      for (let i = 0; i < 100; i++) {
        const d = await handle.describe();
        if ((d.raw.pendingChildren ?? []).some((c) => c.runId)) return d;
        await new Promise((r) => setTimeout(r, 20));
      }
      return handle.describe();
    });
    expect(description.raw.pendingChildren?.[0]?.workflowId).toBe(`${workflowId}-child`);
    expect(description.raw.pendingChildren?.[0]?.workflowTypeName).toBe('waitForever');
    await env().client.workflow.getHandle(workflowId).terminate('test over');
    expect((await env().client.workflow.getHandle(`${workflowId}-child`).describe()).status.name).toBe('TERMINATED');
  });

  it('shows pending activities', async () => {
    const taskQueue = `describe-${randomUUID()}`;
    const handle = await env().client.workflow.start(oneActivity, { taskQueue, workflowId: `describe-${randomUUID()}`, args: ['x'] });
    // A worker with no activities registered for this queue would fail them; instead complete the workflow task only.
    const worker = await Worker.create({
      connection: env().nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(workflowsPath),
    });
    const description = await worker.runUntil(async () => {
      for (let i = 0; i < 50; i++) {
        const d = await handle.describe();
        if ((d.raw.pendingActivities ?? []).length > 0) return d;
        await new Promise((r) => setTimeout(r, 50));
      }
      return handle.describe();
    });
    expect(description.raw.pendingActivities?.[0]?.activityType?.name).toBe('echo');
    await handle.terminate('test over');
  });
});

describe('workflow task failure', () => {
  it('retries a failing workflow task until a fixed worker completes it', async () => {
    const workflowId = `wft-fix-${randomUUID()}`;
    const taskQueue = `wft-fix-${randomUUID()}`;
    const handle = await env().client.workflow.start(taskFailer, { taskQueue, workflowId, workflowTaskTimeout: '2s' });
    await withWorker(env(), { workflowsPath, activities, taskQueue }, async () => {
      for (let i = 0; i < 100; i++) {
        const events = (await handle.fetchHistory()).events ?? [];
        if (events.some((e) => e.workflowTaskFailedEventAttributes)) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('workflow task never failed');
    });
    const result = await withWorker(env(), { workflowsPath: fixedWorkflowsPath, taskQueue }, () => handle.result());
    expect(result).toBe('fixed');
    const failed = ((await handle.fetchHistory()).events ?? []).find((e) => e.workflowTaskFailedEventAttributes);
    expect(failed?.workflowTaskFailedEventAttributes?.failure?.message).toMatch(/cannot read the referral/);
  });
});

describe('replay', () => {
  it('replays histories fetched from the server without nondeterminism', async () => {
    const ids: string[] = [];
    await withWorker(env(), { workflowsPath, activities, maxCachedWorkflows: 0 }, async ({ client, taskQueue }) => {
      const run = async (fn: () => Promise<unknown>) => fn();
      const a = `replay-a-${randomUUID()}`;
      await run(() => client.workflow.execute(parentOfDoubler, { taskQueue, workflowId: a, args: [1] }));
      const b = `replay-b-${randomUUID()}`;
      const h = await client.workflow.start(counter, { taskQueue, workflowId: b });
      await h.signal(incrementSignal, 1);
      await h.signal(finishSignal);
      await h.result();
      const c = `replay-c-${randomUUID()}`;
      await client.workflow.execute(countdown, { taskQueue, workflowId: c, args: [1] });
      ids.push(a, `${a}-child`, b);
      const described = await client.workflow.getHandle(c).describe();
      ids.push(c);
      expect(described.status.name).toBe('COMPLETED');
    });
    const histories = await Promise.all(
      ids.map(async (workflowId) => ({ workflowId, history: await env().client.workflow.getHandle(workflowId).fetchHistory() })),
    );
    const results = Worker.runReplayHistories({ workflowBundle: await workflowBundle(workflowsPath) }, histories);
    for await (const r of results) expect(r.error).toBeUndefined();
  });
});
