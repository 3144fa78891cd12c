// Migration 004 on a database that already holds cases: last_activity_on is
// backfilled from the latest dated event (history, messages, notes), to the day.
import { Migrator, type Kysely, type MigrationProvider } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../src/db/migrate.ts';
import { dialects, type TestDb } from './databases.ts';

describe.each(dialects)('migration 004 on $name', (dialect) => {
  let tdb: TestDb;
  beforeAll(async () => { tdb = await dialect.create(); });
  afterAll(async () => { await tdb?.cleanup(); });

  it('backfills last activity from history, messages and notes; leaves clocks and flags empty', async () => {
    const provider: MigrationProvider = { getMigrations: async () => migrations(tdb.handle.kind) };
    const migrator = new Migrator({ db: tdb.handle.db, provider });
    expect((await migrator.migrateTo('003_forget_avoid_own_unit')).error).toBeUndefined();
    // Before 004 the new columns do not exist, so rows go in through an untyped handle.
    const db = tdb.handle.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await db.insertInto('teams').values({ id: 't', label: 'T', central: 0 }).execute();
    await db.insertInto('categories').values({ id: 'c', label: 'C', hint: 'h', team_id: null, sort: 0 }).execute();
    const base = { mode: 'anonymous', category_id: 'c', unit_id: null, team_id: 't', report_nonce: 'n', report_ct: 'c', reporter_key: 'k', reporter_pk: 'p' };
    const days = { a: ['2025-01-01', '2025-02-01', '2025-03-01', '2025-01-15'], b: ['2025-05-01', null, null, null] } as const;
    for (const [name, [received, history, message, note]] of Object.entries(days)) {
      const row = await db.insertInto('cases').values({ ...base, case_ref: `RC-0000-000${name === 'a' ? 1 : 2}`, access_hash: name, status: 'received', received_on: received, next_due_on: '2025-06-01' })
        .returning('id').executeTakeFirstOrThrow();
      const id = Number(row.id);
      if (history) await db.insertInto('case_history').values({ case_id: id, status: 'acknowledged', on: history }).execute();
      if (message) await db.insertInto('messages').values({ id: 'm', case_id: id, sender: 'reporter', on: message, nonce: 'n', ct: 'c' }).execute();
      if (note) await db.insertInto('notes').values({ id: 'n', case_id: id, author_id: 's', on: note, nonce: 'n', ct: 'c' }).execute();
    }
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    // Ordered by reference: migration 010 later gives every case a new random id.
    const rows = await tdb.handle.db.selectFrom('cases').select(['case_ref', 'last_activity_on', 'closed_message_on', 'clock_from']).orderBy('case_ref').execute();
    expect(rows).toEqual([
      { case_ref: 'RC-0000-0001', last_activity_on: '2025-03-01', closed_message_on: null, clock_from: null },
      { case_ref: 'RC-0000-0002', last_activity_on: '2025-05-01', closed_message_on: null, clock_from: null },
    ]);
  });
});
