/**
 * Scaling out, as cpflow does it: more worker processes (`npm run worker`) on the same task queue of Temporal's
 * dev server, each keeping a bounded number of cases cached (CPFLOW_MAX_CACHED_CASES below the number of
 * cases). One worker is killed with SIGKILL while it holds cases in its cache and sticky queue; the other
 * carries every case on — every command answered, nothing lost — and sends no email twice.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPayloadKeySet, parsePayloadKeys } from '../../client/payload-keys';
import { cpflowDataConverter } from '../../client/temporal-settings';
import { openCase, recordCaseEvent } from '../../cli/cases/case-client';
import { caseCalendarData } from '../../cli/cases/inputs';
import { loadPolicy } from '../../config/policy-loader';
import { fromEpochDay, toEpochDay } from '../../domain/calendar';
import { Mailbox } from '../../mail/mailbox';
import { startSmtpSink, type SmtpSink } from '../../mail/smtp-sink';
import { caseStatusQuery } from '../../workflows/case/messages';
import { CPFLOW_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { ukDateOf } from '../../domain/calendar';
import { ev, testReferral } from '../support/case-fixtures';
import { createDevServerEnvironment } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';

const repo = path.resolve(__dirname, '../..');
const CASES = 12;
const temporal = useTestEnvironment({
  create: () => createDevServerEnvironment({ searchAttributes: CPFLOW_SEARCH_ATTRIBUTES }),
});
let dataDir: string;
let sink: SmtpSink;
/** The key set the workers and this test's client share, given to the workers as an operator would. */
const keySet = newPayloadKeySet();
const workers: { child: ChildProcess; output: () => string; identity: string }[] = [];

/** Starts `npm run worker` (what an operator runs on each worker machine) and waits until it polls. */
async function startWorker(): Promise<(typeof workers)[number]> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: temporal().address,
    SMTP_HOST: sink.host,
    SMTP_PORT: String(sink.port),
    SMTP_SECURE: 'false',
    MAIL_FROM: 'cpflow <cpflow@council.example>',
    CPFLOW_DIRECTORY_FILE: path.join(dataDir, 'directory.json'),
    CPFLOW_DATA_DIR: dataDir,
    CPFLOW_MAX_CACHED_CASES: '8',
    CPFLOW_PAYLOAD_KEYS: keySet,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/additional-worker.ts'], { cwd: repo, env });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 90_000;
  while (!output.includes('cpflow worker is ready')) {
    if (child.exitCode !== null) throw new Error(`npm run worker exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm run worker not ready after 90 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const worker = { child, output: () => output, identity: `${child.pid}@${os.hostname()}` };
  workers.push(worker);
  return worker;
}

/** Worker identities that completed workflow tasks of a case. */
async function identitiesServing(caseReference: string): Promise<Set<string>> {
  const history = await temporal().client.workflow.getHandle(caseReference).fetchHistory();
  return new Set(
    (history.events ?? [])
      .map((e) => e.workflowTaskCompletedEventAttributes?.identity)
      .filter((id): id is string => typeof id === 'string'),
  );
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-failover-'));
  sink = await startSmtpSink({ mailbox: Mailbox.inDataDir(dataDir) });
  await writeFile(
    path.join(dataDir, 'directory.json'),
    JSON.stringify({
      staff: {
        'sw-0042': 'sw-0042@council.example',
        'sw-0099': 'sw-0099@council.example',
        'tm-0001': 'tm-0001@council.example',
        'sm-0001': 'sm-0001@council.example',
      },
      teams: { 'team-north': { manager: 'tm-0001' } },
      serviceManager: 'sm-0001',
      lado: 'lado@council.example',
    }),
  );
});

afterAll(async () => {
  for (const { child } of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await sink?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('two worker processes on one task queue', () => {
  it('carries every case on after one is killed with SIGKILL: nothing lost, no email twice', async () => {
    const [first, second] = [await startWorker(), await startWorker()];
    const client = new Client({
      connection: temporal().connection,
      dataConverter: cpflowDataConverter(parsePayloadKeys(keySet, 'test key set')),
    });
    const today = ukDateOf(Date.now());
    // Received five days ago: every case owes its escalations at once (the same number for each).
    const receivedOn = fromEpochDay(toEpochDay(today) - 5);
    const references = Array.from({ length: CASES }, (_, i) => `CP-2026-${String(900001 + i)}`);
    await Promise.all(
      references.map((caseReference) => {
        const referral = testReferral({ caseReference, receivedOn });
        return openCase(client, { referral, policy: loadPolicy(), calendar: caseCalendarData(receivedOn) });
      }),
    );
    const mailbox = Mailbox.inDataDir(dataDir);
    // Every case has sent what it owed (the count stops growing) and both workers served cases.
    let settled = -1;
    await waitFor('the escalations owed', async () => {
      const count = (await mailbox.list()).length;
      const stable = count > 0 && count === settled;
      settled = count;
      if (!stable) await new Promise((resolve) => setTimeout(resolve, 1000));
      return stable;
    });
    const owed = settled;
    expect(owed % CASES).toBe(0);
    const servedBy = await Promise.all(references.map(identitiesServing));
    const firstServed = references.filter((_, i) => servedBy[i].has(first.identity));
    expect(firstServed.length).toBeGreaterThan(0);
    expect(references.filter((_, i) => servedBy[i].has(second.identity)).length).toBeGreaterThan(0);

    // The first worker dies with its cache and sticky queue; every case is worked on again at once.
    first.child.kill('SIGKILL');
    const receipts = await Promise.all(
      references.map((caseReference) =>
        recordCaseEvent(
          client,
          caseReference,
          ev(today, { type: 'practitioner-reassigned', practitionerId: 'sw-0099' }),
          { timeoutMs: 60_000 },
        ),
      ),
    );
    expect(receipts.map((r) => r.caseReference)).toEqual(references);
    for (const caseReference of firstServed) {
      const status = await client.workflow.getHandle(caseReference).query(caseStatusQuery);
      expect(status).toMatchObject({ open: true, practitionerId: 'sw-0099', eventCount: 1 });
      expect(await identitiesServing(caseReference)).toContain(second.identity);
    }
    expect(second.child.exitCode).toBeNull();

    // The survivor replayed the first worker's cases: nothing they had sent went out again; the only new emails
    // are the handovers to the new practitioner, one per case.
    await waitFor('the handover emails', async () => (await mailbox.list()).length >= owed + CASES);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const messages = await mailbox.list();
    expect(messages).toHaveLength(owed + CASES);
    expect(new Set(messages.map((m) => m.messageId)).size).toBe(owed + CASES);
    expect(messages.filter((m) => m.subject.includes('allocated')).length).toBe(2 * CASES);
  }, 240_000);
});
