// The few differences between SQLite and PostgreSQL live here and in the
// migration's id column. Binary values are base64url text everywhere: it is
// what the wire carries, it reads the same in both dialects, and a database
// dump shows at a glance that only ciphertext is held.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';
import { registerChangeToken, registerSync, SqliteGenerations } from './data-version.ts';
import { registerCheckpointer, startCheckpointer } from './checkpointer.ts';
import { DurabilityBarrier, registerBarrier, type SyncFs } from './durability.ts';
import { PgChangeFeed } from './pg-changes.ts';
import { resilientPool } from './pool.ts';
import { withStatementCache } from './statement-cache.ts';
import { isDatabaseUnavailable } from './unavailable.ts';

export type DialectKind = 'sqlite' | 'postgres';

export interface Db {
  db: Kysely<Database>;
  kind: DialectKind;
  /** SQLite file path (null for PostgreSQL). */
  file: string | null;
  close(): Promise<void>;
}

export function sqlitePath(url: string): string | null {
  if (/^postgres(ql)?:\/\//.test(url)) return null;
  if (url.startsWith('sqlite://')) return url.slice('sqlite://'.length);
  if (url.startsWith('sqlite:')) return url.slice('sqlite:'.length);
  return url;
}

export interface DbOptions {
  /** PostgreSQL pool size. */
  poolMax?: number;
  /** Giving up on opening a connection, or on waiting for a free one. */
  connectTimeoutMs?: number;
  /**
   * Longest statement, enforced by the server (statement_timeout) and, 1 s later, by the client
   * (a partitioned server never answers); SQLite's busy_timeout. 0 = none (tools, migrations).
   */
  statementTimeoutMs?: number;
  /** Idle pooled connections are closed after this long. */
  idleTimeoutMs?: number;
  /** Connection-level errors outside any request (an idle connection ended): log them, never crash. */
  onError?: (err: Error) => void;
  /**
   * SQLite only. 'full' (the default, for tools): synchronous=FULL, a commit is on disk when it
   * returns. 'barrier' (the server): synchronous=NORMAL plus the durability barrier (durability.ts), which
   * syncs the WAL off the event loop; whatever acknowledges a write must wait for it (plugins/durability.ts).
   */
  durability?: 'full' | 'barrier';
  /** Tests: what the barrier does to the disk. */
  syncFs?: SyncFs;
}

/** For serving requests: a database fault becomes a 503 well within 5 s (see docs/OPERATIONS.md). */
export const DB_DEFAULTS = { poolMax: 10, connectTimeoutMs: 2000, statementTimeoutMs: 3000, idleTimeoutMs: 10_000 } as const;

export function createDb(url: string, opts: DbOptions = {}): Db {
  const o = { ...DB_DEFAULTS, ...opts };
  const file = sqlitePath(url);
  if (file === null) {
    const pool = new pg.Pool({
      connectionString: url,
      max: o.poolMax,
      connectionTimeoutMillis: o.connectTimeoutMs,
      idleTimeoutMillis: o.idleTimeoutMs,
      // A transaction left open by a dead client must not hold the audit_log lock for long.
      idle_in_transaction_session_timeout: 10_000,
      keepAlive: true,
      ...(o.statementTimeoutMs > 0 ? { statement_timeout: o.statementTimeoutMs, query_timeout: o.statementTimeoutMs + 1000 } : {}),
    });
    const onError = opts.onError ?? (() => undefined);
    // Started on the first token asked for (a server's caches), so CLI tools open no extra connection.
    const feed = new PgChangeFeed(url, o.connectTimeoutMs, (err) => onError(err));
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: resilientPool(pool, (err) => onError(err), (tables) => feed.committed(tables)) }),
    });
    registerChangeToken(db, async (tables) => feed.token(tables));
    registerSync(db, (timeoutMs) => feed.sync(timeoutMs));
    return { db, kind: 'postgres', file: null, close: async () => { await feed.stop(); await db.destroy(); } };
  }
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file, { timeout: o.statementTimeoutMs > 0 ? o.statementTimeoutMs : 60_000 });
  // WAL for concurrent readers. A 201 means the report is on disk: with synchronous=FULL because each
  // COMMIT syncs the WAL; with the barrier because every answer waits for a WAL sync after its commits.
  sqlite.pragma('journal_mode = WAL');
  const barrier = o.durability === 'barrier' && file !== ':memory:'
    ? new DurabilityBarrier(`${file}-wal`, file, () => sqlite.inTransaction, opts.syncFs) : undefined;
  sqlite.pragma(barrier ? 'synchronous = NORMAL' : 'synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // Prepared once: pragma() prepares its statement on every call, and the change token asks on every
  // status check (case/view-cache.ts). A prepared PRAGMA reads the current value each time it runs.
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const generations = new SqliteGenerations(() => dataVersion.get() as number);
  const onWrite = barrier ? (s: string) => { generations.wrote(s); barrier.wrote(); } : (s: string) => generations.wrote(s);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, undefined, onWrite, barrier && (() => barrier.ran())) }) });
  registerChangeToken(db, async (tables) => generations.token(tables));
  if (!barrier) return { db, kind: 'sqlite', file, close: () => db.destroy() };
  registerBarrier(db, barrier);
  // Checkpoints in a worker thread, not inside commits on the event loop (checkpointer.ts).
  sqlite.pragma('wal_autocheckpoint = 0');
  const checkpointer = startCheckpointer(file, (err) => {
    sqlite.pragma('wal_autocheckpoint = 1000');
    opts.onError?.(err);
  });
  registerCheckpointer(db, checkpointer);
  // Sync what is left before closing: a caller that did not wait (a background job) still gets its writes on disk.
  return {
    db, kind: 'sqlite', file,
    close: async () => { await checkpointer.stop(); await barrier.wait().catch(() => undefined); await barrier.close(); await db.destroy(); },
  };
}

/** Unique-constraint violation, in either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * The database answered a statement with an error of the statement itself (a constraint, bad data,
 * a serialisation failure): it was not carried out, and nothing of it committed. Not when the
 * connection failed or the statement was cancelled (db/unavailable.ts): then it may have committed.
 */
export function isStatementRefused(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !isDatabaseUnavailable(err);
}

/** Whether a handle or transaction talks to PostgreSQL (else SQLite): for the few statements the dialects need apart. */
export const isPostgres = (db: Kysely<Database> | Transaction<Database>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/** COUNT(*) comes back as a bigint string from pg and a number from SQLite. */
export const toCount = (v: unknown): number => Number(v ?? 0);
