import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { notificationIdFor } from '../../domain/notifications';
import { Mailbox } from '../../mail/mailbox';
import { FileSentLog } from '../../mail/sent-log';
import { startSmtpSink, type SmtpSink } from '../../mail/smtp-sink';
import { createSmtpTransport } from '../../mail/smtp-transport';
import { SyntheticStaffDirectory } from '../../mail/staff-directory';
import { startTestServer } from '../../test-server';
import { registerSearchAttributes } from '../../worker/search-attributes';
import { createCpflowWorker } from '../../worker/worker';
import { CPFLOW_TASK_QUEUE } from '../../workflows/task-queue';
import type { notifyTwice } from './fixtures/notify-workflow';

let dataDir: string;
let sink: SmtpSink;
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-worker-'));
  sink = await startSmtpSink({ mailbox: Mailbox.inDataDir(dataDir) });
  server = await startTestServer({ port: 0, timeSkipping: false });
});

afterAll(async () => {
  await server?.stop();
  await sink?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('cpflow worker', () => {
  it('runs a workflow whose notification activity delivers through SMTP once', async () => {
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    await registerSearchAttributes(nativeConnection, 'default');
    const worker = await createCpflowWorker({
      connection: nativeConnection,
      namespace: 'default',
      workflowsPath: path.join(__dirname, 'fixtures', 'notify-workflow.ts'),
      activities: createActivities({
        mailer: createSmtpTransport({ host: sink.host, port: sink.port, secure: false, from: 'cpflow@cpflow.test' }),
        sentLog: FileSentLog.inDataDir(dataDir),
        directory: new SyntheticStaffDirectory(),
      }),
    });
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection, namespace: 'default' });
    const facts = {
      caseReference: 'CP-7',
      stepId: 'initial-conference',
      stepTitle: 'Initial child protection conference',
      dueDate: '2026-04-01',
      kind: 'due-today',
      recipient: 'practitioner:P9',
    } as const;
    try {
      const results = await worker.runUntil(
        client.workflow.execute<typeof notifyTwice>('notifyTwice', {
          taskQueue: CPFLOW_TASK_QUEUE,
          workflowId: 'CP-7',
          args: [{ ...facts, notificationId: notificationIdFor(facts) }],
        }),
      );
      expect(results.map((r) => r.status)).toEqual(['sent', 'already-sent']);
      const received = await Mailbox.inDataDir(dataDir).list();
      expect(received.map((m) => [m.to, m.subject])).toEqual([
        [['practitioner.P9@cpflow.test'], '[cpflow] Due today: Initial child protection conference (case CP-7)'],
      ]);
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });
});
