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
import { isDatabaseUnavailable } from './unavailable.ts';

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

export function resilientPool(pool: pg.Pool, onError: (err: Error) => void): PostgresPool {
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
      const query = async (sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<unknown>> => {
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
