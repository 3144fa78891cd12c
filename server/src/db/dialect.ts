// The few differences between SQLite and PostgreSQL live here and in the
// migration's id column. Binary values are base64url text everywhere: it is
// what the wire carries, it reads the same in both dialects, and a database
// dump shows at a glance that only ciphertext is held.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';
import { withStatementCache } from './statement-cache.ts';

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

export function createDb(url: string): Db {
  const file = sqlitePath(url);
  if (file === null) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', file: null, close: () => db.destroy() };
  }
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL for concurrent readers; synchronous=FULL so a 201 means the report is on disk.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, kind: 'sqlite', file, close: () => db.destroy() };
}

/** Unique-constraint violation, in either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** COUNT(*) comes back as a bigint string from pg and a number from SQLite. */
export const toCount = (v: unknown): number => Number(v ?? 0);
