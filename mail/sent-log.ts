/**
 * The sent log: which notifications have already been delivered to the mail server, consulted before
 * every send so a retried activity never sends the same notification twice.
 *
 * The durable implementation appends one JSON line per delivered notification to
 * `<dataDir>/sent-notifications.jsonl` and fsyncs it: append-only, crash-tolerant (a torn last line is
 * ignored), readable with standard tools, and enough for one worker process per data directory. Several
 * workers on different machines would need a shared store (e.g. a database table with a unique key).
 */
import { mkdir, open, readFile } from 'node:fs/promises';
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

/** A sent log in a JSON-lines file, loaded once and appended to with fsync. */
export class FileSentLog implements SentLog {
  readonly file: string;
  private entries: Promise<Map<string, SentRecord>> | undefined;
  private appending: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.file = file;
  }

  /** The sent log `sent-notifications.jsonl` inside a cpflow data directory. */
  static inDataDir(dataDir: string): FileSentLog {
    return new FileSentLog(path.join(dataDir, 'sent-notifications.jsonl'));
  }

  private load(): Promise<Map<string, SentRecord>> {
    this.entries ??= readFile(this.file, 'utf8').then(
      (text) => {
        const map = new Map<string, SentRecord>();
        for (const line of text.split('\n')) {
          const entry = parseLine(line);
          if (entry) map.set(entry.notificationId, entry);
        }
        return map;
      },
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return new Map<string, SentRecord>();
        throw err;
      },
    );
    return this.entries;
  }

  /** The record for a notification id, if any. */
  async find(notificationId: string): Promise<SentRecord | undefined> {
    return (await this.load()).get(notificationId);
  }

  /** Appends the record and fsyncs before resolving. */
  async record(entry: SentRecord): Promise<void> {
    const entries = await this.load();
    const write = this.appending.then(async () => {
      await mkdir(path.dirname(this.file), { recursive: true });
      const handle = await open(this.file, 'a');
      try {
        // A leading newline keeps a record whole even after a torn line from a crash.
        await handle.appendFile(`\n${JSON.stringify(entry)}`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      entries.set(entry.notificationId, entry);
    });
    this.appending = write.catch(() => undefined);
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
