/**
 * `npm start` as a user runs it from a terminal: the real `npm start`, in a process group of its own (a
 * terminal's Ctrl-C signals the whole group, and npm forwards the signal too), with Temporal's dev server
 * embedded. A case opened from examples/ must survive Ctrl-C and a restart, and `kill -9` of the whole group.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCpflowClient } from '../../client/connection';
import { type CpflowRuntime, isProcessAlive, readRuntimeFile, runtimeFilePath } from '../../client/runtime-file';
import { HttpBrowser } from '../web/support';
import { Mailbox } from '../../mail/mailbox';
import { CPFLOW_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { cpflow } from '../cli/support/run-cli';

const repo = path.resolve(__dirname, '../..');
const CASE = 'CP-2026-000123';
let dataDir: string;

/** One `npm start` process group. */
interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
const started: Started[] = [];

/** Environment for `npm start` with nothing external configured, on any free ports. */
function startEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CPFLOW_DATA_DIR: dataDir };
  for (const name of [
    'TEMPORAL_ADDRESS',
    'TEMPORAL_NAMESPACE',
    'SMTP_HOST',
    'CPFLOW_DIRECTORY_FILE',
    'CPFLOW_CASE_URL_BASE',
  ]) {
    delete env[name];
  }
  return { ...env, CPFLOW_TEMPORAL_PORT: '0', CPFLOW_SMTP_SINK_PORT: '0' };
}

/** Runs `npm start` as the leader of a new process group and waits until it says it is ready. */
async function npmStart(): Promise<Started> {
  const child = spawn('npm', ['start'], { cwd: repo, env: startEnv(), detached: true });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const run = { child, output: () => output, exited };
  started.push(run);
  const deadline = Date.now() + 120_000;
  while (!output.includes('cpflow is ready.')) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start not ready after 120 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return run;
}

/** Signals the whole process group, as a terminal does. */
function signalGroup(run: Started, signal: NodeJS.Signals): void {
  process.kill(-(run.child.pid as number), signal);
}

/**
 * A terminal's Ctrl-C: cpflow must stop cleanly. npm itself then ends by the same signal, as it always does after
 * a Ctrl-C, whatever its script's exit code, so the clean stop is read from what cpflow printed.
 */
async function ctrlC(run: Started): Promise<void> {
  signalGroup(run, 'SIGINT');
  expect(await run.exited).toEqual({ code: null, signal: 'SIGINT' });
  expect(run.output()).toContain('cpflow stopped.');
  expect(run.output()).not.toMatch(/Received SIGINT again|^cpflow: /m);
}

async function runtime(): Promise<CpflowRuntime> {
  const value = await readRuntimeFile(dataDir);
  if (value === undefined) throw new Error('no runtime.json');
  return value;
}

async function caseShow(): Promise<string> {
  const run = await cpflow(['case', 'show', CASE], { CPFLOW_DATA_DIR: dataDir });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-start-'));
});

afterAll(async () => {
  for (const run of started) {
    if (run.child.exitCode === null && run.child.signalCode === null) signalGroup(run, 'SIGKILL');
  }
  const pid = (await readRuntimeFile(dataDir).catch(() => undefined))?.temporalPid;
  if (pid !== undefined && isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start with Temporal’s dev server', () => {
  let first: Started;

  it('starts the dev server with its Web UI, registers the search attributes and prints one summary', async () => {
    first = await npmStart();
    const summary = first.output();
    expect(summary).toMatch(
      /Temporal: {3}127\.0\.0\.1:\d+, namespace default: Temporal dev server, database .*temporal\.db/,
    );
    expect(summary).toMatch(/Web UI: {5}http:\/\/127\.0\.0\.1:\d+\/namespaces\/default\/workflows/);
    expect(summary).toMatch(
      /cpflow: {5}http:\/\/127\.0\.0\.1:\d+ \(sign in: local sign-in at http:\/\/127\.0\.0\.1:\d+/,
    );
    expect(summary).toMatch(/Mail: {7}local SMTP sink on 127\.0\.0\.1:\d+/);
    expect(summary).toContain(`Data dir:   ${dataDir}`);
    expect(summary).not.toMatch(/in-memory|NOT durable/);
    expect(existsSync(path.join(dataDir, 'temporal.db'))).toBe(true);
    const info = await runtime();
    expect(info).toMatchObject({ namespace: 'default', temporalKind: 'dev-server', taskQueue: 'cpflow' });
    expect(isProcessAlive(info.temporalPid as number)).toBe(true);
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
  }, 150_000);

  it("opens the example referral; its emails link to the case's page in the web service, behind sign-in", async () => {
    const opened = await cpflow(['referral', 'create', '--file', 'examples/referral.json'], {
      CPFLOW_DATA_DIR: dataDir,
    });
    expect(opened.stderr).toBe('');
    expect(opened.stdout).toContain(`Case ${CASE} opened`);
    // The example referral is weeks old: the case sends the escalations it owes at once.
    const mailbox = Mailbox.inDataDir(dataDir);
    const deadline = Date.now() + 30_000;
    while ((await mailbox.list()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const [message] = await mailbox.list();
    const text = (await mailbox.read(message.id)).text ?? '';
    const link = /Where to look: +(\S+)/.exec(text)?.[1];
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/cases/${CASE}$`));
    // Nobody signed in: the case page sends them to sign in (the local provider's page), never shows the case.
    const page = await new HttpBrowser().get(link as string);
    expect(page.status).toBe(200);
    expect(page.url).toMatch(/\/interaction\//);
    const body = page.body;
    expect(body).toContain('Sign in to cpflow');
    expect(body).not.toContain(CASE);
    // The data folder and cpflow's files in it are their owner's only (the folder keeps out the server's too).
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const own = readdirSync(dataDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.startsWith('temporal.db'))
      .map((e) => path.join(e.parentPath, e.name));
    expect(own.length).toBeGreaterThan(3);
    expect(own.filter((f) => (statSync(f).mode & 0o077) !== 0).map((f) => path.relative(dataDir, f))).toEqual([]);
  }, 60_000);

  it('keeps the referral out of Temporal’s database: histories hold ciphertext that the CLI and the Web UI open', async () => {
    const example = JSON.parse(readFileSync(path.resolve(__dirname, '../../examples/referral.json'), 'utf8')) as {
      police: { reference: string };
    };
    // Everything the dev server has written (database and write-ahead log), read as bytes.
    const stored = Buffer.concat(
      readdirSync(dataDir)
        .filter((f) => f.startsWith('temporal.db'))
        .map((f) => readFileSync(path.join(dataDir, f))),
    );
    expect(stored.includes(CASE)).toBe(true); // the case is there (its workflow id)…
    for (const secret of [example.police.reference, '"devicesSeized"', '"allegedPerson"', '"receivedOn"']) {
      expect(stored.includes(secret), secret).toBe(false); // …its referral is not
    }
    // Nor is it anywhere else cpflow writes: its emails, its logs and the case's search attributes.
    const mailbox = Mailbox.inDataDir(dataDir);
    for (const message of await mailbox.list()) {
      expect((await mailbox.read(message.id)).raw).not.toContain(example.police.reference);
    }
    expect(first.output()).not.toContain(example.police.reference);
    // A client without the keys sees only sealed payloads.
    const info = await runtime();
    const connection = await Connection.connect({ address: info.temporalAddress });
    try {
      const handle = new Client({ connection }).workflow.getHandle(CASE);
      expect(JSON.stringify((await handle.describe()).searchAttributes)).not.toContain(example.police.reference);
      const history = await handle.fetchHistory();
      const [input] = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
      expect(Buffer.from(input?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
    } finally {
      await connection.close();
    }
    // The CLI, with the data folder's keys, reads the case.
    const shown = await cpflow(['case', 'show', CASE], { CPFLOW_DATA_DIR: dataDir });
    expect(shown.stdout).toContain(CASE);
    // The dev server's Web UI decrypts through the web service's codec endpoint.
    const settings = (await (await fetch(`${info.temporalWebUi}/api/v1/settings`)).json()) as {
      Codec?: { Endpoint?: string };
    };
    expect(settings.Codec?.Endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/codec$/);
  }, 60_000);

  it('stops cleanly on one Ctrl-C (the group signalled, npm forwarding it again): nothing left behind', async () => {
    const { temporalPid, pid } = await runtime();
    await ctrlC(first);
    expect(first.output().match(/Received SIGINT; stopping cpflow/g)).toHaveLength(1);
    expect(existsSync(runtimeFilePath(dataDir))).toBe(false);
    expect(isProcessAlive(temporalPid as number)).toBe(false);
    expect(isProcessAlive(pid)).toBe(false);
  }, 60_000);

  it('exits 0 when one Ctrl-C arrives twice, from the terminal and forwarded by npm', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/start.ts'], { cwd: repo, env: startEnv() });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    while (!output.includes('cpflow is ready.')) await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('cpflow stopped.');
    expect(existsSync(runtimeFilePath(dataDir))).toBe(false);
  }, 150_000);

  it('finds the case again after a restart, with the emails it sent not sent twice', async () => {
    const mailbox = Mailbox.inDataDir(dataDir);
    const before = (await mailbox.list()).length;
    const second = await npmStart();
    expect(await caseShow()).toContain(`Case ${CASE}: open`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await mailbox.list()).length).toBe(before);
    await ctrlC(second);
  }, 150_000);

  it('survives kill -9 of the whole process group: the next start serves the case', async () => {
    const third = await npmStart();
    signalGroup(third, 'SIGKILL');
    await third.exited;
    expect(existsSync(runtimeFilePath(dataDir))).toBe(true); // left behind by the killed process
    const fourth = await npmStart();
    expect(await caseShow()).toContain(`Case ${CASE}: open`);
    await ctrlC(fourth);
  }, 200_000);

  it('stops the dev server when only cpflow’s own process is killed; the next start serves the case', async () => {
    const fifth = await npmStart();
    const { pid, temporalPid } = await runtime();
    process.kill(pid, 'SIGKILL');
    await fifth.exited; // npm ends with its script
    const deadline = Date.now() + 15_000;
    while (isProcessAlive(temporalPid as number) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(isProcessAlive(temporalPid as number)).toBe(false);
    const sixth = await npmStart();
    expect(await caseShow()).toContain(`Case ${CASE}: open`);

    const second = spawn('npm', ['start'], { cwd: repo, env: startEnv() });
    let stderr = '';
    second.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise<number | null>((resolve) => second.once('exit', resolve))).toBe(1);
    expect(stderr).toContain(`cpflow: cpflow is already running (pid ${(await runtime()).pid}`);

    await ctrlC(sixth);
  }, 200_000);

  it('keeps no memory of emails sent for a Temporal database that was replaced: a new case gets its reminders', async () => {
    const mailbox = Mailbox.inDataDir(dataDir);
    const before = (await mailbox.list()).length;
    for (const file of await readdir(dataDir)) {
      if (file.startsWith('temporal.db')) await rm(path.join(dataDir, file), { force: true });
    }
    const seventh = await npmStart();
    const opened = await cpflow(['referral', 'create', '--file', 'examples/referral.json'], {
      CPFLOW_DATA_DIR: dataDir,
    });
    expect(opened.stdout).toContain(`Case ${CASE} opened`);
    const deadline = Date.now() + 30_000;
    while ((await mailbox.list()).length < 2 * before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    expect((await mailbox.list()).length).toBe(2 * before);
    await ctrlC(seventh);
  }, 200_000);
});
