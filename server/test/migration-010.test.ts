// Migration 010 on a database that already holds cases: new random case ids
// that every referencing row follows, history/messages/notes renumbered per
// case in their old order, read markers moved onto the per-case counter.
import { Migrator, sql, type Kysely, type MigrationProvider } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../src/db/migrate.ts';
import { dialects, type TestDb } from './databases.ts';

describe.each(dialects)('migration 010 on $name', (dialect) => {
  let tdb: TestDb;
  beforeAll(async () => { tdb = await dialect.create(); });
  afterAll(async () => { await tdb?.cleanup(); });

  it('renumbers per case in the old order, gives cases random ids and keeps every reference', async () => {
    const provider: MigrationProvider = { getMigrations: async () => migrations(tdb.handle.kind) };
    const migrator = new Migrator({ db: tdb.handle.db, provider, allowUnorderedMigrations: true });
    expect((await migrator.migrateTo('009_failed_sign_ins')).error).toBeUndefined();
    // Before 010 the columns differ, so rows go in through an untyped handle.
    const db = tdb.handle.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await db.insertInto('teams').values({ id: 't', label: 'T', central: 0 }).execute();
    await db.insertInto('categories').values({ id: 'c', label: 'C', hint: 'h', team_id: null, sort: 0 }).execute();
    const base = { mode: 'anonymous', category_id: 'c', unit_id: null, team_id: 't', report_nonce: 'n', report_ct: 'c', reporter_key: 'k', reporter_pk: 'p', status: 'received', received_on: '2025-01-01', next_due_on: '2025-01-08' };
    const old: number[] = [];
    for (const name of ['a', 'b']) {
      const row = await db.insertInto('cases').values({ ...base, case_ref: `RC-0000-000${name === 'a' ? 1 : 2}`, access_hash: name }).returning('id').executeTakeFirstOrThrow();
      old.push(Number(row.id));
    }
    const [a, b] = old as [number, number];
    // Interleaved across the two cases, as global counters saw them.
    const msg = (case_id: number, id: string) => db.insertInto('messages').values({ id, case_id, sender: 'reporter', on: '2025-01-02', nonce: 'n', ct: id }).execute();
    await msg(a, 'a1'); await msg(b, 'b1'); await msg(a, 'a2'); await msg(b, 'b2'); await msg(a, 'a3');
    for (const [id, s] of [[a, 'received'], [b, 'received'], [a, 'acknowledged']] as const) await db.insertInto('case_history').values({ case_id: id, status: s, on: '2025-01-02' }).execute();
    await db.insertInto('notes').values({ id: 'nb', case_id: b, author_id: 's', on: '2025-01-03', nonce: 'n', ct: 'nb' }).execute();
    await db.insertInto('case_keys').values({ case_id: b, recipient_id: 'r', kind: 'recovery', sealed: 'w', identity: 0 }).execute();
    // A marker after a2 (global seq 3) on case a; after everything on case b.
    const seqOf = async (id: string) => Number((await db.selectFrom('messages').select('seq').where('id', '=', id).executeTakeFirstOrThrow()).seq);
    await db.insertInto('case_reads').values({ case_id: a, staff_id: 's', read_seq: await seqOf('a2') }).execute();
    await db.insertInto('case_reads').values({ case_id: b, staff_id: 's', read_seq: await seqOf('a3') }).execute();

    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const typed = tdb.handle.db;
    const cases = await typed.selectFrom('cases').select(['id', 'case_ref', 'last_n']).orderBy('case_ref').execute();
    const [na, nb] = cases.map((c) => c.id) as [number, number];
    expect(new Set([na, nb, a, b]).size).toBe(4); // both ids replaced, by distinct new ones
    expect(cases.map((c) => c.last_n)).toEqual([3, 2]);
    const msgs = await typed.selectFrom('messages').select(['case_id', 'n', 'ct']).orderBy('ct').execute();
    expect(msgs).toEqual([
      { case_id: na, n: 1, ct: 'a1' }, { case_id: na, n: 2, ct: 'a2' }, { case_id: na, n: 3, ct: 'a3' },
      { case_id: nb, n: 1, ct: 'b1' }, { case_id: nb, n: 2, ct: 'b2' },
    ]);
    const hist = await typed.selectFrom('case_history').select(['case_id', 'n', 'status']).orderBy('case_id').orderBy('n').execute();
    expect(hist.filter((h) => h.case_id === na)).toEqual([{ case_id: na, n: 1, status: 'received' }, { case_id: na, n: 2, status: 'acknowledged' }]);
    expect(hist.filter((h) => h.case_id === nb)).toEqual([{ case_id: nb, n: 1, status: 'received' }]);
    expect(await typed.selectFrom('notes').select(['case_id', 'n']).execute()).toEqual([{ case_id: nb, n: 1 }]);
    expect(await typed.selectFrom('case_keys').select('case_id').execute()).toEqual([{ case_id: nb }]);
    const reads = await typed.selectFrom('case_reads').select(['case_id', 'read_n']).execute();
    expect(new Map(reads.map((r) => [r.case_id, r.read_n]))).toEqual(new Map([[na, 2], [nb, 2]]));
    // Foreign keys still hold, and still cascade.
    if (tdb.handle.kind === 'sqlite') expect((await sql`PRAGMA foreign_key_check`.execute(typed)).rows).toEqual([]);
    await expect(typed.insertInto('messages').values({ id: 'x', case_id: 12345, n: 1, sender: 'reporter', on: '2025-01-04', nonce: 'n', ct: 'x' }).execute()).rejects.toThrow();
    await typed.deleteFrom('cases').where('id', '=', nb).execute();
    expect(await typed.selectFrom('case_keys').selectAll().execute()).toEqual([]);
    expect((await typed.selectFrom('messages').select('ct').execute()).map((m) => m.ct).sort()).toEqual(['a1', 'a2', 'a3']);
    // (case_id, n) is the key: a repeated n in one case is refused.
    await expect(typed.insertInto('messages').values({ id: 'y', case_id: na, n: 3, sender: 'reporter', on: '2025-01-04', nonce: 'n', ct: 'y' }).execute()).rejects.toThrow();
  });
});
