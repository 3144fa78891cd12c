// The caches behind throughput: reference data (intake/reference-cache.ts) is
// dropped at once by a write in this process and re-read within a second of a
// write from another instance; the SQLite statement cache is bounded.
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedReference, REFERENCE_RECHECK_MS } from '../src/intake/reference-cache.ts';
import { upsertCategory } from '../src/intake/repository.ts';
import { withStatementCache } from '../src/db/statement-cache.ts';
import { dialects } from './databases.ts';
import { makeApp, type TestApp } from './helpers.ts';

const label = async (t: TestApp, now: number) =>
  (await cachedReference(t.tdb.handle.db, now)).ref.categories.find((c) => c.id === 'bullying')?.label;

describe.each(dialects)('reference cache on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => { t = await makeApp(dialect); }, 60_000);
  afterAll(async () => { await t?.close(); });

  it('serves a write through the repository at once, in this process', async () => {
    const t0 = Date.now();
    const original = await label(t, t0);
    await upsertCategory(t.tdb.handle.db, { id: 'bullying', label: 'Bullying (renamed)', hint: 'h', team_id: null, sort: 1 });
    expect(await label(t, t0 + 1)).toBe('Bullying (renamed)');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/intake' })).json().categories.find((c: { id: string }) => c.id === 'bullying').label)
      .toBe('Bullying (renamed)');
    expect(original).not.toBe('Bullying (renamed)');
  });

  it('sees another instance’s write once the version is re-read, within REFERENCE_RECHECK_MS', async () => {
    const t0 = Date.now() + 3_600_000; // after every read so far, the app's included (they use the real clock)
    const before = await label(t, t0);
    // Another instance: its writes reach this one only through the database.
    const db = t.tdb.handle.db;
    await db.updateTable('categories').set({ label: 'Changed elsewhere' }).where('id', '=', 'bullying').execute();
    await db.updateTable('settings').set({ value: 'another-version' }).where('key', '=', 'reference_version').execute();
    expect(await label(t, t0 + REFERENCE_RECHECK_MS - 1)).toBe(before);
    expect(await label(t, t0 + REFERENCE_RECHECK_MS)).toBe('Changed elsewhere');
  });
});

describe('SQLite statement cache', () => {
  it('prepares a statement once per SQL text and keeps at most `max`, least recently used out first', () => {
    const raw = new SQLite(':memory:');
    const db = withStatementCache(raw, 2);
    try {
      const a = db.prepare('SELECT 1');
      expect(db.prepare('SELECT 1')).toBe(a);
      db.prepare('SELECT 2');
      db.prepare('SELECT 1'); // most recent again
      db.prepare('SELECT 3'); // pushes out SELECT 2
      expect(db.cached()).toBe(2);
      expect(db.prepare('SELECT 1')).toBe(a);
      expect(db.prepare('SELECT 1').all([])).toEqual([{ 1: 1 }]);
    } finally {
      db.close();
    }
  });
});
