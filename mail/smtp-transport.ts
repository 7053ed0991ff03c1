/**
 * SMTP settings from the environment and the nodemailer transport built from them.
 *
 * Variables: `SMTP_HOST` (required), `SMTP_PORT` (default 587, or 465 when secure), `SMTP_SECURE`
 * (`true`/`false`, default false: STARTTLS on the submission port), `SMTP_TLS` (`required`, the default, or
 * `when-offered`, the default only for a mail server on this machine's loopback), `SMTP_USER` + `SMTP_PASS` (both
 * or neither), `MAIL_FROM` (required, e.g. `cpflow <cpflow@council.example>`). Mail leaves the machine encrypted
 * unless someone writes `SMTP_TLS=when-offered` for a trial relay.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { z } from 'zod';
import { SmtpSettingsError } from './errors';

/** Validated SMTP settings. */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  /** Refuse to send unless the connection is encrypted (STARTTLS required when not `secure`). */
  readonly requireTls?: boolean;
  readonly auth?: { readonly user: string; readonly pass: string };
  readonly from: string;
}

const booleanText = z.enum(['true', 'false', '1', '0', 'yes', 'no'], {
  message: 'must be true or false',
});

const mailFrom = z
  .string()
  .trim()
  .min(1, 'is required (the sender address, e.g. "cpflow <cpflow@council.example>")')
  .refine((value) => z.email().safeParse(value.match(/<([^>]+)>\s*$/)?.[1] ?? value).success, {
    message: 'must be an email address, optionally as "Name <address>"',
  });

const SmtpEnvSchema = z
  .object({
    SMTP_HOST: z
      .string({ message: 'is required (the SMTP server host name)' })
      .trim()
      .min(1, 'is required (the SMTP server host name)'),
    SMTP_PORT: z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .refine((port) => port >= 1 && port <= 65535, 'must be between 1 and 65535')
      .optional(),
    SMTP_SECURE: booleanText.optional(),
    SMTP_TLS: z.enum(['required', 'when-offered'], { message: 'must be required or when-offered' }).optional(),
    SMTP_USER: z.string().min(1, 'must not be empty when set').optional(),
    SMTP_PASS: z.string().min(1, 'must not be empty when set').optional(),
    MAIL_FROM: z.string({ message: 'is required (the sender address)' }).pipe(mailFrom),
  })
  .superRefine((env, ctx) => {
    if (env.SMTP_USER !== undefined && env.SMTP_PASS === undefined) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_PASS'], message: 'is required when SMTP_USER is set' });
    }
    if (env.SMTP_PASS !== undefined && env.SMTP_USER === undefined) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_USER'], message: 'is required when SMTP_PASS is set' });
    }
  });

/** Treats empty variables as unset, as shells and compose files often export `VAR=`. */
function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Reads and validates the SMTP variables. Throws {@link SmtpSettingsError} naming each bad variable
 * (never echoing `SMTP_PASS`).
 */
export function readSmtpSettings(env: NodeJS.ProcessEnv = process.env): SmtpSettings {
  const names = ['SMTP_HOST', 'SMTP_PORT', 'SMTP_SECURE', 'SMTP_TLS', 'SMTP_USER', 'SMTP_PASS', 'MAIL_FROM'] as const;
  const raw = Object.fromEntries(names.map((name) => [name, nonEmpty(env, name)]));
  const parsed = SmtpEnvSchema.safeParse(raw);
  if (!parsed.success) {
    throw new SmtpSettingsError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const secure = ['true', '1', 'yes'].includes(parsed.data.SMTP_SECURE ?? 'false');
  return {
    host: parsed.data.SMTP_HOST,
    port: parsed.data.SMTP_PORT ?? (secure ? 465 : 587),
    secure,
    requireTls:
      (parsed.data.SMTP_TLS ?? (isLoopbackHost(parsed.data.SMTP_HOST) ? 'when-offered' : 'required')) === 'required',
    ...(parsed.data.SMTP_USER !== undefined && parsed.data.SMTP_PASS !== undefined
      ? { auth: { user: parsed.data.SMTP_USER, pass: parsed.data.SMTP_PASS } }
      : {}),
    from: parsed.data.MAIL_FROM,
  };
}

/** A mail server on this machine (a local relay or the test sink): the only place plain SMTP is the default. */
function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Checks `MAIL_FROM` when it is set without `SMTP_HOST` (the sender of the mail the local SMTP sink receives), as
 * {@link readSmtpSettings} checks it: a bad sender would otherwise fail every email after a clean start.
 * Throws {@link SmtpSettingsError} naming the variable, never its value.
 */
export function checkMailFrom(env: NodeJS.ProcessEnv = process.env): void {
  const value = nonEmpty(env, 'MAIL_FROM');
  if (value === undefined) return;
  const parsed = mailFrom.safeParse(value);
  if (!parsed.success) throw new SmtpSettingsError(parsed.error.issues.map((issue) => `MAIL_FROM: ${issue.message}`));
}

/** A nodemailer SMTP transport; `from` defaults to the configured sender. */
export type SmtpTransport = Transporter<SMTPTransport.SentMessageInfo, SMTPTransport.Options>;

/** Creates a nodemailer transport for the settings, with bounded timeouts so an outage fails fast. */
export function createSmtpTransport(settings: SmtpSettings): SmtpTransport {
  return nodemailer.createTransport(
    {
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      ...(settings.requireTls === true && !settings.secure ? { requireTLS: true } : {}),
      ...(settings.auth ? { auth: { user: settings.auth.user, pass: settings.auth.pass } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    },
    { from: settings.from },
  );
}
