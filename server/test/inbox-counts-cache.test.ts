// The inbox's tab counts are kept between requests (triage/inbox-repository.ts,
// db/data-version.ts) and must never be stale: a write through the server's own
// handle, and a commit by another connection (another instance, a CLI tool), are
// each seen by the very next request (on PostgreSQL, the next one after its
// notification has arrived: `changesSeen` waits for that).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEVER_DUE } from '../../shared/src/domain/clock.ts';
import { changesSeen, changeToken, tableWritten } from '../src/db/data-version.ts';
import { createDb, type Db } from '../src/db/dialect.ts';
import { submitReport } from '../src/intake/service.ts';
import { dialects } from './databases.ts';
import { makeApp, sealFor, TODAY, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

const USER = 'nw-bcu-psu-1';
type Counts = { open: number; closed: number };

describe('tableWritten', () => {
  it('names the table of an INSERT or UPDATE as Kysely writes them, and nothing for a DELETE (it may cascade) or DDL', () => {
    expect(tableWritten('insert into "cases" ("id") values (?) returning *')).toBe('cases');
    expect(tableWritten('update "case_keys" set "sealed" = ? where "case_id" = ?')).toBe('case_keys');
    expect(tableWritten('insert or ignore into case_conflicts values (?)')).toBe('case_conflicts');
    expect(tableWritten('delete from "staff" where "id" = ?')).toBeNull();
    expect(tableWritten('alter table "cases" add column "x" text')).toBeNull();
  });
});

describe.each(dialects)('inbox counts kept between requests on $name', (dialect) => {
  let t: TestApp;
  let other: Db;
  let s: Session;
  const clock = new Clock();
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: [USER], now: clock.now });
    s = await signIn(t.app, clock, USER);
    other = createDb(t.tdb.url);
    await changesSeen(t.tdb.handle.db);
  }, 60_000);
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  const counts = async (): Promise<Counts> => {
    const res = await call(t.app, s, 'GET', '/cases');
    expect(res.statusCode).toBe(200);
    return (res.json() as { counts: Counts }).counts;
  };

  it('reuses the counts only while nothing they read has changed', async () => {
    const db = t.tdb.handle.db;
    const a = await changeToken(db, ['cases']);
    expect(a).not.toBeNull();
    // A read changes nothing; a write to another table leaves the cases' token alone.
    await counts();
    expect(await changeToken(db, ['cases'])).toBe(a);
    await db.insertInto('settings').values({ key: 'counts-test', value: '1' }).execute();
    expect(await changeToken(db, ['cases'])).toBe(a);
    await db.updateTable('cases').set({ status: 'received' }).where('id', '=', -1).execute();
    expect(await changeToken(db, ['cases'])).not.toBe(a);
  });

  it('sees a new case written through the same handle at once', async () => {
    const before = await counts();
    expect(await counts()).toEqual(before);
    const sealed = await sealFor(t.app, { mode: 'anonymous', category: 'bullying', unit: 'nw-cid', report: { narrative: 'new' } });
    await submitReport(t.tdb.handle.db, sealed.body, TODAY);
    expect(await counts()).toEqual({ open: before.open + 1, closed: before.closed });
  });

  it('sees a commit made by another connection (another instance or a CLI tool) at once', async () => {
    const before = await counts();
    expect(before.open).toBeGreaterThan(0);
    const row = await other.db.selectFrom('cases').select('id').where('team_id', '=', 'nw-bcu-psu')
      .where('next_due_on', '<', NEVER_DUE).orderBy('id').executeTakeFirstOrThrow();
    await other.db.updateTable('cases').set({ next_due_on: NEVER_DUE }).where('id', '=', row.id).execute();
    await changesSeen(t.tdb.handle.db);
    expect(await counts()).toEqual({ open: before.open - 1, closed: before.closed + 1 });
    // And a DELETE there (cascading to the case's wraps) too.
    await other.db.deleteFrom('cases').where('id', '=', row.id).execute();
    await changesSeen(t.tdb.handle.db);
    expect(await counts()).toEqual({ open: before.open - 1, closed: before.closed });
  });
});
