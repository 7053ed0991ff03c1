import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { withWorker } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import * as activities from './activities';
import { historyEvents, WORKER_CACHES } from './support';
import { activitiesAndTimers } from './workflows';

const workflowsPath = path.resolve(__dirname, 'workflows');
const EventType = temporal.api.enums.v1.EventType;
const env = useTestEnvironment();

describe.each(WORKER_CACHES)('SDK metadata in history ($cache)', ({ workerOptions }) => {
  it('records the SDK flags and name in WorkflowTaskCompleted, so later tasks need not repeat them', async () => {
    const workflowId = `sdk-metadata-${randomUUID()}`;
    await withWorker(
      env(),
      { workflowsPath, activities, ...workerOptions },
      ({ client, taskQueue }) => client.workflow.execute(activitiesAndTimers, { taskQueue, workflowId, args: [2] }),
    );
    const completed = (await historyEvents(env().client.workflow.getHandle(workflowId)))
      .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
      .map((e) => e.workflowTaskCompletedEventAttributes?.sdkMetadata);
    expect(completed.length).toBeGreaterThanOrEqual(4);
    const [first, ...later] = completed;
    expect(first?.coreUsedFlags?.length).toBeGreaterThan(0);
    expect(first?.sdkName).toMatch(/typescript/);
    expect(first?.sdkVersion).toMatch(/^\d+\.\d+/);
    // The worker (replaying from scratch without a cache) read them back from history: no repeats.
    for (const m of later) {
      expect(m?.coreUsedFlags ?? []).toEqual([]);
      expect(m?.sdkName ?? '').toBe('');
    }
  });
});

describe('history paging', () => {
  it('pages GetWorkflowExecutionHistory by maximumPageSize and nextPageToken, losing and repeating nothing, and rejects a forged token', async () => {
    const workflowId = `paging-${randomUUID()}`;
    await withWorker(env(), { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(activitiesAndTimers, { taskQueue, workflowId, args: [3] }),
    );
    const all = await historyEvents(env().client.workflow.getHandle(workflowId));
    const pages: number[][] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await env().connection.workflowService.getWorkflowExecutionHistory({
        namespace: 'default',
        execution: { workflowId },
        maximumPageSize: 4,
        nextPageToken,
      });
      pages.push((page.history?.events ?? []).map((e) => Number(e.eventId)));
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken && pages.length < 100);
    expect(all.length).toBeGreaterThan(12);
    expect(pages.every((p) => p.length <= 4)).toBe(true);
    expect(pages.length).toBe(Math.ceil(all.length / 4));
    expect(pages.flat()).toEqual(all.map((e) => Number(e.eventId)));

    const forged = await env().connection.workflowService
      .getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId }, nextPageToken: Buffer.from('forged') })
      .catch((e: unknown) => e as Error & { code?: number });
    expect(forged).toMatchObject({ code: 3 }); // INVALID_ARGUMENT
    expect(String((forged as Error).message)).toMatch(/nextPageToken/);
  });

});
