/**
 * Results of ListWorkflowExecutions queries kept across their page tokens: the first page
 * filters and sorts once, later pages slice the same snapshot (as a real visibility store's
 * cursor does, a page sequence is not disturbed by runs started or closed meanwhile). A
 * snapshot expires when unused for a minute; at most a few dozen are kept.
 */
import { randomUUID } from 'node:crypto';
import { InvalidArgumentError } from '../errors';

/** How long a snapshot lives after it was last read (real time). */
export const SNAPSHOT_IDLE_MS = 60_000;
/** Most snapshots kept at once (the least recently used goes first). */
export const MAX_SNAPSHOTS = 32;

interface Snapshot<T> {
  rows: T[];
  /** Identifies the query the snapshot answers, so a token cannot be replayed on another query. */
  key: string;
  lastUsed: number;
}

/** A decoded page token: which snapshot, and where the next page starts. */
export interface PageCursor {
  snapshotId: string;
  offset: number;
}

/** Parses a List page token issued by {@link ListSnapshots.token}; INVALID_ARGUMENT otherwise. */
export function parsePageToken(token: Uint8Array | undefined | null): PageCursor | undefined {
  if (!token || token.length === 0) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token).toString('utf8')) as { s?: unknown; o?: unknown };
    if (typeof parsed.s === 'string' && typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) {
      return { snapshotId: parsed.s, offset: parsed.o };
    }
  } catch {
    // fall through
  }
  throw new InvalidArgumentError('nextPageToken: not a page token issued by this server for this query');
}

/** The snapshots of one server. */
export class ListSnapshots<T> {
  private readonly snapshots = new Map<string, Snapshot<T>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Keeps `rows` as the result of the query identified by `key`; returns the snapshot id. */
  create(key: string, rows: T[]): string {
    this.expire();
    while (this.snapshots.size >= MAX_SNAPSHOTS) {
      const oldest = this.snapshots.keys().next().value as string;
      this.snapshots.delete(oldest);
    }
    const id = randomUUID();
    this.snapshots.set(id, { rows, key, lastUsed: this.now() });
    return id;
  }

  /** The rows of a live snapshot of the query `key`, or undefined when it expired (or never existed). */
  get(id: string, key: string): T[] | undefined {
    this.expire();
    const snapshot = this.snapshots.get(id);
    if (!snapshot || snapshot.key !== key) return undefined;
    snapshot.lastUsed = this.now();
    // Most recently used last, so eviction takes the least recently used first.
    this.snapshots.delete(id);
    this.snapshots.set(id, snapshot);
    return snapshot.rows;
  }

  /** Forgets a snapshot (its last page was served). */
  drop(id: string): void {
    this.snapshots.delete(id);
  }

  /** The page token of the page starting at `offset` of snapshot `id`. */
  static token(id: string, offset: number): Buffer {
    return Buffer.from(JSON.stringify({ s: id, o: offset }), 'utf8');
  }

  private expire(): void {
    const cutoff = this.now() - SNAPSHOT_IDLE_MS;
    for (const [id, snapshot] of this.snapshots) {
      if (snapshot.lastUsed < cutoff) this.snapshots.delete(id);
    }
  }
}
