import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { notificationIdFor } from '../../domain/notifications';
import { Mailbox } from '../../mail/mailbox';
import { FileSentLog } from '../../mail/sent-log';
import { startSmtpSink, type SmtpSink } from '../../mail/smtp-sink';
import { createSmtpTransport } from '../../mail/smtp-transport';
import { SyntheticStaffDirectory } from '../../mail/staff-directory';
import { createCpflowWorker } from '../../worker/worker';
import { CPFLOW_TASK_QUEUE } from '../../workflows/task-queue';
import { CPFLOW_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { createDevServerEnvironment } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import type { notifyTwice } from './fixtures/notify-workflow';

const temporal = useTestEnvironment({
  create: () => createDevServerEnvironment({ searchAttributes: CPFLOW_SEARCH_ATTRIBUTES }),
});
let dataDir: string;
let sink: SmtpSink;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-worker-'));
  sink = await startSmtpSink({ mailbox: Mailbox.inDataDir(dataDir) });
});

afterAll(async () => {
  await sink?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('cpflow worker', () => {
  it('runs a workflow whose notification activity delivers through SMTP once', async () => {
    const worker = await createCpflowWorker({
      connection: temporal().nativeConnection,
      namespace: 'default',
      workflowsPath: path.join(__dirname, 'fixtures', 'notify-workflow.ts'),
      activities: createActivities({
        mailer: createSmtpTransport({ host: sink.host, port: sink.port, secure: false, from: 'cpflow@cpflow.test' }),
        sentLog: FileSentLog.inDataDir(dataDir, 'test-namespace'),
        directory: new SyntheticStaffDirectory(),
      }),
    });
    const client = temporal().client;
    const facts = {
      caseReference: 'CP-2026-000007',
      stepId: 'initial-conference',
      stepTitle: 'Initial child protection conference',
      dueDate: '2026-04-01',
      kind: 'due-today',
      recipient: 'practitioner:sw-0009',
    } as const;
    const results = await worker.runUntil(
      client.workflow.execute<typeof notifyTwice>('notifyTwice', {
        taskQueue: CPFLOW_TASK_QUEUE,
        workflowId: 'CP-2026-000007',
        args: [{ ...facts, notificationId: notificationIdFor(facts) }],
      }),
    );
    expect(results.map((r) => r.status)).toEqual(['sent', 'already-sent']);
    const received = await Mailbox.inDataDir(dataDir).list();
    expect(received.map((m) => [m.to, m.subject])).toEqual([
      [
        ['practitioner.sw-0009@cpflow.test'],
        '[cpflow] Due today: Initial child protection conference (case CP-2026-000007)',
      ],
    ]);
  });
});
