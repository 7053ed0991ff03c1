/**
 * Update protocol fidelity: updates accepted and rejected by their validators, interleaved with
 * signals, timers and queries, must leave sdk-core's protocol state clean. sdk-core logs
 * "There are unprocessed protocol messages while receiving new work" when a workflow task hands it
 * an update request it cannot place (sent again after it was answered, or sequenced after the last
 * event the task's history reaches); the worker's own log is captured here and must hold no error.
 */
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { createTestEnvironment, withWorker } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import { rejectionOf } from '../support/thrown';
import * as activities from './activities';
import { historyEvents, startRawWorkflow, WORKER_CACHES } from './support';
import { closeUpdate, ledger, ledgerQuery, ledgerNoteSignal, recordUpdate } from './workflows';

const workflowsPath = path.resolve(__dirname, 'workflows');
const EventType = temporal.api.enums.v1.EventType;

/** Everything the worker (sdk-core and the TypeScript SDK) logged at WARN or above. */
const workerLog: LogEntry[] = [];

const env = useTestEnvironment({
  create: () => {
    // Installed before createTestEnvironment, which keeps a runtime that is already installed.
    Runtime.install({
      logger: new DefaultLogger('WARN', (entry) => {
        workerLog.push(entry);
      }),
      telemetryOptions: { logging: { filter: { core: 'WARN', other: 'WARN' }, forward: {} } },
    });
    return createTestEnvironment({ searchAttributes: { LedgerTotal: 'Int' } });
  },
});

/**
 * Worker log entries since `from` showing the server confused the worker: errors (e.g. unprocessed
 * protocol messages) and the warning sdk-core gives when it drops a workflow task it had to buffer
 * behind a query-only task of the same run.
 */
function troubleSince(from: number): string[] {
  return workerLog
    .slice(from)
    .filter((e) => e.level === 'ERROR' || /leftover buffered tasks/.test(e.message))
    .map((e) => `${e.level} ${e.message}`);
}

/** Runs `fn` and expects an update failure whose message matches `pattern`. */
async function expectRefused(fn: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await rejectionOf(WorkflowUpdateFailedError, fn());
  expect(String(error.cause?.message)).toMatch(pattern);
}

describe.each(WORKER_CACHES)('update protocol ($cache)', ({ workerOptions: cacheOptions }) => {
  const workerOptions = { workflowsPath, activities, ...cacheOptions };

  it('accepts and rejects updates between signals, timers and queries without leaving protocol messages behind', async () => {
    const logFrom = workerLog.length;
    const workflowId = `ledger-${randomUUID()}`;
    const outcome = await withWorker(env(), workerOptions, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(ledger, { taskQueue, workflowId });
      expect(await handle.executeUpdate(recordUpdate, { args: [{ amount: 5, note: 'first' }] })).toBe(5);
      await expectRefused(() => handle.executeUpdate(recordUpdate, { args: [{ amount: -1, note: 'bad' }] }), /record.amount/);
      await handle.signal(ledgerNoteSignal, 'after a refusal');
      expect((await handle.query(ledgerQuery)).total).toBe(5);
      // Two days of timers fire.
      await env().sleep('2 days');
      await expectRefused(() => handle.executeUpdate(recordUpdate, { args: [{ amount: 0, note: 'zero' }] }), /record.amount/);
      expect(await handle.executeUpdate(recordUpdate, { args: [{ amount: 7, note: 'second' }] })).toBe(12);
      // Updates, refusals, signals and queries all at once (several land while a task runs).
      const together = await Promise.allSettled([
        handle.executeUpdate(recordUpdate, { args: [{ amount: 1, note: 'a' }] }),
        handle.executeUpdate(recordUpdate, { args: [{ amount: -2, note: 'b' }] }),
        handle.signal(ledgerNoteSignal, 'concurrent'),
        handle.query(ledgerQuery),
        handle.executeUpdate(recordUpdate, { args: [{ amount: 2, note: 'c' }] }),
        handle.executeUpdate(recordUpdate, { args: [{ amount: 1.5, note: 'd' }] }),
        handle.query(ledgerQuery),
      ]);
      expect(together.map((r) => r.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      await env().sleep('1 day');
      await expectRefused(() => handle.executeUpdate(closeUpdate, { args: [''] }), /close.reason/);
      const state = await handle.query(ledgerQuery);
      expect(await handle.executeUpdate(closeUpdate, { args: ['done'] })).toBe('closed: done');
      return { state, result: await handle.result() };
    });
    expect(outcome.result).toBe(15);
    expect(outcome.state).toMatchObject({ total: 15, entries: 4, closed: false });
    expect(outcome.state.notes).toEqual(['after a refusal', 'concurrent']);
    expect(outcome.state.wakeUps).toBeGreaterThanOrEqual(2);

    const events = await historyEvents(env().client.workflow.getHandle(workflowId));
    const count = (type: number) => events.filter((e) => Number(e.eventType) === type).length;
    // Five accepted updates (four records and the close), each completed once; refusals leave no update events.
    expect(count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toBe(5);
    expect(count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).toBe(5);
    expect(troubleSince(logFrom)).toEqual([]);
  });
});

describe('update protocol: a worker that leaves an update unanswered (raw gRPC worker)', () => {
  it('gets it again after a failed task, and the server rejects it (UnprocessedUpdate) after a completed one, never sending it twice', async () => {
    const { service, namespace, workflowId, poll } = await startRawWorkflow(env(), 'raw-update');

    const updateId = `u-${randomUUID()}`;
    const outcome = service.updateWorkflowExecution({
      namespace,
      workflowExecution: { workflowId },
      waitPolicy: { lifecycleStage: temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED },
      request: { meta: { updateId }, input: { name: 'record' } },
    });
    const sent = await poll();
    expect(sent.messages?.map((m) => m.protocolInstanceId)).toEqual([updateId]);
    expect(Number(sent.messages?.[0]?.eventId)).toBe(Number(sent.startedEventId) - 1);
    // A failed task: the next task carries the request again.
    await service.respondWorkflowTaskFailed({ taskToken: sent.taskToken, identity: 'raw-worker' });
    const again = await poll();
    expect(again.messages?.map((m) => m.protocolInstanceId)).toEqual([updateId]);
    expect(Number(again.messages?.[0]?.eventId)).toBe(Number(again.startedEventId) - 1);
    // A completed task that neither accepts nor rejects it: the server rejects it.
    await service.respondWorkflowTaskCompleted({ taskToken: again.taskToken, identity: 'raw-worker', commands: [] });
    const response = await outcome;
    expect(response.outcome?.failure?.applicationFailureInfo?.type).toBe('UnprocessedUpdate');
    // Nothing is sent again: a signal's task carries no protocol message.
    await service.signalWorkflowExecution({ namespace, workflowExecution: { workflowId }, signalName: 'poke', identity: 'test' });
    const next = await poll();
    expect(next.messages ?? []).toEqual([]);
    await service.terminateWorkflowExecution({ namespace, workflowExecution: { workflowId }, reason: 'test over' });
    const events = await historyEvents(env().client.workflow.getHandle(workflowId));
    expect(events.some((e) => Number(e.eventType) === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toBe(false);
  });
});
