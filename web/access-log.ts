/**
 * The access log: every read of a case and every change, by whom and when — what an authority's information
 * governance asks of a case system. One JSON line per access, in a file only its owner can read. Pseudonymous
 * by construction: staff ids, case references, page names and outcomes, never a field of a case.
 */
import { appendFile } from 'node:fs/promises';

/** One access. */
export interface AccessEntry {
  readonly at: string;
  readonly staffId: string;
  readonly role: string;
  /** What was done: `read-case`, `record-event`, `open-referral`, `list-my-work`, `refused`… */
  readonly action: string;
  readonly caseReference?: string;
  /** `ok`, `refused` (403), `invalid` (the input was refused), `failed`. */
  readonly outcome: 'ok' | 'refused' | 'invalid' | 'failed';
  /** The route asked for (no query string). */
  readonly path: string;
}

/** Where accesses are written. */
export interface AccessLog {
  write(entry: AccessEntry): Promise<void>;
}

/** An access log appending JSON lines to a file (created with mode 0600). */
export class FileAccessLog implements AccessLog {
  constructor(readonly file: string) {}

  /** Appends one line. */
  async write(entry: AccessEntry): Promise<void> {
    await appendFile(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  }
}

/** An access log kept in memory (tests). */
export class MemoryAccessLog implements AccessLog {
  readonly entries: AccessEntry[] = [];

  /** Keeps one entry. */
  write(entry: AccessEntry): Promise<void> {
    this.entries.push(entry);
    return Promise.resolve();
  }
}
