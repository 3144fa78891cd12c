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
import pg from 'pg';
import { isDatabaseUnavailable } from './unavailable.ts';

export function resilientPool(pool: pg.Pool, onError: (err: Error) => void): PostgresPool {
  pool.on('error', (err) => onError(err));
  pool.on('connect', (client) => {
    // Errors of a checked-out client also reach its current query (if any), which fails the request.
    client.on('error', () => undefined);
  });
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let broken: Error | undefined;
      const query = async (sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<unknown>> => {
        if (broken) throw broken;
        try {
          return await client.query(sql, parameters as unknown[]) as PostgresQueryResult<unknown>;
        } catch (err) {
          if (isDatabaseUnavailable(err)) broken = err as Error;
          throw err;
        }
      };
      return {
        query: query as PostgresPoolClient['query'],
        release: () => client.release(broken ?? undefined),
      };
    },
    end: () => pool.end(),
  };
}
