/**
 * The simulator's mail server: an in-memory {@link Mailer} that captures every email with the virtual time of
 * the activity attempt that sent it, and refuses connections during the scenario's SMTP outages (so the
 * notification activity fails with a retryable `SmtpUnavailable` and the workflow retries later).
 */
import { Context } from '@temporalio/activity';
import type { Mailer } from '../activities';

/** One email the simulated server accepted. */
export interface CapturedEmail {
  /** Virtual time of the delivery (epoch ms). */
  readonly at: number;
  readonly to: string;
  readonly subject: string;
  /** `X-Cpflow-Notification-Kind`. */
  readonly kind?: string;
  readonly messageId: string;
}

/** One delivery attempt refused because of an outage. */
export interface RefusedDelivery {
  readonly at: number;
  readonly to: string;
  readonly subject: string;
}

/** The virtual time of the current activity attempt; outside an activity, `fallback()`. */
function activityTime(fallback: () => number): number {
  try {
    return Context.current().info.currentAttemptScheduledTimestampMs;
  } catch {
    return fallback();
  }
}

/** An in-memory SMTP server with scheduled outages, on virtual time. */
export class SimulatedMailer implements Mailer {
  readonly delivered: CapturedEmail[] = [];
  readonly refused: RefusedDelivery[] = [];

  /**
   * @param outages `[from, to)` instants during which the server refuses connections
   * @param clock time outside an activity context (tests)
   */
  constructor(
    private readonly outages: readonly { readonly from: number; readonly to: number }[] = [],
    private readonly clock: () => number = Date.now,
  ) {}

  /** Accepts the message, or refuses the connection as nodemailer reports it (`ECONNECTION`) during an outage. */
  sendMail(message: Parameters<Mailer['sendMail']>[0]): Promise<unknown> {
    const at = activityTime(this.clock);
    if (this.outages.some((o) => at >= o.from && at < o.to)) {
      this.refused.push({ at, to: message.to, subject: message.subject });
      const err = Object.assign(new Error('connect ECONNREFUSED (simulated SMTP outage)'), { code: 'ECONNECTION' });
      return Promise.reject(err);
    }
    this.delivered.push({
      at,
      to: message.to,
      subject: message.subject,
      ...(message.headers?.['X-Cpflow-Notification-Kind'] !== undefined
        ? { kind: message.headers['X-Cpflow-Notification-Kind'] }
        : {}),
      messageId: message.messageId,
    });
    return Promise.resolve({ messageId: message.messageId });
  }
}
