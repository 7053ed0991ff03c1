import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCpflowClient, TemporalNotRunningError } from '../../client/connection';
import { type CpflowRuntime, runtimeFilePath } from '../../client/runtime-file';
import { Mailbox } from '../../mail/mailbox';
import { CPFLOW_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

const repo = path.resolve(__dirname, '../..');
let dataDir: string;
let child: ChildProcess;
let output = '';
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

/** Environment for `npm start` with nothing external configured. */
function startEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CPFLOW_DATA_DIR: dataDir };
  for (const name of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'SMTP_HOST', 'CPFLOW_DIRECTORY_FILE']) delete env[name];
  // Any free ports, and straight to the in-memory server (the dev-server download cannot work offline).
  return { ...env, CPFLOW_TEMPORAL_PORT: '0', CPFLOW_SMTP_SINK_PORT: '0', CPFLOW_EMBEDDED_TEMPORAL: 'in-memory' };
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-start-'));
  // What `npm start` runs (tsx worker/start.ts), without npm in between so signals reach it directly.
  child = spawn(process.execPath, ['--import', 'tsx', 'worker/start.ts'], { cwd: repo, env: startEnv() });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + 90_000;
  while (!output.includes('cpflow is ready.')) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start not ready after 90s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}, 120_000);

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start (in-memory fallback)', () => {
  it('prints one friendly summary with the not-durable warning', () => {
    expect(output).toContain('WARNING: Temporal is running in-memory and is NOT durable');
    expect(output).toMatch(/Temporal: {3}127\.0\.0\.1:\d+, namespace default/);
    expect(output).toMatch(/Mail: {7}local SMTP sink on 127\.0\.0\.1:\d+/);
    expect(output).toContain(`Data dir:   ${dataDir}`);
    expect(output).toContain('npm run cpflow -- referral create --file examples/referral.json');
  });

  it('writes runtime.json, through which the CLI connects and finds the search attributes registered', async () => {
    const runtime = JSON.parse(await readFile(runtimeFilePath(dataDir), 'utf8')) as CpflowRuntime;
    expect(runtime).toMatchObject({
      namespace: 'default',
      temporalKind: 'in-memory',
      durable: false,
      taskQueue: 'cpflow',
    });
    expect(runtime.pid).toBe(child.pid);
    const client = await connectCpflowClient({ env: {}, dataDir });
    try {
      const { customAttributes } = await client.connection.operatorService.listSearchAttributes({
        namespace: 'default',
      });
      expect(Object.keys(customAttributes ?? {})).toEqual(
        expect.arrayContaining(CPFLOW_SEARCH_ATTRIBUTES.map((k) => k.name)),
      );
    } finally {
      await client.connection.close();
    }
  });

  it('runs the SMTP sink into the data dir mailbox', async () => {
    const runtime = JSON.parse(await readFile(runtimeFilePath(dataDir), 'utf8')) as CpflowRuntime;
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: runtime.smtpSink?.port, secure: false });
    await transport.sendMail({ from: 'a@cpflow.test', to: 'b@cpflow.test', subject: 'hello sink', text: 'hi' });
    expect((await Mailbox.inDataDir(dataDir).list()).map((m) => m.subject)).toEqual(['hello sink']);
  });

  it('refuses to start a second instance on the same data dir', async () => {
    const second = spawn(process.execPath, ['--import', 'tsx', 'worker/start.ts'], { cwd: repo, env: startEnv() });
    let stderr = '';
    second.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(`cpflow: cpflow is already running (pid ${child.pid}`);
  });

  it('stops cleanly on SIGINT: exit code 0, runtime.json removed, CLI then says to run npm start', async () => {
    child.kill('SIGINT');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(output).toContain('cpflow stopped.');
    expect(existsSync(runtimeFilePath(dataDir))).toBe(false);
    await expect(connectCpflowClient({ env: {}, dataDir })).rejects.toThrow(TemporalNotRunningError);
    await expect(connectCpflowClient({ env: {}, dataDir })).rejects.toThrow(
      /Start it in another terminal with `npm start`/,
    );
  });
});
