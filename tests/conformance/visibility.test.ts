import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { withWorker } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import { rejectionOf } from '../support/thrown';
import * as activities from './activities';
import { sleeper, stageUpserter } from './workflows';

const workflowsPath = path.resolve(__dirname, 'workflows');
const caseRef = defineSearchAttributeKey('VisCaseRef', SearchAttributeType.KEYWORD);
const stage = defineSearchAttributeKey('ConformanceStage', SearchAttributeType.KEYWORD);
const priority = defineSearchAttributeKey('VisPriority', SearchAttributeType.INT);
const stages = ['referral', 'strategy-discussion', 'section-47', 'conference'];
const env = useTestEnvironment({
    searchAttributes: { VisCaseRef: 'Keyword', ConformanceStage: 'Keyword', VisPriority: 'Int' },
  });

describe('visibility', () => {
  it('answers a query over 200 workflows with custom search attributes with exactly the right ones', async () => {
    const batch = randomUUID().slice(0, 8);
    const taskQueue = `vis-${batch}`;
    const expected: string[] = [];
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const workflowId = `vis-${batch}-${i}`;
        const s = stages[i % stages.length];
        const p = i % 5;
        if (s === 'section-47' && p >= 3) expected.push(workflowId);
        await env().client.workflow.start(sleeper, {
          taskQueue,
          workflowId,
          args: [1000],
          typedSearchAttributes: [
            { key: caseRef, value: `C-${batch}-${i}` },
            { key: stage, value: s },
            { key: priority, value: p },
          ],
        });
      }),
    );
    const found: string[] = [];
    for await (const wf of env().client.workflow.list({
      query: `ConformanceStage = 'section-47' AND VisPriority >= 3 AND VisCaseRef STARTS_WITH 'C-${batch}-'`,
    })) {
      found.push(wf.workflowId);
    }
    expect(found.sort()).toEqual(expected.sort());
    expect(expected.length).toBe(20);

    const count = await env().client.workflow.count(`VisCaseRef STARTS_WITH 'C-${batch}-'`);
    expect(count.count).toBe(200);
    const terminate = (from: number, to: number) =>
      Promise.all(
        Array.from({ length: to - from }, (_, i) => env().client.workflow.getHandle(`vis-${batch}-${from + i}`).terminate('done')),
      );
    await terminate(0, 10);
    const grouped = await env().client.workflow.count(`VisCaseRef STARTS_WITH 'C-${batch}-' GROUP BY ExecutionStatus`);
    const byStatus = Object.fromEntries(grouped.groups.map((g) => [String(g.groupValues[0]), g.count]));
    expect(byStatus).toEqual({ Running: 190, Terminated: 10 });
    // CountWorkflowExecutions with a compound query over system and custom attributes.
    const runningHighPriority = await env().client.workflow.count(
      `VisCaseRef STARTS_WITH 'C-${batch}-' AND ExecutionStatus = 'Running' AND VisPriority >= 3 AND WorkflowType = 'sleeper'`,
    );
    expect(runningHighPriority.count).toBe(76); // i in [10, 200) with i % 5 in {3, 4}
    expect((await env().client.workflow.count(`VisCaseRef STARTS_WITH 'C-${batch}-' AND ExecutionStatus = 'Terminated'`)).count).toBe(10);
    const badCount = await rejectionOf(Error, env().client.workflow.count('VisPriority >= '));
    expect(String((badCount.cause as Error | undefined)?.message ?? badCount.message)).toMatch(/INVALID_ARGUMENT/);
    // Workflows without a worker hold pending workflow tasks, which (as in Temporal's test server) stop time skipping.
    await terminate(10, 200);
  });

  it('reflects search attributes upserted by the workflow', async () => {
    const workflowId = `vis-upsert-${randomUUID()}`;
    await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(stageUpserter, { taskQueue, workflowId, args: [`conference-${workflowId}`] });
      await handle.result();
    });
    const found: string[] = [];
    for await (const wf of env().client.workflow.list({ query: `ConformanceStage = 'conference-${workflowId}'` })) {
      found.push(wf.workflowId);
    }
    expect(found).toEqual([workflowId]);
  });

  it('adds, lists and removes custom search attributes through the operator service', async () => {
    const operator = env().connection.operatorService;
    const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
    await operator.addSearchAttributes({ namespace: 'default', searchAttributes: { VisTemporary: KEYWORD } });
    const listed = await operator.listSearchAttributes({ namespace: 'default' });
    expect(listed.customAttributes?.VisTemporary).toBe(KEYWORD);
    expect(listed.customAttributes?.VisCaseRef).toBe(KEYWORD);
    await operator.removeSearchAttributes({ namespace: 'default', searchAttributes: ['VisTemporary'] });
    const after = await operator.listSearchAttributes({ namespace: 'default' });
    expect(after.customAttributes?.VisTemporary).toBeUndefined();
  });

  it('pages through one snapshot of a query: runs started meanwhile do not shift pages; bad tokens are refused', async () => {
    const batch = randomUUID().slice(0, 8);
    const taskQueue = `vis-page-${batch}`;
    const start = (i: number) =>
      env().client.workflow.start(sleeper, {
        taskQueue,
        workflowId: `vis-page-${batch}-${i}`,
        args: [1000],
        typedSearchAttributes: [{ key: caseRef, value: `P-${batch}-${i}` }],
      });
    for (let i = 0; i < 25; i++) await start(i);
    const service = env().connection.workflowService;
    const query = `VisCaseRef STARTS_WITH 'P-${batch}-' ORDER BY VisCaseRef`;
    const list = (nextPageToken?: Uint8Array | null, q = query) =>
      service.listWorkflowExecutions({ namespace: 'default', query: q, pageSize: 10, nextPageToken });
    const ids = (page: temporal.api.workflowservice.v1.IListWorkflowExecutionsResponse) =>
      (page.executions ?? []).map((e) => String(e.execution?.workflowId).replace(`vis-page-${batch}-`, ''));

    const first = await list();
    expect(ids(first)).toEqual(['0', '1', '10', '11', '12', '13', '14', '15', '16', '17']);
    // Sorted first among the matches, but started after the first page: not in this listing.
    const late = await env().client.workflow.start(sleeper, {
      taskQueue,
      workflowId: `vis-page-${batch}-00`,
      args: [1000],
      typedSearchAttributes: [{ key: caseRef, value: `P-${batch}-.` }], // '.' sorts before '0'
    });
    await env().client.workflow.getHandle(`vis-page-${batch}-3`).terminate('closed between pages');
    const second = await list(first.nextPageToken);
    expect(ids(second)).toEqual(['18', '19', '2', '20', '21', '22', '23', '24', '3', '4']);
    // The record is the run's current state.
    expect(second.executions?.[8]?.status).toBe(temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    const third = await list(second.nextPageToken);
    expect(ids(third)).toEqual(['5', '6', '7', '8', '9']);
    expect(third.nextPageToken?.length ?? 0).toBe(0);
    // A new listing sees the late run.
    expect(ids(await list())[0]).toBe('00');
    // A token of another query restarts that query from the token's offset; a forged one is refused.
    const other = await list(first.nextPageToken, `VisCaseRef STARTS_WITH 'P-${batch}-1' ORDER BY VisCaseRef`);
    expect(ids(other)).toEqual(['19']);
    await expect(list(Buffer.from('not a token'))).rejects.toMatchObject({ code: 3 });

    await late.terminate('done');
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => i)
        .filter((i) => i !== 3)
        .map((i) => env().client.workflow.getHandle(`vis-page-${batch}-${i}`).terminate('done')),
    );
  });

  it('rejects an invalid query with a clear error', async () => {
    const list = async () => {
      for await (const wf of env().client.workflow.list({ query: 'NoSuchAttribute = 1' })) void wf;
    };
    const error = await list().catch((e: unknown) => e as Error & { cause?: Error });
    expect(String(error?.cause?.message)).toMatch(/INVALID_ARGUMENT.*NoSuchAttribute/);
  });
});
