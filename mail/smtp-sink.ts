/**
 * A local SMTP sink: an SMTP server on loopback that accepts every message and stores it in a
 * {@link Mailbox}, so a developer sees cpflow's reminders arrive (`cpflow mail list`) without a mail server.
 * Plain SMTP without TLS or authentication: for 127.0.0.1 only.
 */
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import type { Mailbox, MailboxEntry } from './mailbox';

/** Options of {@link startSmtpSink}. */
export interface SmtpSinkOptions {
  readonly mailbox: Mailbox;
  /** Port to listen on; 0 (default) picks a free one. */
  readonly port?: number;
  /** Loopback host to bind (default 127.0.0.1). */
  readonly host?: string;
  /**
   * Decides whether to refuse a recipient permanently (SMTP 550), returning the reason; used to
   * exercise bounced addresses. Default: accept everyone.
   */
  readonly rejectRecipient?: (address: string) => string | undefined;
  /** Called after each message is stored. */
  readonly onMessage?: (entry: MailboxEntry) => void;
}

/** A running SMTP sink. */
export interface SmtpSink {
  readonly host: string;
  readonly port: number;
  /** Stops accepting connections and closes the server. */
  stop(): Promise<void>;
}

/** Starts the SMTP sink and resolves once it listens. */
export async function startSmtpSink(options: SmtpSinkOptions): Promise<SmtpSink> {
  const host = options.host ?? '127.0.0.1';
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'cpflow local SMTP sink',
    disableReverseLookup: true,
    size: 10 * 1024 * 1024,
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const reason = options.rejectRecipient?.(address.address);
      if (reason !== undefined) {
        callback(Object.assign(new Error(reason), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        options.mailbox.store(Buffer.concat(chunks), recipients).then(
          (entry) => {
            options.onMessage?.(entry);
            callback();
          },
          (err: unknown) =>
            callback(Object.assign(new Error(`could not store message: ${String(err)}`), { responseCode: 451 })),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => process.stderr.write(`cpflow SMTP sink: ${err.message}\n`));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  return {
    host,
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
