import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { Client, Connection, WorkflowIdConflictPolicy } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { startTestServer } from '../../test-server';
import { NativeConnection, Worker } from '@temporalio/worker';
import { TEST_SERVER_EXECUTABLE, testServerKind, withWorker, workflowBundle } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import * as activities from './activities';
import { oneActivity, sleeper } from './workflows';

const workflowsPath = path.resolve(__dirname, 'workflows');
const DAY = 24 * 3600 * 1000;
const env = useTestEnvironment();

describe('bare path', () => {
  it('runs a workflow with one activity to its result', async () => {
    const result = await withWorker(env(), { workflowsPath, activities }, ({ client, taskQueue }) =>
      client.workflow.execute(oneActivity, { taskQueue, workflowId: 'one-activity', args: ['case-1'] }),
    );
    expect(result).toBe('hello case-1');
  });

  it('completes a workflow sleeping six months in well under a second of wall time', async () => {
    const sixMonths = 183 * DAY;
    const { result, wallMs } = await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const wallStart = Date.now();
      const result = await client.workflow.execute(sleeper, { taskQueue, workflowId: 'six-months', args: [sixMonths] });
      return { result, wallMs: Date.now() - wallStart };
    });
    expect(result.after - result.before).toBeGreaterThanOrEqual(sixMonths);
    expect(wallMs).toBeLessThan(1000);
  });

  it('timestamps history events with the virtual clock', async () => {
    const handle = await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const h = await client.workflow.start(sleeper, { taskQueue, workflowId: `clock-${randomUUID()}`, args: [30 * DAY] });
      await h.result();
      return h;
    });
    const events = (await handle.fetchHistory()).events ?? [];
    const first = Number(events[0].eventTime?.seconds);
    const last = Number(events[events.length - 1].eventTime?.seconds);
    expect(last - first).toBeGreaterThanOrEqual(30 * 24 * 3600);
  });
});

describe('test service', () => {
  it('env.sleep skips virtual time and GetCurrentTime reports it', async () => {
    const before = await env().currentTimeMs();
    const wallStart = Date.now();
    await env().sleep('30 days');
    const after = await env().currentTimeMs();
    expect(after - before).toBeGreaterThanOrEqual(30 * DAY);
    expect(Date.now() - wallStart).toBeLessThan(1000);
  });
});

describe('system info and namespaces', () => {
  it('describes the default namespace and reports capabilities', async () => {
    const ns = await env().connection.workflowService.describeNamespace({ namespace: 'default' });
    expect(ns.namespaceInfo?.name).toBe('default');
    const info = await env().connection.workflowService.getSystemInfo({});
    expect(info.capabilities?.sdkMetadata).toBe(true);
  });

  it('reports an unknown namespace as NOT_FOUND', async () => {
    await expect(env().connection.workflowService.describeNamespace({ namespace: 'no-such-namespace' })).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
    });
  });
});

describe('start semantics', () => {
  it('rejects a second start of a running workflow id with WorkflowExecutionAlreadyStartedError', async () => {
    const workflowId = `dup-${randomUUID()}`;
    const taskQueue = `no-worker-${randomUUID()}`;
    const first = await env().client.workflow.start(sleeper, { taskQueue, workflowId, args: [DAY] });
    await expect(env().client.workflow.start(sleeper, { taskQueue, workflowId, args: [DAY] })).rejects.toBeInstanceOf(
      WorkflowExecutionAlreadyStartedError,
    );
    const reused = await env().client.workflow.start(sleeper, {
      taskQueue,
      workflowId,
      args: [DAY],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
    expect(reused.firstExecutionRunId).toBe(first.firstExecutionRunId);
    await first.terminate('test over');
  });

  it('treats a repeated start request id as the same start', async () => {
    const request = {
      namespace: 'default',
      workflowId: `idem-${randomUUID()}`,
      workflowType: { name: 'sleeper' },
      taskQueue: { name: `no-worker-${randomUUID()}` },
      requestId: randomUUID(),
    };
    const a = await env().connection.workflowService.startWorkflowExecution(request);
    const b = await env().connection.workflowService.startWorkflowExecution(request);
    expect(b.runId).toBe(a.runId);
    await env().client.workflow.getHandle(request.workflowId).terminate();
  });
});

describe('unimplemented methods', () => {
  it('answers UNIMPLEMENTED naming the method instead of hanging', async () => {
    const call = env().connection.workflowService.listSchedules({ namespace: 'default' });
    await expect(call).rejects.toMatchObject({ code: GrpcStatus.UNIMPLEMENTED });
    if (testServerKind() === 'embedded') await expect(call).rejects.toThrow(/ListSchedules/);
  });
});

describe('real-time mode', () => {
  it('warns on stderr that the server is in-memory and not durable', async () => {
    const child = spawn(TEST_SERVER_EXECUTABLE, ['0', '--real-time'], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      const stderr = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stderr.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('\n')) resolve(text);
        });
        child.on('error', reject);
        child.on('exit', () => resolve(text));
      });
      expect(stderr).toMatch(/in-memory test server: NOT durable/);
    } finally {
      child.kill();
    }
  });

  it('runs timers on the wall clock without skipping', async () => {
    const server = await startTestServer({ timeSkipping: false, quiet: true });
    const connection = await NativeConnection.connect({ address: server.address });
    const clientConnection = await Connection.connect({ address: server.address });
    try {
      const client = new Client({ connection: clientConnection });
      const worker = await Worker.create({
        connection,
        taskQueue: 'real-time',
        workflowBundle: await workflowBundle(workflowsPath),
        activities,
      });
      const wallStart = Date.now();
      const result = await worker.runUntil(
        client.workflow.execute(sleeper, { taskQueue: 'real-time', workflowId: 'real-time', args: [1500] }),
      );
      expect(Date.now() - wallStart).toBeGreaterThanOrEqual(1400);
      expect(result.after - result.before).toBeGreaterThanOrEqual(1500);
      expect(Math.abs(result.after - Date.now())).toBeLessThan(2000);
    } finally {
      await clientConnection.close();
      await connection.close();
      await server.stop();
    }
  });
});
