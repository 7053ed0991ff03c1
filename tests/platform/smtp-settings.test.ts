import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SmtpSettingsError } from '../../mail/errors';
import { Mailbox } from '../../mail/mailbox';
import { startSmtpSink } from '../../mail/smtp-sink';
import { createSmtpTransport, readSmtpSettings } from '../../mail/smtp-transport';
import { thrownBy } from '../support/thrown';

const base = { SMTP_HOST: 'smtp.council.example', MAIL_FROM: 'cpflow <cpflow@council.example>' };

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  return thrownBy(SmtpSettingsError, () => readSmtpSettings(env)).problems;
}

describe('SMTP settings from the environment', () => {
  it('reads a complete configuration', () => {
    expect(
      readSmtpSettings({ ...base, SMTP_PORT: '2525', SMTP_SECURE: 'false', SMTP_USER: 'cpflow', SMTP_PASS: 's3cret' }),
    ).toEqual({
      host: 'smtp.council.example',
      port: 2525,
      secure: false,
      requireTls: true,
      auth: { user: 'cpflow', pass: 's3cret' },
      from: 'cpflow <cpflow@council.example>',
    });
  });

  it('defaults the port from SMTP_SECURE and treats empty variables as unset', () => {
    expect(readSmtpSettings({ ...base, SMTP_PORT: '', SMTP_USER: '', SMTP_PASS: '' })).toMatchObject({
      port: 587,
      secure: false,
    });
    expect(readSmtpSettings({ ...base, SMTP_SECURE: 'true' })).toMatchObject({ port: 465, secure: true });
    expect(readSmtpSettings({ ...base })).not.toHaveProperty('auth');
  });

  it('names every missing variable', () => {
    expect(problemsOf({})).toEqual([
      'SMTP_HOST: is required (the SMTP server host name)',
      'MAIL_FROM: is required (the sender address)',
    ]);
  });

  it('names the variable and rule for malformed values', () => {
    expect(problemsOf({ ...base, SMTP_PORT: 'twenty-five' })).toEqual(['SMTP_PORT: must be a whole number']);
    expect(problemsOf({ ...base, SMTP_PORT: '70000' })).toEqual(['SMTP_PORT: must be between 1 and 65535']);
    expect(problemsOf({ ...base, SMTP_SECURE: 'maybe' })).toEqual(['SMTP_SECURE: must be true or false']);
    expect(problemsOf({ ...base, MAIL_FROM: 'cpflow at council' })).toEqual([
      'MAIL_FROM: must be an email address, optionally as "Name <address>"',
    ]);
  });

  it('requires SMTP_USER and SMTP_PASS together, never echoing the password', () => {
    expect(problemsOf({ ...base, SMTP_USER: 'cpflow' })).toEqual(['SMTP_PASS: is required when SMTP_USER is set']);
    const problems = problemsOf({ ...base, SMTP_PASS: 'hunter2' });
    expect(problems).toEqual(['SMTP_USER: is required when SMTP_PASS is set']);
    expect(problems.join()).not.toContain('hunter2');
  });

  it('requires an encrypted connection to a mail server off this machine, and sends nothing in clear to it', async () => {
    expect(readSmtpSettings({ ...base })).toMatchObject({ requireTls: true });
    expect(readSmtpSettings({ ...base, SMTP_HOST: '127.0.0.1' })).toMatchObject({ requireTls: false });
    expect(readSmtpSettings({ ...base, SMTP_TLS: 'when-offered' })).toMatchObject({ requireTls: false });
    expect(problemsOf({ ...base, SMTP_TLS: 'sometimes' })).toEqual(['SMTP_TLS: must be required or when-offered']);
    // A server that offers no STARTTLS: with TLS required, the message is not sent.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-tls-'));
    const mailbox = Mailbox.inDataDir(dir);
    const sink = await startSmtpSink({ mailbox, port: 0 });
    try {
      const settings = { ...readSmtpSettings({ ...base, SMTP_PORT: String(sink.port) }), host: sink.host };
      const transport = createSmtpTransport(settings);
      await expect(transport.sendMail({ to: 'p@council.example', subject: 's', text: 't' })).rejects.toMatchObject({
        code: 'ETLS',
      });
      transport.close();
      expect(await mailbox.list()).toEqual([]);
    } finally {
      await sink.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
