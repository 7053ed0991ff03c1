import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCpflowClient } from '../../client/connection';
import { readRuntimeFile } from '../../client/runtime-file';
import { notificationIdFor } from '../../domain/notifications';
import { SmtpSettingsError } from '../../mail/errors';
import { Mailbox } from '../../mail/mailbox';
import { startSmtpSink, type SmtpSink } from '../../mail/smtp-sink';
import { startCpflow, StartupError } from '../../worker/app';
import { CPFLOW_TASK_QUEUE } from '../../workflows/task-queue';
import { createDevServerEnvironment } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import type { notifyTwice } from './fixtures/notify-workflow';

const temporal = useTestEnvironment({ create: () => createDevServerEnvironment() });
let dataDir: string;
let sink: SmtpSink;
const lines: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-app-'));
  sink = await startSmtpSink({ mailbox: Mailbox.inDataDir(path.join(dataDir, 'external-smtp')) });
});

afterAll(async () => {
  await sink.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const externalEnv = (): NodeJS.ProcessEnv => ({
  TEMPORAL_ADDRESS: temporal().address,
  SMTP_HOST: sink.host,
  SMTP_PORT: String(sink.port),
  MAIL_FROM: 'cpflow <cpflow@council.example>',
  CPFLOW_DIRECTORY_FILE: path.resolve(__dirname, '../../mail/directory.example.json'),
});

describe('npm start configuration', () => {
  it('requires a staff directory when real SMTP is configured', async () => {
    const env = { ...externalEnv(), CPFLOW_DIRECTORY_FILE: undefined };
    await expect(startCpflow({ env, dataDir, log: (l) => lines.push(l) })).rejects.toThrow(StartupError);
    await expect(startCpflow({ env, dataDir, log: (l) => lines.push(l) })).rejects.toThrow(
      /CPFLOW_DIRECTORY_FILE: is required when SMTP_HOST is set/,
    );
  });

  it('refuses malformed SMTP settings, naming the variable', async () => {
    const env = { ...externalEnv(), SMTP_PORT: 'smtp' };
    await expect(startCpflow({ env, dataDir, log: (l) => lines.push(l) })).rejects.toThrow(SmtpSettingsError);
    await expect(startCpflow({ env, dataDir, log: (l) => lines.push(l) })).rejects.toThrow(
      /SMTP_PORT: must be a whole number/,
    );
  });

  it('refuses a bad port for the embedded Temporal, naming the variable', async () => {
    const env = { CPFLOW_TEMPORAL_PORT: 'seven', CPFLOW_SMTP_SINK_PORT: '0' };
    await expect(startCpflow({ env, dataDir, log: (l) => lines.push(l) })).rejects.toThrow(
      /CPFLOW_TEMPORAL_PORT: must be a port number between 0 \(any free port\) and 65535/,
    );
    expect(await readRuntimeFile(dataDir)).toBeUndefined();
  });

  it('refuses bad web settings before starting anything, naming each variable and never its value', async () => {
    const env = {
      ...externalEnv(),
      CPFLOW_CASE_URL_BASE: 'cases.council.example/',
      CPFLOW_OIDC_ISSUER: 'https://login.council.example/tenant/v2.0',
      CPFLOW_LOCAL_SIGN_IN_PASSWORD: 'short',
    };
    const refused = await startCpflow({ env, dataDir, log: (l) => lines.push(l) }).catch((err: Error) => err);
    expect(refused).toBeInstanceOf(Error);
    const message = (refused as Error).message;
    expect(message).toContain('CPFLOW_CASE_URL_BASE: must be an address starting http:// or https://');
    expect(message).toContain('CPFLOW_OIDC_CLIENT_ID: is required when CPFLOW_OIDC_ISSUER is set');
    expect(message).toContain('CPFLOW_LOCAL_SIGN_IN_PASSWORD: must be 12 characters or more');
    expect(message).not.toContain('council.example');
    expect(message).not.toContain('short');
    expect(await readRuntimeFile(dataDir)).toBeUndefined();
  });

  it("listens beyond loopback (CPFLOW_WEB_HOST) only with the authority's sign-in, checked before starting", async () => {
    const start = (env: NodeJS.ProcessEnv) =>
      startCpflow({ env, dataDir, log: (l) => lines.push(l) }).catch((err: Error) => err.message);
    expect(await start({ ...externalEnv(), CPFLOW_WEB_HOST: 'every-address' })).toContain(
      'CPFLOW_WEB_HOST: must be the IP address to listen on',
    );
    const refused = await start({ ...externalEnv(), CPFLOW_WEB_HOST: '0.0.0.0' });
    expect(refused).toContain('CPFLOW_WEB_HOST: may listen beyond loopback only with CPFLOW_OIDC_ISSUER');
    expect(refused).not.toContain('0.0.0.0');
    expect(await readRuntimeFile(dataDir)).toBeUndefined();
  });

  it('refuses a bad worker tuning before starting anything, naming the variable', async () => {
    const env = { ...externalEnv(), CPFLOW_MAX_CACHED_CASES: 'lots' };
    await expect(startCpflow({ env, dataDir, log: (l) => lines.push(l) })).rejects.toThrow(
      /CPFLOW_MAX_CACHED_CASES: must be a whole number of at least 2/,
    );
    expect(await readRuntimeFile(dataDir)).toBeUndefined();
  });

  it('uses TEMPORAL_ADDRESS and SMTP_HOST when set: no embedded server, no sink', async () => {
    const running = await startCpflow({
      env: externalEnv(),
      dataDir,
      log: (l) => lines.push(l),
      workflowsPath: path.join(__dirname, 'fixtures', 'notify-workflow.ts'),
    });
    try {
      expect(running.temporal).toMatchObject({ address: temporal().address, kind: 'external' });
      expect(running.smtpSink).toBeUndefined();
      expect(running.summary).toContain(`Mail:       SMTP server ${sink.host}:${sink.port}`);
      expect(await readRuntimeFile(dataDir)).toMatchObject({
        temporalAddress: temporal().address,
        temporalKind: 'external',
        pid: process.pid,
      });
      // A workflow's notification goes through the configured SMTP server to the directory's address.
      const client = await connectCpflowClient({ env: {}, dataDir });
      try {
        const facts = {
          caseReference: 'CP-2026-000009',
          stepId: 'strategy-discussion',
          stepTitle: 'Strategy discussion',
          dueDate: '2026-05-05',
          kind: 'reminder',
          recipient: 'practitioner:sw-0042',
        } as const;
        const results = await client.workflow.execute<typeof notifyTwice>('notifyTwice', {
          taskQueue: CPFLOW_TASK_QUEUE,
          workflowId: 'CP-2026-000009',
          args: [{ ...facts, notificationId: notificationIdFor(facts) }],
        });
        expect(results.map((r) => r.status)).toEqual(['sent', 'already-sent']);
      } finally {
        await client.connection.close();
      }
      const received = await Mailbox.inDataDir(path.join(dataDir, 'external-smtp')).list();
      expect(received.map((m) => m.to)).toEqual([['practitioner.sw-0042@cpflow.test']]);
      const message = await Mailbox.inDataDir(path.join(dataDir, 'external-smtp')).read(received[0].id);
      // Emails link to the case's page in the web service npm start serves.
      expect(message.text).toMatch(/Where to look: {2}http:\/\/127\.0\.0\.1:\d+\/cases\/CP-2026-000009/);
    } finally {
      running.stop();
      await running.finished;
    }
    expect(await readRuntimeFile(dataDir)).toBeUndefined();
  });
});
