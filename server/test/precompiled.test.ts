// db/precompiled.ts: a query compiled once gives the rows the built query gives,
// with each call's own arguments, inside a transaction too; a builder whose shape
// depends on its arguments is refused rather than run with the wrong SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompiled, shapedQuery } from '../src/db/precompiled.ts';
import { migrate } from '../src/db/migrate.ts';
import { dialects, type TestDb } from './databases.ts';

describe.each(dialects)('precompiled queries on $name', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await dialect.create();
    await migrate(t.handle);
    await t.handle.db.insertInto('settings').values([{ key: 'a', value: '1' }, { key: 'b', value: '2' }]).execute();
  }, 60_000);
  afterAll(async () => { await t?.cleanup(); });

  const byKey = precompiled((db, key: string) => db.selectFrom('settings').select(['key', 'value']).where('key', '=', key));

  it('answers each call with its own arguments, on the handle and in a transaction', async () => {
    const db = t.handle.db;
    expect(await byKey(db, 'a')).toEqual([{ key: 'a', value: '1' }]);
    expect(await byKey(db, 'b')).toEqual([{ key: 'b', value: '2' }]);
    expect(await byKey(db, 'none')).toEqual([]);
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('settings').set({ value: '3' }).where('key', '=', 'a').execute();
      expect(await byKey(tx, 'a')).toEqual([{ key: 'a', value: '3' }]);
    });
    expect(await byKey(db, 'a')).toEqual([{ key: 'a', value: '3' }]);
  });

  it('refuses a builder that did not take every argument as a parameter', async () => {
    const shaped = precompiled((db, key: string) => (typeof key === 'string' ? db.selectFrom('settings').selectAll().where('key', '=', key) : db.selectFrom('settings').selectAll()));
    const constant = precompiled((db, _key: string) => db.selectFrom('settings').selectAll().where('key', '=', 'a'));
    await expect(constant(t.handle.db, 'b')).rejects.toThrow(/took 0 of 1/);
    // A builder that branches on the value sees a placeholder at compile time: it took the other branch.
    await expect(shaped(t.handle.db, 'a')).rejects.toThrow(/took 0 of 1/);
  });

  it('keeps one compiled query per named shape, each call with its own values', async () => {
    const db = t.handle.db;
    const keys = (list: string[]) => shapedQuery(db, `test keys ${list.length}`, list, (slot) =>
      db.selectFrom('settings').select('key').where('key', 'in', list.map((_, i) => slot(i) as string)).orderBy('key'));
    expect(await keys(['a'])).toEqual([{ key: 'a' }]);
    expect(await keys(['b'])).toEqual([{ key: 'b' }]);
    expect(await keys(['a', 'b'])).toEqual([{ key: 'a' }, { key: 'b' }]);
    expect(await keys(['b', 'none'])).toEqual([{ key: 'b' }]);
    // A value the builder did not place is refused rather than silently dropped.
    await expect(shapedQuery(db, 'test unused', ['a', 'b'], (slot) => db.selectFrom('settings').selectAll().where('key', '=', slot(0) as string)))
      .rejects.toThrow(/took 1 of 2/);
  });
});
