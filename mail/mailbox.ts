/**
 * The local mailbox the SMTP sink writes to and `cpflow mail` reads: one `<id>.eml` file per message plus
 * an `index.jsonl` summary line per message, under `<dataDir>/mailbox/`.
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MessageNotFoundError } from './errors';

/** Parses a message; mailparser loads on first use, so listing the mailbox (`cpflow mail list`) never pays for it. */
async function parseMessage(raw: Buffer | string) {
  const { simpleParser } = await import('mailparser');
  return simpleParser(raw);
}

/** One received message as listed by `cpflow mail list`. */
export interface MailboxEntry {
  /** Mailbox id, a zero-padded sequence number such as `000001`. */
  readonly id: string;
  /** When the sink received it (ISO timestamp). */
  readonly receivedAt: string;
  /** SMTP envelope recipients. */
  readonly to: readonly string[];
  readonly subject: string;
  /** The message's `Message-ID` header, if any. */
  readonly messageId?: string;
}

/** A message read back from the mailbox. */
export interface MailboxMessage extends MailboxEntry {
  /** Plain-text body. */
  readonly text: string;
  /** The raw RFC 5322 message. */
  readonly raw: string;
}

const ID_PATTERN = /^\d{6,}$/;

/** File-backed mailbox under a directory; a single writer (the sink) and any number of readers. */
export class Mailbox {
  /** The mailbox directory. */
  readonly dir: string;
  private nextSequence: number | undefined;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Opens the mailbox `mailbox/` inside a cpflow data directory. */
  static inDataDir(dataDir: string): Mailbox {
    return new Mailbox(path.join(dataDir, 'mailbox'));
  }

  private get indexFile(): string {
    return path.join(this.dir, 'index.jsonl');
  }

  /** Stores a raw message received for the given envelope recipients and returns its entry. */
  async store(raw: Buffer, envelopeTo: readonly string[], receivedAt: Date = new Date()): Promise<MailboxEntry> {
    const parsed = await parseMessage(raw);
    const result = this.writing.then(async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      if (this.nextSequence === undefined) {
        this.nextSequence = (await this.list()).length + 1;
      }
      const id = String(this.nextSequence++).padStart(6, '0');
      const entry: MailboxEntry = {
        id,
        receivedAt: receivedAt.toISOString(),
        to: [...envelopeTo],
        subject: parsed.subject ?? '',
        ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
      };
      await writeFile(path.join(this.dir, `${id}.eml`), raw, { mode: 0o600 });
      await appendFile(this.indexFile, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
      return entry;
    });
    this.writing = result.catch(() => undefined);
    return result;
  }

  /** Lists received messages, oldest first. An absent mailbox is empty. */
  async list(): Promise<MailboxEntry[]> {
    let content: string;
    try {
      content = await readFile(this.indexFile, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return content
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as MailboxEntry);
  }

  /** Reads one message by id; throws {@link MessageNotFoundError} if there is none. */
  async read(id: string): Promise<MailboxMessage> {
    const entry = ID_PATTERN.test(id) ? (await this.list()).find((e) => e.id === id) : undefined;
    if (!entry) {
      throw new MessageNotFoundError(`no message ${id} in ${this.dir} (see: cpflow mail list)`);
    }
    const raw = await readFile(path.join(this.dir, `${id}.eml`), 'utf8');
    const parsed = await parseMessage(raw);
    return { ...entry, text: parsed.text ?? '', raw };
  }
}
