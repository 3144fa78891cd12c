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

export function withStatementCache(db: SQLite.Database, max = STATEMENT_CACHE_MAX): SqliteDatabase & { cached(): number } {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => { cache.clear(); db.close(); },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit) {
        // Map keeps insertion order: re-inserting marks it most recently used.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = db.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value as string);
      return stmt;
    },
    cached: () => cache.size,
  };
}
