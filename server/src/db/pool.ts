// A node-postgres pool that survives the database going away:
// - every client carries an 'error' listener, so a backend ended by
//   pg_terminate_backend or a server restart while checked out cannot become an
//   unhandled 'error' event that kills the process; the pool's own 'error'
//   (idle clients) is reported to onError;
// - a client whose query failed for connection reasons (reset, read timeout
//   during a partition) is marked broken: further queries on it (the rollback
//   Kysely sends after a failed statement) fail at once instead of waiting for
//   another timeout, and it is destroyed on release instead of going back into
//   the pool, so the pool refills with fresh connections once the database returns.
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { tablesWritten } from './data-version.ts';
import { isDatabaseUnavailable } from './unavailable.ts';

/** Tables a commit wrote (null: unknown, e.g. a DELETE that may cascade): db/pg-changes.ts moves their generations. */
export type OnCommitted = (tables: Set<string> | null) => void;

/** What one statement does to the transaction state or the data, by its first word as Kysely sends it. */
function kindOf(sql: string): 'begin' | 'commit' | 'rollback' | 'savepoint' | 'read' | 'write' {
  const m = /^\s*(\w+)(\s+to\b)?/i.exec(sql);
  const w = m?.[1]?.toLowerCase();
  if (w === 'select' || w === 'show' || w === 'explain' || w === 'listen' || w === 'set' || w === 'reset') return 'read';
  if (w === 'begin' || w === 'start') return 'begin';
  if (w === 'commit' || w === 'end') return 'commit';
  if (w === 'rollback' || w === 'abort') return m?.[2] ? 'savepoint' : 'rollback';
  if (w === 'savepoint' || w === 'release') return 'savepoint';
  return 'write';
}

/** Named statements per connection at most; further shapes (long IN lists, batch sizes) go unnamed. */
export const NAMED_PER_CONNECTION = 300;
const names = new Map<string, string>();
/** A stable name per statement text, so each connection parses and plans a statement once. */
function nameOf(sql: string): string {
  let name = names.get(sql);
  if (name === undefined) {
    name = `rc${createHash('sha1').update(sql).digest('base64url')}`;
    if (names.size < 10_000) names.set(sql, name);
  }
  return name;
}
/** A cached plan that a schema change (another instance's migration) made unusable. */
const isStalePlan = (err: unknown): boolean => (err as { code?: string } | null)?.code === '0A000';

/**
 * Statements with parameters run as named prepared statements (Kysely sends the same text for the
 * same query shape, values apart): parsed and planned once per connection instead of every time,
 * which statement-cache.ts does for SQLite. If a schema change invalidates one, the statement runs
 * again unnamed and the connection is replaced on release.
 */
const NAMED = Symbol('named statements');

export function resilientPool(pool: pg.Pool, onError: (err: Error) => void, onCommitted: OnCommitted = () => undefined): PostgresPool {
  pool.on('error', (err) => onError(err));
  pool.on('connect', (client) => {
    // Errors of a checked-out client also reach its current query (if any), which fails the request.
    client.on('error', () => undefined);
  });
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect() as pg.PoolClient & { [NAMED]?: Set<string> };
      const named = (client[NAMED] ??= new Set());
      let broken: Error | undefined;
      let stale: Error | undefined;
      // Tables written by the open transaction (null: unknown); undefined outside a transaction.
      let tx: Set<string> | null | undefined;
      const wrote = (sql: string): Set<string> | null => {
        const t = tablesWritten(sql);
        return t === null ? null : new Set(t);
      };
      /** Runs the statement, then reports what it committed (after it returned, so the caller sees its own write). */
      const query = async (sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<unknown>> => {
        const kind = kindOf(sql);
        try {
          const r = await run(sql, parameters);
          if (kind === 'begin') tx = new Set();
          else if (kind === 'commit') {
            if (tx !== undefined) onCommitted(tx);
            tx = undefined;
          } else if (kind === 'rollback') tx = undefined;
          else if (kind === 'write') {
            if (tx === undefined) onCommitted(wrote(sql));
            else if (tx !== null) {
              const w = wrote(sql);
              if (w === null) tx = null;
              else for (const t of w) tx.add(t);
            }
          }
          return r;
        } catch (err) {
          // A failed COMMIT (or a lost connection during one) may still have committed: assume it did.
          if (kind === 'commit' || (kind === 'write' && tx === undefined)) onCommitted(null);
          if (kind === 'commit' || kind === 'rollback') tx = undefined;
          throw err;
        }
      };
      const run = async (sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<unknown>> => {
        if (broken) throw broken;
        const values = parameters as unknown[];
        const name = values.length > 0 && !stale ? nameOf(sql) : undefined;
        try {
          if (name && (named.has(name) || named.size < NAMED_PER_CONNECTION)) {
            named.add(name);
            return await client.query({ name, text: sql, values }) as PostgresQueryResult<unknown>;
          }
          return await client.query(sql, values) as PostgresQueryResult<unknown>;
        } catch (err) {
          if (isDatabaseUnavailable(err)) broken = err as Error;
          else if (name && isStalePlan(err)) {
            stale = err as Error;
            return await client.query(sql, values) as PostgresQueryResult<unknown>;
          }
          throw err;
        }
      };
      return {
        query: query as PostgresPoolClient['query'],
        release: () => client.release(broken ?? stale ?? undefined),
      };
    },
    end: () => pool.end(),
  };
}
