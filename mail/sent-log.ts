/**
 * The sent log: which notifications have already been delivered to the mail server, consulted before
 * every send so a retried activity never sends the same notification twice.
 *
 * The durable implementation appends one JSON line per delivered notification to
 * `<dataDir>/sent-notifications/<namespace id>.jsonl` and fsyncs it: append-only, crash-tolerant (a torn line is
 * ignored), readable with standard tools, and shared by the worker processes of one machine. Workers on
 * different machines would need a shared store (e.g. a database table with a unique key).
 */
import { statSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';

/** One delivered notification. */
export interface SentRecord {
  readonly notificationId: string;
  readonly messageId: string;
  /** ISO timestamp of delivery to the mail server. */
  readonly sentAt: string;
}

/** Store of delivered notifications. */
export interface SentLog {
  /** The record for a notification id, if it was already delivered. */
  find(notificationId: string): Promise<SentRecord | undefined>;
  /** Records a delivery durably before resolving. */
  record(entry: SentRecord): Promise<void>;
}

/** A sent log held in memory (tests). */
export class InMemorySentLog implements SentLog {
  private readonly entries = new Map<string, SentRecord>();

  /** The record for a notification id, if any. */
  find(notificationId: string): Promise<SentRecord | undefined> {
    return Promise.resolve(this.entries.get(notificationId));
  }

  /** Records a delivery. */
  record(entry: SentRecord): Promise<void> {
    this.entries.set(entry.notificationId, entry);
    return Promise.resolve();
  }

  /** Every record, in delivery order. */
  all(): SentRecord[] {
    return [...this.entries.values()];
  }
}

/**
 * A sent log in a JSON-lines file, appended to with fsync. Every lookup first reads what other processes appended
 * since the last one, so several workers on one machine sharing a data folder see each other's deliveries.
 */
export class FileSentLog implements SentLog {
  readonly file: string;
  readonly #entries = new Map<string, SentRecord>();
  /** Bytes of the file already read (always just after a newline, so no record is read in halves). */
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

  /** Reads the records appended since the last read (by this process or another). */
  async #refresh(): Promise<void> {
    let size: number;
    try {
      // One stat per lookup (synchronous: a few microseconds, no thread-pool round trip); the file is opened
      // only when it has grown.
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
      // Only whole lines: a record another process is writing right now is read next time.
      const end = text.lastIndexOf('\n');
      if (end < 0) return;
      for (const line of text.slice(0, end).split('\n')) {
        const entry = parseLine(line);
        if (entry) this.#entries.set(entry.notificationId, entry);
      }
      this.#offset += Buffer.byteLength(text.slice(0, end + 1));
    } finally {
      await handle.close();
    }
  }

  /** The record for a notification id, if any process sharing the file recorded it. */
  async find(notificationId: string): Promise<SentRecord | undefined> {
    await this.#refresh();
    return this.#entries.get(notificationId);
  }

  /** Appends the record and fsyncs before resolving. */
  async record(entry: SentRecord): Promise<void> {
    const write = this.#appending.then(async () => {
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const handle = await open(this.file, 'a', 0o600);
      try {
        // One write per record (appends of one write do not interleave); the leading newline keeps a record
        // whole after a torn line from a crash, the trailing one marks it complete for readers.
        await handle.appendFile(`\n${JSON.stringify(entry)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.#entries.set(entry.notificationId, entry);
    });
    this.#appending = write.catch(() => undefined);
    await write;
  }
}

function parseLine(line: string): SentRecord | undefined {
  if (line.trim() === '') return undefined;
  try {
    const value = JSON.parse(line) as Partial<SentRecord>;
    if (
      typeof value.notificationId === 'string' &&
      typeof value.messageId === 'string' &&
      typeof value.sentAt === 'string'
    ) {
      return { notificationId: value.notificationId, messageId: value.messageId, sentAt: value.sentAt };
    }
  } catch {
    // A torn line from a crash mid-append: that send was not confirmed, so it is not recorded.
  }
  return undefined;
}
