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

/**
 * The virtual time of the current activity attempt: an activity task's scheduled time; for a local activity
 * (run inside the workflow task, while the server's clock stands still) and outside an activity, `clock()`.
 */
async function activityTime(clock: () => number | Promise<number>): Promise<number> {
  let info;
  try {
    info = Context.current().info;
  } catch {
    return clock();
  }
  return info.isLocal ? clock() : info.currentAttemptScheduledTimestampMs;
}

/** An in-memory SMTP server with scheduled outages, on virtual time. */
export class SimulatedMailer implements Mailer {
  readonly delivered: CapturedEmail[] = [];
  readonly refused: RefusedDelivery[] = [];

  /**
   * @param outages `[from, to)` instants during which the server refuses connections
   * @param clock virtual time in local activities and outside an activity context (the server's clock; tests)
   */
  constructor(
    private readonly outages: readonly { readonly from: number; readonly to: number }[] = [],
    private readonly clock: () => number | Promise<number> = Date.now,
  ) {}

  /** Accepts the message, or refuses the connection as nodemailer reports it (`ECONNECTION`) during an outage. */
  async sendMail(message: Parameters<Mailer['sendMail']>[0]): Promise<unknown> {
    const at = await activityTime(this.clock);
    if (this.outages.some((o) => at >= o.from && at < o.to)) {
      this.refused.push({ at, to: message.to, subject: message.subject });
      throw Object.assign(new Error('connect ECONNREFUSED (simulated SMTP outage)'), { code: 'ECONNECTION' });
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
    return { messageId: message.messageId };
  }
}
