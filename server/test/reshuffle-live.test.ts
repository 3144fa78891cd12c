// The daily reshuffle on SQLite rebuilds the whole file (VACUUM). It runs in a worker thread with its own
// connection (db/vacuum.ts), so the server keeps answering while it runs: reads as before, and writes a
// quick 503 with Retry-After (the file's write lock is taken) rather than a frozen event loop. The worker
// is held with the write lock taken, as VACUUM holds it, so the test sees the server "during" the rebuild
// however long a real one takes; then it is let go, and the rebuild finishes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { reshuffle } from '../src/retention/reshuffle.ts';
import { serverKeys } from '../src/server-keys.ts';
import { sqlite } from './databases.ts';
import { makeApp, postReport, sealFor, TEST_SECRET, TODAY, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

describe('SQLite: the daily rebuild runs off the event loop', () => {
  let t: TestApp;
  const clock = new Clock();
  let officer: Session;
  const db = () => t.tdb.handle.db;
  const busyTimeout = async () => Number((await sql<{ timeout: number }>`PRAGMA busy_timeout`.execute(db())).rows[0]!.timeout);
  const caseCount = async () => Number((await db().selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await makeApp(sqlite, { reshuffleEveryMs: 0, signIn: ['nw-bcu-psu-1'], now: clock.now });
    officer = await signIn(t.app, clock, 'nw-bcu-psu-1');
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  it('answers reads while the file is rebuilt, refuses writes at once with a 503, and takes them again after', async () => {
    const first = await sealFor(t.app);
    expect((await postReport(t.app, first.body)).statusCode).toBe(201);
    const configured = await busyTimeout();
    expect(configured).toBeGreaterThan(0);

    const gate = new Int32Array(new SharedArrayBuffer(4));
    let held!: () => void;
    const holding = new Promise<void>((r) => { held = r; });
    let settled = false;
    const run = reshuffle({ db: db(), today: () => TODAY, now: () => Date.now(), serverKeys: serverKeys(TEST_SECRET), vacuum: { hold: { gate, held } } });
    void run.finally(() => { settled = true; });
    try {
      await holding;
      // The server's own connection waits for no lock while the rebuild runs.
      expect(await busyTimeout()).toBe(0);
      const view = await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: first.session.authorization } });
      expect(view.statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      // A staff read whose session is due a seen-time write (a write, refused now) is still answered.
      clock.advance(5 * 60_000);
      expect((await call(t.app, officer, 'GET', '/cases')).statusCode).toBe(200);

      const before = await caseCount();
      const second = await sealFor(t.app);
      const refused = await postReport(t.app, second.body);
      expect(refused.statusCode).toBe(503);
      expect(refused.json().error.code).toBe('service_unavailable');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(await caseCount()).toBe(before);
      expect(settled).toBe(false);
    } finally {
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0);
    }
    expect(await run).toMatchObject({ ran: true, day: TODAY, vacuumed: true });
    expect(await busyTimeout()).toBe(configured);
    // Rebuilt (no free page keeps an old copy), and writing again.
    expect(Number((await sql<{ freelist_count: number }>`PRAGMA freelist_count`.execute(db())).rows[0]!.freelist_count)).toBe(0);
    const again = await sealFor(t.app);
    expect((await postReport(t.app, again.body)).statusCode).toBe(201);
    expect((await call(t.app, officer, 'GET', '/cases')).statusCode).toBe(200);
  });
});
