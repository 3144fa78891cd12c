// Kysely's SqliteDialect calls `prepare(sql)` for every query, and compiling
// SQL was 15% of the server's CPU under load. Kysely emits the same text for
// the same query shape (values travel as parameters), so statements are kept
// by their SQL text in a bounded LRU. Safe because better-sqlite3 is
// synchronous and Kysely holds its one connection per query (or transaction),
// so a cached statement is never in use twice at once; a schema change makes
// SQLite re-prepare a statement by itself.
import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

export const STATEMENT_CACHE_MAX = 500;

/**
 * onWrite: told of every statement that may write (not read-only: INSERT … RETURNING included), just
 * before Kysely runs it, which it does synchronously after prepare() (db/data-version.ts relies on it).
 * onStatement: told of every statement, first (db/durability.ts: outside a transaction, earlier writes have settled).
 */
export function withStatementCache(
  db: SQLite.Database, max = STATEMENT_CACHE_MAX, onWrite?: (sql: string) => void, onStatement?: () => void,
): SqliteDatabase & { cached(): number } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => { cache.clear(); db.close(); },
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt) {
        // Map keeps insertion order: re-inserting marks it most recently used.
        cache.delete(sql);
        cache.set(sql, stmt);
      } else {
        stmt = db.prepare(sql);
        cache.set(sql, stmt);
        if (cache.size > max) cache.delete(cache.keys().next().value as string);
      }
      // Before the write is counted: the durability barrier (durability.ts) settles earlier writes here.
      onStatement?.();
      // BEGIN, COMMIT, SAVEPOINT … count as read-only in SQLite; every data change does not.
      if (onWrite && !stmt.readonly) onWrite(sql);
      return stmt as unknown as SqliteStatement;
    },
    cached: () => cache.size,
  };
}
