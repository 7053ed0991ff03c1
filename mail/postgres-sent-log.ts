/**
 * The sent log in PostgreSQL — the database a production Temporal already runs — shared by every worker of a
 * cpflow, on any machine (`CPFLOW_SENT_LOG_URL`). One row per notification and Temporal namespace id; a claim is
 * one atomic statement (insert, or take over a lapsed claim), so two workers never both send a notification.
 * See ./sent-log.ts for the protocol.
 */
import { Pool, type PoolConfig } from 'pg';
import { CLAIM_LEASE_MS, type Claim, type SentLog, SentLogUnavailableError, type SentRecord } from './sent-log';

/** The table (created on first use). */
export const SENT_LOG_TABLE = 'cpflow_sent_notifications';

const CREATE = `
  CREATE TABLE IF NOT EXISTS ${SENT_LOG_TABLE} (
    namespace_id    text        NOT NULL,
    notification_id text        NOT NULL,
    claim_token     text,
    claimed_at      timestamptz,
    message_id      text,
    sent_at         text,
    PRIMARY KEY (namespace_id, notification_id)
  )`;

/** A sent log in a PostgreSQL table, for one Temporal namespace. */
export class PostgresSentLog implements SentLog {
  readonly #pool: Pool;
  readonly #namespaceId: string;
  #ready: Promise<void> | undefined;

  constructor(config: PoolConfig, namespaceId: string) {
    // A handful of connections: a worker sends a few notifications at a time.
    this.#pool = new Pool({ max: 4, connectionTimeoutMillis: 5_000, ...config });
    // An idle connection the server dropped is replaced on next use; the error must not crash the worker.
    this.#pool.on('error', () => undefined);
    this.#namespaceId = namespaceId;
  }

  /** Creates the table if needed; resolves once the database answers. */
  async open(): Promise<void> {
    this.#ready ??= this.#create().catch((err: unknown) => {
      this.#ready = undefined;
      throw err;
    });
    await this.#ready;
  }

  /** Creates the table; two workers starting on a new database at once race here, and the loser finds it made. */
  async #create(): Promise<void> {
    try {
      await this.#pool.query(CREATE);
    } catch (err) {
      // 23505 / 42P07: the other worker's CREATE won between our check and our insert into the catalogue.
      if (!['23505', '42P07'].includes((err as { code?: string }).code ?? '')) throw err;
    }
  }

  /** Claims a notification; the lease runs on the database's clock, one clock for every worker. */
  async claim(notificationId: string, token: string): Promise<Claim> {
    return this.#unavailableAs(async () => {
      await this.open();
      const key = [this.#namespaceId, notificationId];
      const inserted = await this.#pool.query(
        `INSERT INTO ${SENT_LOG_TABLE} (namespace_id, notification_id, claim_token, claimed_at)
         VALUES ($1, $2, $3, now()) ON CONFLICT DO NOTHING`,
        [...key, token],
      );
      if (inserted.rowCount === 1) return { status: 'claimed', retaken: false };
      // Not sent yet, and its claim released, ours, or lapsed: take it over (the row lock orders racing takers;
      // the second re-reads the row and no longer matches).
      const taken = await this.#pool.query<{ lapsed: boolean }>(
        `UPDATE ${SENT_LOG_TABLE} SET claim_token = $3, claimed_at = now()
         WHERE namespace_id = $1 AND notification_id = $2 AND message_id IS NULL
           AND (claim_token IS NULL OR claim_token = $3 OR claimed_at < now() - $4 * interval '1 millisecond')
         RETURNING true AS lapsed`,
        [...key, token, CLAIM_LEASE_MS],
      );
      if (taken.rowCount === 1) return { status: 'claimed', retaken: true };
      const row = await this.#pool.query<{ message_id: string | null; sent_at: string | null }>(
        `SELECT message_id, sent_at FROM ${SENT_LOG_TABLE} WHERE namespace_id = $1 AND notification_id = $2`,
        key,
      );
      const sent = row.rows[0];
      if (sent?.message_id != null && sent.sent_at != null) {
        return { status: 'sent', record: { notificationId, messageId: sent.message_id, sentAt: sent.sent_at } };
      }
      return { status: 'busy' };
    });
  }

  async record(entry: SentRecord): Promise<void> {
    await this.#unavailableAs(async () => {
      await this.open();
      await this.#pool.query(
        `INSERT INTO ${SENT_LOG_TABLE} (namespace_id, notification_id, message_id, sent_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (namespace_id, notification_id)
         DO UPDATE SET message_id = EXCLUDED.message_id, sent_at = EXCLUDED.sent_at, claim_token = NULL`,
        [this.#namespaceId, entry.notificationId, entry.messageId, entry.sentAt],
      );
    });
  }

  async release(notificationId: string, token: string): Promise<void> {
    await this.#unavailableAs(async () => {
      await this.#pool.query(
        `UPDATE ${SENT_LOG_TABLE} SET claim_token = NULL, claimed_at = NULL
         WHERE namespace_id = $1 AND notification_id = $2 AND claim_token = $3 AND message_id IS NULL`,
        [this.#namespaceId, notificationId, token],
      );
    });
  }

  async find(notificationId: string): Promise<SentRecord | undefined> {
    return this.#unavailableAs(async () => {
      await this.open();
      const { rows } = await this.#pool.query<{ message_id: string | null; sent_at: string | null }>(
        `SELECT message_id, sent_at FROM ${SENT_LOG_TABLE} WHERE namespace_id = $1 AND notification_id = $2`,
        [this.#namespaceId, notificationId],
      );
      const row = rows[0];
      return row?.message_id != null && row.sent_at != null
        ? { notificationId, messageId: row.message_id, sentAt: row.sent_at }
        : undefined;
    });
  }

  /** Closes the pool. */
  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #unavailableAs<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      // The database's error code says what went wrong; connection strings and values never go in a message.
      const code = (err as { code?: string }).code ?? 'unreachable';
      throw new SentLogUnavailableError(`the sent log database cannot be written (${code})`);
    }
  }
}

/** Reads `CPFLOW_SENT_LOG_URL`: a `postgres://` or `postgresql://` URL, named (never shown) when it is not one. */
export function sentLogDatabaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.CPFLOW_SENT_LOG_URL;
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError('CPFLOW_SENT_LOG_URL: must be a postgres:// URL of the sent log database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new TypeError('CPFLOW_SENT_LOG_URL: must be a postgres:// URL of the sent log database');
  }
  return value;
}
