/**
 * The sent log: the durable record that makes each notification go out once. Before sending, an attempt CLAIMS
 * the notification (durably); after the mail server accepted it, the attempt RECORDS it as sent; if the server
 * certainly did not take it (refused connection, 4xx, 5xx), the attempt RELEASES its claim.
 *
 * - A notification recorded as sent is never sent again, by any worker sharing the log.
 * - A claim held by a live attempt keeps every other attempt (this worker's or another's) from sending it.
 * - A log that cannot be written stops sending: a claim that cannot be made sends nothing, so an unwritable log
 *   delays notifications rather than repeating them.
 * - The one window SMTP leaves open — the server accepted the message and the worker died before recording it —
 *   shows as a claim nobody renews: after {@link CLAIM_LEASE_MS} (3 minutes) it may be taken over and the message sent again,
 *   with the same Message-ID, so mail clients show it once.
 *
 * Stores: {@link FileSentLog}, a JSON-lines file in the data folder, for the workers of one machine (the default);
 * `PostgresSentLog` (./postgres-sent-log.ts) for workers on several machines.
 */
import { statSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/** One delivered notification. */
export interface SentRecord {
  readonly notificationId: string;
  readonly messageId: string;
  /** ISO timestamp of delivery to the mail server. */
  readonly sentAt: string;
}

/**
 * How long a claim keeps other attempts off a notification without being recorded or released: longer than an
 * attempt can run (the activity's 2-minute start-to-close timeout, and the mail transport's own timeouts).
 */
export const CLAIM_LEASE_MS = 3 * 60_000;

/** The outcome of a claim. */
export type Claim =
  /** This attempt may send; `retaken` when an earlier attempt's claim had lapsed (it may have sent already). */
  | { readonly status: 'claimed'; readonly retaken: boolean }
  /** Already delivered. */
  | { readonly status: 'sent'; readonly record: SentRecord }
  /** Another attempt holds a live claim. */
  | { readonly status: 'busy' };

/** The sent log cannot be read or written: nothing is sent until it can. */
export class SentLogUnavailableError extends Error {
  override readonly name = 'SentLogUnavailableError';
}

/** Store of claimed and delivered notifications. */
export interface SentLog {
  /** Claims a notification for the attempt `token` at `now`; durable before it resolves. */
  claim(notificationId: string, token: string, now: Date): Promise<Claim>;
  /** Records a delivery durably before resolving. */
  record(entry: SentRecord): Promise<void>;
  /** Gives up the claim of `token` (the message certainly did not go). */
  release(notificationId: string, token: string): Promise<void>;
  /** The record for a notification id, if it was delivered. */
  find(notificationId: string): Promise<SentRecord | undefined>;
}

/** A claim as stores keep it. */
interface HeldClaim {
  readonly token: string;
  readonly at: number;
}

/** The decision of a claim, from what a store holds for the notification. */
export function decideClaim(
  sent: SentRecord | undefined,
  held: HeldClaim | undefined,
  token: string,
  now: Date,
): Claim {
  if (sent !== undefined) return { status: 'sent', record: sent };
  if (held === undefined || held.token === token) return { status: 'claimed', retaken: false };
  if (now.getTime() - held.at < CLAIM_LEASE_MS) return { status: 'busy' };
  return { status: 'claimed', retaken: true };
}

/** A sent log held in memory (tests, simulations). */
export class InMemorySentLog implements SentLog {
  private readonly entries = new Map<string, SentRecord>();
  private readonly claims = new Map<string, HeldClaim>();

  claim(notificationId: string, token: string, now: Date): Promise<Claim> {
    const claim = decideClaim(this.entries.get(notificationId), this.claims.get(notificationId), token, now);
    if (claim.status === 'claimed') this.claims.set(notificationId, { token, at: now.getTime() });
    return Promise.resolve(claim);
  }

  record(entry: SentRecord): Promise<void> {
    this.entries.set(entry.notificationId, entry);
    this.claims.delete(entry.notificationId);
    return Promise.resolve();
  }

  release(notificationId: string, token: string): Promise<void> {
    if (this.claims.get(notificationId)?.token === token) this.claims.delete(notificationId);
    return Promise.resolve();
  }

  find(notificationId: string): Promise<SentRecord | undefined> {
    return Promise.resolve(this.entries.get(notificationId));
  }

  /** Every record, in delivery order. */
  all(): SentRecord[] {
    return [...this.entries.values()];
  }
}

/** A lock not refreshed for this long was left by a process that died holding it. */
const STALE_LOCK_MS = 10_000;

/**
 * A sent log in a JSON-lines file, appended to with fsync: delivered records, claims and releases, one per line.
 * Every lookup first reads what other processes appended since the last one, so the workers of one machine sharing
 * a data folder see each other's claims and deliveries; a claim is decided under the log's lock, so two processes
 * cannot both claim the same notification.
 */
export class FileSentLog implements SentLog {
  readonly file: string;
  readonly #sent = new Map<string, SentRecord>();
  readonly #claims = new Map<string, HeldClaim>();
  /** Bytes of the file already read (always just after a newline, so no line is read in halves). */
  #offset = 0;
  #appending: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.file = file;
  }

  /**
   * The sent log of a cpflow data folder for one Temporal namespace, named by the namespace's id: a new Temporal
   * database (or another Temporal Service) has new namespace ids, so the deliveries of cases it never knew
   * cannot suppress the reminders of new cases that reuse their references.
   */
  static inDataDir(dataDir: string, namespaceId: string): FileSentLog {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(namespaceId)) {
      throw new TypeError('namespaceId: must be the Temporal namespace id (letters, digits and dashes)');
    }
    return new FileSentLog(path.join(dataDir, 'sent-notifications', `${namespaceId}.jsonl`));
  }

  async claim(notificationId: string, token: string, now: Date): Promise<Claim> {
    return this.#unavailableAs(async () => {
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const unlock = await this.#lock();
      try {
        await this.#refresh();
        const claim = decideClaim(this.#sent.get(notificationId), this.#claims.get(notificationId), token, now);
        if (claim.status === 'claimed') await this.#append({ claim: notificationId, token, at: now.getTime() });
        return claim;
      } finally {
        await unlock();
      }
    });
  }

  async record(entry: SentRecord): Promise<void> {
    await this.#unavailableAs(() => this.#append(entry));
  }

  async release(notificationId: string, token: string): Promise<void> {
    await this.#unavailableAs(() => this.#append({ release: notificationId, token }));
  }

  async find(notificationId: string): Promise<SentRecord | undefined> {
    await this.#refresh();
    return this.#sent.get(notificationId);
  }

  async #unavailableAs<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      // The path and the system's reason say what to fix; nothing of a notification is in them.
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new SentLogUnavailableError(`the sent log ${this.file} cannot be written (${code})`);
    }
  }

  /**
   * Takes the log's lock (proper-lockfile: an atomic mkdir, kept fresh while held, so a holder that died is noticed
   * and its lock taken over safely), waiting for another holder.
   */
  async #lock(): Promise<() => Promise<void>> {
    return lockfile.lock(this.file, {
      realpath: false,
      stale: STALE_LOCK_MS,
      update: STALE_LOCK_MS / 3,
      retries: { retries: 200, minTimeout: 5, maxTimeout: 100 },
    });
  }

  async #append(line: object): Promise<void> {
    const write = this.#appending.then(async () => {
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const handle = await open(this.file, 'a', 0o600);
      try {
        // One write per line (appends of one write do not interleave); the leading newline keeps a line whole
        // after a torn one from a crash, the trailing one marks it complete for readers.
        await handle.appendFile(`\n${JSON.stringify(line)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
    this.#appending = write.catch(() => undefined);
    await write;
    await this.#refresh();
  }

  /** Reads the lines appended since the last read (by this process or another). */
  async #refresh(): Promise<void> {
    let size: number;
    try {
      // One stat per lookup (synchronous: a few microseconds); the file is opened only when it has grown.
      size = statSync(this.file).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if (size <= this.#offset) return;
    const handle = await open(this.file, 'r');
    try {
      const buffer = Buffer.alloc(size - this.#offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.#offset);
      const text = buffer.subarray(0, bytesRead).toString('utf8');
      // Only whole lines: a line another process is writing right now is read next time.
      const end = text.lastIndexOf('\n');
      if (end < 0) return;
      for (const line of text.slice(0, end).split('\n')) this.#take(line);
      this.#offset += Buffer.byteLength(text.slice(0, end + 1));
    } finally {
      await handle.close();
    }
  }

  #take(line: string): void {
    if (line.trim() === '') return;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return; // a torn line from a crash mid-append: never confirmed, so never counted
    }
    if (typeof value.claim === 'string' && typeof value.token === 'string' && typeof value.at === 'number') {
      this.#claims.set(value.claim, { token: value.token, at: value.at });
    } else if (typeof value.release === 'string') {
      if (this.#claims.get(value.release)?.token === value.token) this.#claims.delete(value.release);
    } else if (
      typeof value.notificationId === 'string' &&
      typeof value.messageId === 'string' &&
      typeof value.sentAt === 'string'
    ) {
      this.#sent.set(value.notificationId, {
        notificationId: value.notificationId,
        messageId: value.messageId,
        sentAt: value.sentAt,
      });
      this.#claims.delete(value.notificationId);
    }
  }
}
