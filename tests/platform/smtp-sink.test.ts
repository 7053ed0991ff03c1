import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailboxEntry } from '../../mail/mailbox';
import { Mailbox } from '../../mail/mailbox';
import { startSmtpSink, type SmtpSink } from '../../mail/smtp-sink';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '../..');

let dataDir: string;
let sink: SmtpSink;
const stored: MailboxEntry[] = [];

/** Runs the installed CLI against the temp data dir. */
async function cpflow(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
      cwd: repo,
      env: { ...process.env, CPFLOW_DATA_DIR: dataDir },
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-sink-'));
  sink = await startSmtpSink({ mailbox: Mailbox.inDataDir(dataDir), onMessage: (entry) => stored.push(entry) });
  const transport = nodemailer.createTransport({ host: sink.host, port: sink.port, secure: false });
  await transport.sendMail({
    from: 'cpflow@council.example',
    to: 'practitioner.P123@cpflow.test',
    subject: '[cpflow] Due today: Strategy discussion (case CP-2026-000001)',
    text: 'The step below is due today.\n',
    messageId: '<one@cpflow.local>',
  });
  await transport.sendMail({
    from: 'cpflow@council.example',
    to: ['team-manager.T1@cpflow.test', 'service-manager@cpflow.test'],
    subject: '[cpflow] Escalation: Strategy discussion overdue (case CP-2026-000001)',
    text: 'Escalation.\n',
  });
});

afterAll(async () => {
  await sink.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('local SMTP sink and cpflow mail', () => {
  it('listens on loopback and stores each received message as .eml plus an index line', async () => {
    expect(sink.host).toBe('127.0.0.1');
    expect(stored.map((e) => e.id)).toEqual(['000001', '000002']);
    expect((await readdir(path.join(dataDir, 'mailbox'))).sort()).toEqual(['000001.eml', '000002.eml', 'index.jsonl']);
    const message = await Mailbox.inDataDir(dataDir).read('000001');
    expect(message.text).toBe('The step below is due today.\n');
    expect(message.raw).toContain('Message-ID: <one@cpflow.local>');
  });

  it('cpflow mail list --json prints the index', async () => {
    const { stdout, code } = await cpflow('mail', 'list', '--json');
    expect(code).toBe(0);
    const entries = JSON.parse(stdout) as MailboxEntry[];
    expect(entries.map((e) => [e.id, e.to, e.subject])).toEqual([
      ['000001', ['practitioner.P123@cpflow.test'], '[cpflow] Due today: Strategy discussion (case CP-2026-000001)'],
      [
        '000002',
        ['team-manager.T1@cpflow.test', 'service-manager@cpflow.test'],
        '[cpflow] Escalation: Strategy discussion overdue (case CP-2026-000001)',
      ],
    ]);
  });

  it('cpflow mail list prints a table and cpflow mail show prints one message', async () => {
    const list = await cpflow('mail', 'list');
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+RECEIVED \(UTC\)\s+TO\b/);
    expect(list.stdout.split('\n').filter((line) => line.length > 80)).toEqual([]);
    expect(list.stdout).toMatch(
      /000002 .* team-manager\.T1@cpflow\.test,\n\s+service-manager@cpflow\.test\n {4}SUBJECT .*Escalation/,
    );
    const show = await cpflow('mail', 'show', '000001');
    expect(show.stdout).toContain('Subject:    [cpflow] Due today: Strategy discussion (case CP-2026-000001)');
    expect(show.stdout).toContain('Message-ID: <one@cpflow.local>');
    expect(show.stdout.trimEnd().endsWith('The step below is due today.')).toBe(true);
  });

  it('cpflow mail show names an unknown id and exits non-zero', async () => {
    const { code, stderr } = await cpflow('mail', 'show', '000099');
    expect(code).toBe(1);
    expect(stderr).toMatch(/no message 000099 in .*mailbox \(see: cpflow mail list\)/);
  });
});
