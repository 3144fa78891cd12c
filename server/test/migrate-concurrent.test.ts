// Several instances starting together on a fresh PostgreSQL database: the
// migrations run once, behind an advisory lock, and waiting for that lock is
// not cut short by the statement timeout meant for requests.
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/dialect.ts';
import { migrate, MIGRATION_LOCK, migrations, migrationsCurrent } from '../src/db/migrate.ts';
import { dialects, postgres } from './databases.ts';

const hasPg = dialects.some((d) => d.name === 'postgres');

describe.runIf(hasPg)('migrations on PostgreSQL with several instances', () => {
  it('two instances migrating a fresh database at once both succeed, and each migration ran once', async () => {
    const tdb = await postgres.create();
    const other = createDb(tdb.url);
    try {
      expect(await migrationsCurrent(tdb.handle.db)).toBe(false);
      await Promise.all([migrate(tdb.handle), migrate(other), migrate(tdb.handle)]);
      const rows = await tdb.handle.db.selectFrom('kysely_migration' as never).select('name' as never).execute() as { name: string }[];
      expect(rows.map((r) => r.name).sort()).toEqual(Object.keys(migrations('postgres')).sort());
      expect(await migrationsCurrent(other.db)).toBe(true);
    } finally {
      await other.close();
      await tdb.cleanup();
    }
  });

  it('an instance waits for the lock longer than its statement timeout, then finds the work done', async () => {
    const tdb = await postgres.create();
    const short = createDb(tdb.url, { statementTimeoutMs: 300 });
    const holder = new pg.Client({ connectionString: tdb.url });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
      let done = false;
      const waiting = migrate(short).then(() => { done = true; });
      await new Promise((r) => setTimeout(r, 1000));
      expect(done).toBe(false); // really held up by the lock
      await holder.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
      await waiting;
      expect(await migrationsCurrent(short.db)).toBe(true);
      // The pooled connection that migrated is back on the request timeout.
      const timeout = await sql<{ statement_timeout: string }>`SHOW statement_timeout`.execute(short.db);
      expect(timeout.rows[0]?.statement_timeout).toBe('300ms');
    } finally {
      await holder.end();
      await short.close();
      await tdb.cleanup();
    }
  });
});
