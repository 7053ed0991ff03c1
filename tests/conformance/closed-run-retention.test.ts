/**
 * What a closed run keeps: once a run closes the server drops signal request ids and update
 * request payloads, but a repeated start request is still recognised and a finished update can
 * still be polled for its outcome.
 */
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTestEnvironment, withWorker } from '../support/temporal';
import * as activities from './activities';
import { closeUpdate, ledger, ledgerNoteSignal, recordUpdate } from './workflows';

const workflowsPath = path.resolve(__dirname, 'workflows');
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment({ searchAttributes: { LedgerTotal: 'Int' } });
});
afterAll(async () => {
  await env?.teardown();
});

describe('a closed run', () => {
  it('still answers a repeated start request with its run, and polls of its finished updates with their outcomes', async () => {
    const workflowId = `closed-retention-${randomUUID()}`;
    const requestId = randomUUID();
    const service = env.connection.workflowService;
    await withWorker(env, { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const start = () =>
        service.startWorkflowExecution({
          namespace: 'default',
          workflowId,
          workflowType: { name: 'ledger' },
          taskQueue: { name: taskQueue },
          requestId,
        });
      const first = await start();
      const handle = client.workflow.getHandle<typeof ledger>(workflowId);
      await handle.signal(ledgerNoteSignal, 'signal with its own request id');
      expect(await handle.executeUpdate(recordUpdate, { args: [{ amount: 5, note: 'first' }], updateId: 'record-1' })).toBe(5);
      const refused = await handle.executeUpdate(recordUpdate, { args: [{ amount: -1, note: 'bad' }], updateId: 'record-refused' }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      await handle.executeUpdate(closeUpdate, { args: ['done'], updateId: 'close-1' });
      expect(await handle.result()).toBe(5);

      // After the close: the same start request is recognised (no second run)...
      const again = await start();
      expect(again.runId).toBe(first.runId);
      expect(again.started).toBe(false);
      // ...and finished updates are still there to poll, accepted and rejected alike.
      expect(await handle.getUpdateHandle<number>('record-1').result()).toBe(5);
      expect(await handle.getUpdateHandle<string>('close-1').result()).toBe('closed: done');
      await expect(handle.getUpdateHandle('record-refused').result()).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      // A new start request does start a new run of the workflow id.
      const fresh = await service.startWorkflowExecution({
        namespace: 'default',
        workflowId,
        workflowType: { name: 'ledger' },
        taskQueue: { name: taskQueue },
        requestId: randomUUID(),
      });
      expect(fresh.runId).not.toBe(first.runId);
      await client.workflow.getHandle(workflowId).terminate('test over');
    });
  });
});
