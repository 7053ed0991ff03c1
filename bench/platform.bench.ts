/**
 * Platform benchmark: the notification activity's own cost (render, directory, fsynced sent log) with an
 * in-process mailer; delivery through the real SMTP stack on loopback (smtp-server holds every new
 * connection 100 ms to catch early talkers, so that dominates); the sent-log fast path for retried
 * notifications; and how long `npm start` takes to be ready (Temporal's dev server, installed already).
 * Targets: activity cost ≤ 5 ms; SMTP delivery ≤ 250 ms; already-sent ≥ 10,000/s; `npm start` ready ≤ 15 s.
 * Run: `npx tsx bench/platform.bench.ts`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createActivities } from '../activities';
import { notificationIdFor } from '../domain/notifications';
import { Mailbox } from '../mail/mailbox';
import { FileSentLog } from '../mail/sent-log';
import { startSmtpSink } from '../mail/smtp-sink';
import { createSmtpTransport } from '../mail/smtp-transport';
import { SyntheticStaffDirectory } from '../mail/staff-directory';

function notification(i: number) {
  const facts = {
    caseReference: `CP-${i}`,
    stepId: 'strategy-discussion',
    stepTitle: 'Strategy discussion',
    dueDate: '2026-03-03',
    kind: 'reminder',
    recipient: `practitioner:P${i % 50}`,
  } as const;
  return { ...facts, notificationId: notificationIdFor(facts) };
}

async function measureDelivery(dataDir: string, count: number) {
  const sink = await startSmtpSink({ mailbox: Mailbox.inDataDir(dataDir) });
  const transport = createSmtpTransport({
    host: sink.host,
    port: sink.port,
    secure: false,
    from: 'cpflow@cpflow.test',
  });
  const activities = createActivities({
    mailer: transport,
    sentLog: FileSentLog.inDataDir(dataDir, 'namespace-id'),
    directory: new SyntheticStaffDirectory(),
  });
  try {
    let start = performance.now();
    for (let i = 0; i < count; i += 1) await activities.sendNotification(notification(i));
    const msPerEmail = (performance.now() - start) / count;
    start = performance.now();
    const repeats = 20_000;
    for (let i = 0; i < repeats; i += 1) await activities.sendNotification(notification(i % count));
    const alreadySentPerSecond = repeats / ((performance.now() - start) / 1000);
    return { msPerEmail, alreadySentPerSecond };
  } finally {
    transport.close();
    await sink.stop();
  }
}

async function measureActivityCost(dataDir: string, count: number): Promise<number> {
  const activities = createActivities({
    mailer: { sendMail: () => Promise.resolve() },
    sentLog: FileSentLog.inDataDir(dataDir, 'namespace-id'),
    directory: new SyntheticStaffDirectory(),
  });
  const start = performance.now();
  for (let i = 0; i < count; i += 1) await activities.sendNotification(notification(i));
  return (performance.now() - start) / count;
}

async function measureStartup(dataDir: string): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/start.ts'], {
    cwd: path.resolve(__dirname, '..'),
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: '',
      SMTP_HOST: '',
      CPFLOW_DATA_DIR: dataDir,
      CPFLOW_TEMPORAL_PORT: '0',
      CPFLOW_SMTP_SINK_PORT: '0',
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    while (!output.includes('cpflow is ready.')) {
      if (child.exitCode !== null || performance.now() - start > 120_000)
        throw new Error(`npm start failed:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return (performance.now() - start) / 1000;
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-bench-'));
  try {
    const activityMs = await measureActivityCost(path.join(dataDir, 'cost'), 1000);
    const { msPerEmail, alreadySentPerSecond } = await measureDelivery(path.join(dataDir, 'mail'), 50);
    const startupSeconds = await measureStartup(path.join(dataDir, 'start'));
    const rows = [
      [
        'notification activity cost (render, directory, fsynced sent log)',
        `${activityMs.toFixed(2)} ms`,
        '≤ 5 ms',
        activityMs <= 5,
      ],
      [
        'deliver one notification over SMTP to the loopback sink',
        `${msPerEmail.toFixed(2)} ms`,
        '≤ 250 ms',
        msPerEmail <= 250,
      ],
      [
        'retried notification recognised as already sent',
        `${Math.round(alreadySentPerSecond)} /s`,
        '≥ 10,000 /s',
        alreadySentPerSecond >= 10_000,
      ],
      [
        "npm start until ready (Temporal's dev server, SMTP sink)",
        `${startupSeconds.toFixed(2)} s`,
        '≤ 15 s',
        startupSeconds <= 15,
      ],
    ] as const;
    for (const [name, value, target, ok] of rows) {
      process.stdout.write(`${ok ? 'ok  ' : 'SLOW'} ${name.padEnd(66)} ${value.padStart(12)}  (target ${target})\n`);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
