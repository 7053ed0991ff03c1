/**
 * The notification activity: renders a notification email and delivers it over SMTP exactly once per
 * notification id, as far as SMTP allows.
 *
 * - The workflow supplies a deterministic `notificationId` (see `notificationIdFor`). Each attempt first claims it
 *   in the sent log (mail/sent-log.ts), shared by every worker: one already delivered returns `already-sent`, one
 *   another attempt is delivering waits, and a sent log that cannot be written sends nothing (retried later).
 * - The `Message-ID` header is derived from the notification id, so even in the one unavoidable window
 *   (delivered, then the worker died before recording it) the duplicate carries the same Message-ID and mail
 *   clients collapse it.
 * - An SMTP outage (connection refused, timeout, 4xx) throws a retryable `SmtpUnavailable` failure: the
 *   workflow's retry policy delays the notification, never loses it.
 * - A permanent address problem (5xx for the recipient, or a recipient not in the staff directory) throws a
 *   non-retryable failure (`RecipientRejected` / `UnknownRecipient`) so the workflow can escalate instead.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import {
  InvalidNotificationError,
  InvalidRecipientRefError,
  NOTIFICATION_KINDS,
  renderNotificationEmail,
  roleOfRecipient,
} from '../domain/notifications';
import { UnknownRecipientError } from '../mail/errors';
import type { Notice } from '../domain/case-process';
import { type SentLog, SentLogUnavailableError, type SentRecord } from '../mail/sent-log';
import type { StaffDirectory } from '../mail/staff-directory';
import type { NotificationMetrics } from '../observability/metrics';

/** What the notification activity needs from a mail transport; a nodemailer transport satisfies it. */
export interface Mailer {
  sendMail(message: {
    from?: string;
    to: string;
    subject: string;
    text: string;
    messageId: string;
    headers?: Record<string, string>;
  }): Promise<unknown>;
}

/** Dependencies of the notification activities. */
export interface NotificationActivityDeps {
  readonly mailer: Mailer;
  readonly sentLog: SentLog;
  readonly directory: StaffDirectory;
  /**
   * Where the recipient should look for the case; receives the case reference. Default: the case's
   * workflow in a local Temporal UI ({@link DEFAULT_CASE_URL}).
   */
  readonly caseUrl?: (caseReference: string) => string;
  /** Sender; defaults to the transport's configured `from`. */
  readonly mailFrom?: string;
  /** Right-hand side of generated Message-IDs (default `cpflow.local`). */
  readonly messageIdDomain?: string;
  /** Clock for the sent log's timestamps (default: system time). */
  readonly clock?: () => Date;
  /** Counts what became of each notification (observability/metrics.ts); none by default. */
  readonly metrics?: NotificationMetrics;
}

/** Input of {@link NotificationActivities.sendNotification}: a notice the case decided to send. */
export type SendNotificationInput = Notice;

/** Outcome of {@link NotificationActivities.sendNotification}. */
export interface SendNotificationResult {
  /** `sent` now, or `already-sent` by an earlier attempt. */
  readonly status: 'sent' | 'already-sent';
  readonly messageId: string;
  readonly sentAt: string;
}

/** Input of {@link NotificationActivities.sendNotifications}: every notification due at one instant. */
export interface SendNotificationsInput {
  readonly notifications: readonly SendNotificationInput[];
}

/** How one notification of a batch ended. */
export type NotificationDelivery =
  | (SendNotificationResult & { readonly notificationId: string })
  | {
      readonly notificationId: string;
      readonly status: 'failed';
      /** Failure type and message (no personal data): the recipient or the notification was refused for good. */
      readonly failure: string;
    };

/** Outcome of {@link NotificationActivities.sendNotifications}, one entry per input notification, in order. */
export interface SendNotificationsResult {
  readonly deliveries: readonly NotificationDelivery[];
}

/** The notification activities. */
export interface NotificationActivities {
  /** Sends one notification email at most once per notification id. */
  sendNotification(input: SendNotificationInput): Promise<SendNotificationResult>;
  /**
   * Sends every notification of a batch (those due at the same instant), each at most once per notification id.
   * A notification refused for good (unknown/refused recipient, invalid) is reported `failed` without failing
   * the others. A mail server outage throws a retryable `SmtpUnavailable` after the rest of the batch was tried;
   * the retry skips, through the sent log, every notification already delivered.
   */
  sendNotifications(input: SendNotificationsInput): Promise<SendNotificationsResult>;
}

const SendNotificationInputSchema = z.object({
  notificationId: z
    .string()
    .min(1, 'must not be empty')
    .max(400, 'must be at most 400 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  kind: z.enum(NOTIFICATION_KINDS, { message: `must be one of ${NOTIFICATION_KINDS.join(', ')}` }),
});

/** Default case link: the case workflow (id = case reference) in a local Temporal UI. */
export const DEFAULT_CASE_URL = (caseReference: string): string =>
  `http://localhost:8233/namespaces/default/workflows/${encodeURIComponent(caseReference)}`;

/** The Message-ID header for a notification id: the same id always gives the same Message-ID. */
export function messageIdFor(notificationId: string, domain = 'cpflow.local'): string {
  const digest = createHash('sha256').update(notificationId).digest('hex').slice(0, 40);
  return `<${digest}.notification@${domain}>`;
}

/** Attempts at recording a delivery before the activity gives up for now (about 3.5 seconds in all). */
const RECORD_ATTEMPTS = 4;

/**
 * Whether a transport error says the server never took the message: no connection, no TLS, refused login or
 * envelope. A timeout or a broken connection while the message was being handed over might have delivered it.
 */
function notHandedOver(err: unknown): boolean {
  const { code, command } = (err ?? {}) as SmtpErrorShape & { command?: string };
  if (code !== undefined && ['ECONNECTION', 'ECONNREFUSED', 'EDNS', 'EAUTH', 'ETLS', 'EENVELOPE'].includes(code)) {
    return true;
  }
  return command === 'CONN';
}

/** How often a running batch heartbeats (the workflow's heartbeat timeout is 30 seconds). */
const HEARTBEAT_EVERY_MS = 10_000;

/**
 * Heartbeats now and every {@link HEARTBEAT_EVERY_MS} while in an activity (nothing when called directly), and
 * says when the attempt was cancelled (timed out: another attempt may be running it), so it sends no more.
 */
function heartbeats(): { stop(): void; cancelled(): boolean } {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return { stop: () => undefined, cancelled: () => false };
  }
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  return { stop: () => clearInterval(timer), cancelled: () => context.cancellationSignal.aborted };
}

/** `ApplicationFailure.type` when the sent log cannot be written: retried, and nothing more is sent until then. */
export const SENT_LOG_UNAVAILABLE = 'SentLogUnavailable';

/** SMTP error fields nodemailer sets. */
interface SmtpErrorShape {
  code?: string;
  responseCode?: number;
}

/** Creates the notification activities over the given mailer, sent log and directory. */
export function createNotificationActivities(deps: NotificationActivityDeps): NotificationActivities {
  const clock = deps.clock ?? (() => new Date());
  const caseUrl = deps.caseUrl ?? DEFAULT_CASE_URL;
  const inFlight = new Map<string, Promise<SendNotificationResult>>();
  const unrecorded = new Map<string, SentRecord>();

  /** The sent log's answer, or — when it cannot be written — a retryable failure that sends nothing. */
  async function logged<T>(step: () => Promise<T>, after: string): Promise<T> {
    try {
      return await step();
    } catch (err) {
      // Whatever failed, the log did not take it: stop sending (only the store's own message is said).
      const why = err instanceof SentLogUnavailableError ? err.message : 'the sent log cannot be written';
      throw ApplicationFailure.create({ message: `${after}${why}`, type: SENT_LOG_UNAVAILABLE });
    }
  }

  /**
   * Records a delivery, trying again briefly: while it is not recorded, only this process's memory keeps the
   * notification from going again (after the claim's lease another worker could take it over).
   */
  async function record(entry: SentRecord): Promise<void> {
    unrecorded.set(entry.notificationId, entry);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await deps.sentLog.record(entry);
        unrecorded.delete(entry.notificationId);
        return;
      } catch (err) {
        if (attempt >= RECORD_ATTEMPTS) throw err;
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  }

  async function deliver(input: SendNotificationInput): Promise<SendNotificationResult> {
    // Delivered by this process earlier and not recorded yet: record it now, and send nothing.
    const earlier = unrecorded.get(input.notificationId);
    if (earlier !== undefined) {
      await logged(() => record(earlier), 'nothing sent (delivered before, not recorded yet): ');
      return { status: 'already-sent', messageId: earlier.messageId, sentAt: earlier.sentAt };
    }
    const token = randomUUID();
    const claim = await logged(() => deps.sentLog.claim(input.notificationId, token, clock()), 'nothing sent: ');
    if (claim.status === 'sent') {
      return { status: 'already-sent', messageId: claim.record.messageId, sentAt: claim.record.sentAt };
    }
    if (claim.status === 'busy') {
      throw ApplicationFailure.create({
        message: 'another attempt is delivering this notification; it will be looked at again',
        type: 'DeliveryInProgress',
      });
    }
    // The message certainly did not go: let the next attempt claim it at once.
    const release = () => deps.sentLog.release(input.notificationId, token).catch(() => undefined);
    let email;
    let recipient;
    try {
      email = renderNotificationEmail({
        caseReference: input.caseReference,
        stepId: input.stepId,
        stepTitle: input.stepTitle,
        dueDate: input.dueDate,
        kind: input.kind,
        recipientRole: roleOfRecipient(input.recipient),
        caseUrl: caseUrl(input.caseReference),
        ...(input.deadlines === undefined ? {} : { deadlines: [...input.deadlines] }),
      });
      recipient = await deps.directory.resolve(input.recipient);
    } catch (err) {
      await release();
      if (err instanceof UnknownRecipientError) {
        deps.metrics?.failed(input.kind);
        throw ApplicationFailure.nonRetryable(err.message, 'UnknownRecipient');
      }
      if (err instanceof InvalidNotificationError || err instanceof InvalidRecipientRefError) {
        deps.metrics?.failed(input.kind);
        throw ApplicationFailure.nonRetryable(err.message, 'InvalidNotification');
      }
      throw err;
    }
    const messageId = messageIdFor(input.notificationId, deps.messageIdDomain);
    try {
      await deps.mailer.sendMail({
        ...(deps.mailFrom ? { from: deps.mailFrom } : {}),
        to: recipient.address,
        subject: email.subject,
        text: email.text,
        messageId,
        headers: { 'X-Cpflow-Notification-Kind': input.kind, 'Auto-Submitted': 'auto-generated' },
      });
    } catch (err) {
      // Released only when the server certainly did not take the message; otherwise the claim's lease decides.
      if (notHandedOver(err)) await release();
      const failure = classifySmtpFailure(err, input.recipient);
      if (failure.nonRetryable) deps.metrics?.failed(input.kind);
      else deps.metrics?.deferred(input.kind);
      throw failure;
    }
    const sentAt = clock().toISOString();
    await logged(
      () => record({ notificationId: input.notificationId, messageId, sentAt }),
      'delivered, not recorded (this worker keeps it from being sent again): ',
    );
    deps.metrics?.sent(input.kind);
    return { status: 'sent', messageId, sentAt };
  }

  async function sendNotification(input: SendNotificationInput): Promise<SendNotificationResult> {
    const checked = SendNotificationInputSchema.safeParse(input);
    if (!checked.success) {
      const problems = checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      deps.metrics?.failed(String(input?.kind));
      throw ApplicationFailure.nonRetryable(`invalid notification: ${problems.join('; ')}`, 'InvalidNotification');
    }
    // Two concurrent attempts of the same notification in this worker share one delivery.
    const running = inFlight.get(input.notificationId);
    if (running) return running;
    const attempt = deliver(input).finally(() => inFlight.delete(input.notificationId));
    inFlight.set(input.notificationId, attempt);
    return attempt;
  }

  async function sendNotifications(input: SendNotificationsInput): Promise<SendNotificationsResult> {
    if (!Array.isArray(input?.notifications)) {
      throw ApplicationFailure.nonRetryable(
        'invalid notification batch: notifications: must be a list',
        'InvalidNotification',
      );
    }
    const deliveries: NotificationDelivery[] = [];
    let outage: unknown;
    // Heartbeats say this worker is alive; a slow mail server does not stop them, a dead worker does.
    const beating = heartbeats();
    try {
      for (const notification of input.notifications) {
        if (beating.cancelled()) throw ApplicationFailure.retryable('the attempt was cancelled', 'Cancelled');
        try {
          deliveries.push({ notificationId: notification.notificationId, ...(await sendNotification(notification)) });
        } catch (err) {
          if (err instanceof ApplicationFailure && err.nonRetryable) {
            deliveries.push({
              notificationId: notification.notificationId,
              status: 'failed',
              failure: `${err.type ?? 'Error'}: ${err.message}`,
            });
          } else {
            outage ??= err;
            // A sent log that cannot be written stops the batch: what is not recorded is not sent.
            if (err instanceof ApplicationFailure && err.type === SENT_LOG_UNAVAILABLE) break;
          }
        }
      }
    } finally {
      beating.stop();
    }
    // Retried as a whole: the sent log turns what was delivered into `already-sent`.
    if (outage !== undefined) throw outage;
    return { deliveries };
  }

  return { sendNotification, sendNotifications };
}

/**
 * Maps a transport error to a Temporal failure: a 5xx reply about the recipient or the message is permanent
 * (non-retryable); anything else (refused connection, timeout, 4xx, authentication) is retryable.
 * The message names the recipient reference and SMTP codes, never the address.
 */
export function classifySmtpFailure(err: unknown, recipient: string): ApplicationFailure {
  const { code, responseCode } = (err ?? {}) as SmtpErrorShape;
  const detail = [code, responseCode].filter((part) => part !== undefined).join(' ');
  if (code === 'EENVELOPE' && responseCode !== undefined && responseCode >= 500 && responseCode < 600) {
    return ApplicationFailure.create({
      message: `the mail server permanently refused the address of ${recipient} (SMTP ${responseCode}); fix the staff directory`,
      type: 'RecipientRejected',
      nonRetryable: true,
    });
  }
  if (code === 'EMESSAGE' && responseCode !== undefined && responseCode >= 500 && responseCode < 600) {
    // The message itself refused for good (too large, policy): retrying the batch forever would block the case.
    return ApplicationFailure.create({
      message: `the mail server permanently refused the message to ${recipient} (SMTP ${responseCode})`,
      type: 'MessageRejected',
      nonRetryable: true,
    });
  }
  return ApplicationFailure.create({
    message: `mail server unavailable (${detail || 'unknown error'}); the notification will be retried`,
    type: 'SmtpUnavailable',
    nonRetryable: false,
  });
}
