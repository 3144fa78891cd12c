// The daily reshuffle (retention/reshuffle.ts): one row per run, the guard that makes a day's run
// happen once across instances, and on PostgreSQL the transaction-id horizon the next run starts
// from. No case id, no time finer than the day.
import { sql, type Kysely, type Migration } from 'kysely';

export function reshuffle(kind: 'sqlite' | 'postgres'): Migration {
  const big = kind === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.createTable('reshuffle_runs')
        .addColumn('day', 'text', (c) => c.primaryKey())
        // PostgreSQL: the oldest transaction still running when the run's snapshot was taken (64-bit txid),
        // and the run's own transaction id; rows written by transactions in between are rewritten next time.
        .addColumn('horizon', sql.raw(big))
        .addColumn('xid', sql.raw(big))
        .addColumn('rows', 'integer', (c) => c.notNull())
        .execute();
    },
  };
}
