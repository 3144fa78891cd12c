// The inbox keeps its finished pages (triage/inbox-cache.ts) and each session's
// row and principal (auth/session-cache.ts) between requests. Neither may ever
// be stale: a write to any table they read, through the server's own handle or
// by another connection (another instance, a CLI tool), is seen by the very
// next request, and so is a new day; session timeouts run on every request.
// A session's seen time is kept apart (auth/session-seen.ts): moving it makes
// no other session read again, and across two instances on one database the
// idle timeout is neither laxer nor stricter than on one.
// On PostgreSQL another connection's commit counts once its notification has
// arrived (db/pg-changes.ts): `seen` waits for that, no longer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, NEVER_DUE } from '../../shared/src/domain/clock.ts';
import { buildApp } from '../src/app.ts';
import { sessionSeen, touchSession } from '../src/auth/repository.ts';
import { sha256Hex } from '../src/auth/secrets.ts';
import { IDLE_MS } from '../src/auth/session.ts';
import { sessionReads } from '../src/auth/session-cache.ts';
import { seenReads } from '../src/auth/session-seen.ts';
import { changesSeen } from '../src/db/data-version.ts';
import { createDb, type Db } from '../src/db/dialect.ts';
import { inboxPageBuilds } from '../src/triage/inbox-cache.ts';
import { dialects } from './databases.ts';
import { makeApp, writeSeen, TEST_SECRET, TODAY, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

const USER = 'nw-bcu-psu-1';
const LEAD = 'two-team-lead';
type Item = {
  caseRef: string; unread: number; clock: { kind: string | null; days: number };
  category: { id: string; label: string } | null; unit: { id: string; label: string } | null;
  team: { id: string; label: string }; assignedTo: { id: string; displayName: string } | null;
};
type Page = { cases: Item[]; next: string | null; counts: { open: number; closed: number } };

describe.each(dialects)('inbox pages and sessions kept between requests on $name', (dialect) => {
  let t: TestApp;
  let other: Db;
  let s: Session;
  let day = TODAY;
  const clock = new Clock();
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: [USER, LEAD], now: clock.now, today: () => day });
    s = await signIn(t.app, clock, USER);
    other = createDb(t.tdb.url);
    // PostgreSQL: the change feed is listening, so results are kept from here on (nothing is kept while it is not).
    await changesSeen(t.tdb.handle.db);
  }, 60_000);
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  const page = async (who: Session = s, query = ''): Promise<Page> => {
    const res = await call(t.app, who, 'GET', `/cases${query}`);
    expect(res.statusCode).toBe(200);
    return res.json() as Page;
  };
  const idOf = async (ref: string) =>
    (await other.db.selectFrom('cases').select('id').where('case_ref', '=', ref).executeTakeFirstOrThrow()).id;

  it('answers a repeated request from what it kept, reading neither the page nor the session again', async () => {
    const first = await page();
    expect(first.cases.length).toBeGreaterThan(0);
    const builds = inboxPageBuilds();
    const reads = sessionReads();
    expect(await page()).toEqual(first);
    expect(inboxPageBuilds()).toBe(builds);
    expect(sessionReads()).toBe(reads);
  });

  /** Each kind of change the page shows, made through `db`, seen by the next request. */
  const eachChange = async (db: Db['db'], tag: string) => {
    const before = await page();
    const top = before.cases[0]!;
    const id = await idOf(top.caseRef);
    // cases: a status change moves the clock's kind.
    const status = top.clock.kind === 'acknowledge' ? 'assessing' : 'received';
    await db.updateTable('cases').set({ status }).where('id', '=', id).execute();
    await writeSeen(t, db);
    expect((await page()).cases.find((c) => c.caseRef === top.caseRef)?.clock.kind).toBe(status === 'received' ? 'acknowledge' : 'feedback');
    // Labels: category, unit, team, assignee.
    if (top.category) {
      await db.updateTable('categories').set({ label: `Category ${tag}` }).where('id', '=', top.category.id).execute();
      await writeSeen(t, db);
      expect((await page()).cases[0]!.category?.label).toBe(`Category ${tag}`);
    }
    if (top.unit) {
      await db.updateTable('units').set({ label: `Unit ${tag}` }).where('id', '=', top.unit.id).execute();
      await writeSeen(t, db);
      expect((await page()).cases[0]!.unit?.label).toBe(`Unit ${tag}`);
    }
    await db.updateTable('teams').set({ label: `Team ${tag}` }).where('id', '=', top.team.id).execute();
    await writeSeen(t, db);
    expect((await page()).cases[0]!.team.label).toBe(`Team ${tag}`);
    await db.updateTable('cases').set({ assigned_to: USER }).where('id', '=', id).execute();
    await writeSeen(t, db);
    expect((await page()).cases[0]!.assignedTo?.id).toBe(USER);
    await db.updateTable('staff').set({ display_name: `Officer ${tag}` }).where('id', '=', USER).execute();
    await writeSeen(t, db);
    expect((await page()).cases[0]!.assignedTo?.displayName).toBe(`Officer ${tag}`);
    // messages and case_reads: a reporter message is unread until this user's read marker passes it.
    const n = Number((await db.selectFrom('messages').select((eb) => eb.fn.max('n').as('n')).where('case_id', '=', id).executeTakeFirst())?.n ?? 0) + 1;
    await db.insertInto('messages').values({ n, id: `m-${tag}`, case_id: id, sender: 'reporter', on: TODAY, nonce: 'AA', ct: 'AA' }).execute();
    await writeSeen(t, db);
    const unread = (await page()).cases[0]!.unread;
    expect(unread).toBeGreaterThan(0);
    // An INSERT or UPDATE names its table (a DELETE moves every token on SQLite, so it would prove less).
    const marker = await db.selectFrom('case_reads').select('read_n').where('case_id', '=', id).where('staff_id', '=', USER).executeTakeFirst();
    if (marker) await db.updateTable('case_reads').set({ read_n: n }).where('case_id', '=', id).where('staff_id', '=', USER).execute();
    else await db.insertInto('case_reads').values({ case_id: id, staff_id: USER, read_n: n }).execute();
    await writeSeen(t, db);
    expect((await page()).cases[0]!.unread).toBe(0);
    // case_conflicts: recused, the case leaves the list (and the counts).
    await db.insertInto('case_conflicts').values({ case_id: id, staff_id: USER, knows_people: 1, on: TODAY }).execute();
    await writeSeen(t, db);
    const recused = await page();
    expect(recused.cases.map((c) => c.caseRef)).not.toContain(top.caseRef);
    expect(recused.counts.open + recused.counts.closed).toBe(before.counts.open + before.counts.closed - 1);
    await db.deleteFrom('case_conflicts').where('case_id', '=', id).execute();
    await writeSeen(t, db);
    expect((await page()).cases.map((c) => c.caseRef)).toContain(top.caseRef);
    // case_keys: without this user's wrap the case is not theirs to see.
    const wraps = await db.selectFrom('case_keys').selectAll().where('case_id', '=', id).where('recipient_id', '=', USER).execute();
    await db.deleteFrom('case_keys').where('case_id', '=', id).where('recipient_id', '=', USER).execute();
    await writeSeen(t, db);
    expect((await page()).cases.map((c) => c.caseRef)).not.toContain(top.caseRef);
    await db.insertInto('case_keys').values(wraps).execute();
    await writeSeen(t, db);
    expect((await page()).cases.map((c) => c.caseRef)).toContain(top.caseRef);
    // And closing it for good moves it to the other tab.
    await db.updateTable('cases').set({ next_due_on: NEVER_DUE, welfare_on: null }).where('id', '=', id).execute();
    await writeSeen(t, db);
    expect((await page(s, '?tab=closed')).cases.map((c) => c.caseRef)).toContain(top.caseRef);
    expect((await page(s, '?tab=open')).cases.map((c) => c.caseRef)).not.toContain(top.caseRef);
  };

  it('sees every change through the same handle at once', async () => {
    await eachChange(t.tdb.handle.db, 'here');
  });

  it('sees every change committed by another connection (another instance or a CLI tool) at once', async () => {
    await eachChange(other.db, 'there');
  });

  it('counts the clocks to the new day once the day changes', async () => {
    const before = (await page()).cases.find((c) => c.clock.kind !== null)!;
    day = addDays(TODAY, 1);
    try {
      expect((await page()).cases.find((c) => c.caseRef === before.caseRef)?.clock.days).toBe(before.clock.days - 1);
    } finally {
      day = TODAY;
    }
  });

  it.each(['here', 'there'])('sees a team membership change made %s on the next request', async (where) => {
    const db = where === 'here' ? t.tdb.handle.db : other.db;
    const lead = await signIn(t.app, clock, LEAD);
    const teamsOf = async () => {
      const res = await call(t.app, lead, 'GET', '/auth/session');
      expect(res.statusCode).toBe(200);
      return (res.json() as { staff: { teams: { id: string }[] } }).staff.teams.map((x) => x.id);
    };
    const teams = await teamsOf();
    expect(teams.length).toBeGreaterThan(1);
    await page(lead);
    const gone = teams[0]!;
    const row = await db.selectFrom('team_members').selectAll().where('staff_id', '=', LEAD).where('team_id', '=', gone).executeTakeFirstOrThrow();
    // An UPDATE names its table (a DELETE moves every token on SQLite, so it would prove less).
    await db.updateTable('team_members').set({ staff_id: USER }).where('staff_id', '=', LEAD).where('team_id', '=', gone).execute();
    await writeSeen(t, db);
    try {
      expect(await teamsOf()).not.toContain(gone);
    } finally {
      await db.updateTable('team_members').set({ staff_id: LEAD }).where('staff_id', '=', USER).where('team_id', '=', row.team_id).execute();
      await writeSeen(t, db);
    }
    expect(await teamsOf()).toContain(gone);
  });

  it('enforces the idle and absolute timeouts on a kept session', async () => {
    const a = await signIn(t.app, clock, USER);
    await page(a);
    // Kept session, no write since: the idle timeout still ends it.
    clock.advance(31 * 60_000);
    expect((await call(t.app, a, 'GET', '/cases')).statusCode).toBe(401);
    // Absolute: requests every 20 minutes keep it from idling, 12 hours end it.
    const b = await signIn(t.app, clock, USER);
    for (let i = 0; i < 35; i++) {
      clock.advance(20 * 60_000);
      expect((await call(t.app, b, 'GET', '/cases')).statusCode).toBe(200);
    }
    clock.advance(21 * 60_000);
    expect((await call(t.app, b, 'GET', '/cases')).statusCode).toBe(401);
  });

  it("moves one session's seen time without making any other kept session read again", async () => {
    const a = await signIn(t.app, clock, USER);
    const b = await signIn(t.app, clock, USER);
    await page(a);
    await page(b);
    // PostgreSQL: the sign-ins' own notifications are in, so nothing but what follows moves a token.
    await changesSeen(t.tdb.handle.db);
    await page(a);
    await page(b);
    const reads = sessionReads();
    clock.advance(2 * 60_000);
    await page(a); // a's seen time moves
    await page(b); // still kept; b's seen time moves
    await page(a);
    expect(sessionReads()).toBe(reads);
    for (const x of [a, b]) expect(await sessionSeen(other.db, sha256Hex(x.cookie.split('=')[1]!))).toBe(clock.ms);
  });

  /** A second instance on the same database: its own handle, session cache and seen times. */
  const secondInstance = async () => {
    const handle = createDb(t.tdb.url);
    const app = await buildApp({ db: handle.db, clientDist: null, today: () => day, now: clock.now, secret: TEST_SECRET, reshuffleEveryMs: 0, purgeEveryMs: 0 });
    await changesSeen(handle.db);
    return { app, db: handle.db, close: async () => { await app.close(); await handle.close(); } };
  };
  const status = async (app: TestApp['app'], who: Session) => (await call(app, who, 'GET', '/cases')).statusCode;
  const hashOf = (x: Session) => sha256Hex(x.cookie.split('=')[1]!);

  it('keeps a session alive through one instance while another holds its old row, and ends it on both once idle', async () => {
    const b = await secondInstance();
    try {
      // Alive: requests every 20 minutes through this instance only; the other's kept row says the start.
      const s1 = await signIn(t.app, clock, USER);
      expect([await status(t.app, s1), await status(b.app, s1)]).toEqual([200, 200]);
      for (let i = 0; i < 4; i++) {
        clock.advance(20 * 60_000);
        expect(await status(t.app, s1)).toBe(200);
      }
      await changesSeen(b.db);
      const asked = seenReads();
      expect(await status(b.app, s1)).toBe(200);
      // It asked the database once, and knows from then on.
      expect(seenReads()).toBe(asked + 1);
      clock.advance(5 * 60_000);
      expect(await status(b.app, s1)).toBe(200);
      expect(seenReads()).toBe(asked + 1);
      expect(await status(t.app, s1)).toBe(200);

      // Idle: seen through this instance 20 minutes in, then nothing for IDLE_MS and one millisecond.
      const x = await signIn(t.app, clock, USER);
      const y = await signIn(t.app, clock, USER);
      const w = await signIn(t.app, clock, USER);
      for (const s of [x, y, w]) expect([await status(t.app, s), await status(b.app, s)]).toEqual([200, 200]);
      clock.advance(20 * 60_000);
      for (const s of [x, y, w]) expect(await status(t.app, s)).toBe(200);
      clock.advance(IDLE_MS);
      await changesSeen(b.db);
      // Exactly IDLE_MS after its seen time a session still lives, as before (the other instance asked the database).
      expect(await status(b.app, w)).toBe(200);
      clock.advance(1);
      // Refused by the instance whose row is old (it asked the database: 30 minutes and 1 ms)...
      expect(await status(b.app, x)).toBe(401);
      // ... and by the instance that touched it last.
      expect(await status(t.app, y)).toBe(401);
      await changesSeen(b.db);
      for (const s of [x, y]) expect([await status(t.app, s), await status(b.app, s)]).toEqual([401, 401]);
      // Both ended, not just refused.
      for (const s of [x, y]) expect(await sessionSeen(other.db, hashOf(s))).toBeUndefined();

      // A seen time an older release moved in staff_sessions (or that a session had at the upgrade) still counts.
      const z = await signIn(t.app, clock, USER);
      expect([await status(t.app, z), await status(b.app, z)]).toEqual([200, 200]);
      clock.advance(2 * 60_000);
      expect(await status(t.app, z)).toBe(200); // in staff_session_seen now, and known here
      clock.advance(23 * 60_000);
      await other.db.updateTable('staff_sessions').set({ seen_ms: clock.ms }).where('id_hash', '=', hashOf(z)).execute();
      await writeSeen(t, other.db);
      await changesSeen(b.db);
      clock.advance(25 * 60_000);
      expect([await status(t.app, z), await status(b.app, z)]).toEqual([200, 200]);
    } finally {
      await b.close();
    }
  });

  it('moves a seen time forward only, and not at all for a session ended meanwhile', async () => {
    const s1 = await signIn(t.app, clock, USER);
    const id = hashOf(s1);
    await touchSession(other.db, id, clock.ms + 5000);
    await touchSession(t.tdb.handle.db, id, clock.ms + 1000);
    expect(await sessionSeen(other.db, id)).toBe(clock.ms + 5000);
    await other.db.deleteFrom('staff_sessions').where('id_hash', '=', id).execute();
    // Its seen row went with it; a touch by an instance whose kept row is stale is a no-op, not a foreign-key error.
    expect(await other.db.selectFrom('staff_session_seen').select('id_hash').where('id_hash', '=', id).execute()).toEqual([]);
    await touchSession(t.tdb.handle.db, id, clock.ms + 9000);
    expect(await other.db.selectFrom('staff_session_seen').select('id_hash').where('id_hash', '=', id).execute()).toEqual([]);
  });

  it('ends a session on every instance when it signs out on one, its seen time moved or not', async () => {
    const b = await secondInstance();
    try {
      const s1 = await signIn(t.app, clock, USER);
      const s2 = await signIn(t.app, clock, USER);
      for (const s of [s1, s2]) expect([await status(t.app, s), await status(b.app, s)]).toEqual([200, 200]);
      // Seen through this instance (it knows the time it wrote), then signed out through the other.
      clock.advance(2 * 60_000);
      expect(await status(t.app, s1)).toBe(200);
      expect((await call(b.app, s1, 'POST', '/auth/logout')).statusCode).toBeLessThan(300);
      await writeSeen(t, b.db);
      expect([await status(t.app, s1), await status(b.app, s1)]).toEqual([401, 401]);
      expect([await status(t.app, s2), await status(b.app, s2)]).toEqual([200, 200]);
      // Sign out everywhere through this one ends the session the other keeps too.
      const s3 = await signIn(b.app, clock, USER);
      expect([await status(t.app, s3), await status(b.app, s3)]).toEqual([200, 200]);
      expect((await call(t.app, s2, 'POST', '/auth/logout-everywhere')).statusCode).toBeLessThan(300);
      await changesSeen(b.db);
      for (const s of [s2, s3]) expect([await status(t.app, s), await status(b.app, s)]).toEqual([401, 401]);
    } finally {
      await b.close();
    }
  });

  it('sees sign-out, sign-out everywhere and deactivation on the next request', async () => {
    // Sign out ends this session only.
    const a = await signIn(t.app, clock, USER);
    const b = await signIn(t.app, clock, USER);
    await page(a);
    await page(b);
    expect((await call(t.app, a, 'POST', '/auth/logout')).statusCode).toBeLessThan(300);
    expect((await call(t.app, a, 'GET', '/cases')).statusCode).toBe(401);
    await page(b);
    // Sign out everywhere ends the others too.
    const c = await signIn(t.app, clock, USER);
    await page(c);
    expect((await call(t.app, b, 'POST', '/auth/logout-everywhere')).statusCode).toBeLessThan(300);
    expect((await call(t.app, b, 'GET', '/cases')).statusCode).toBe(401);
    expect((await call(t.app, c, 'GET', '/cases')).statusCode).toBe(401);
    // A session row removed by another connection (another instance signing out), then a deactivation there.
    const d = await signIn(t.app, clock, USER);
    const e = await signIn(t.app, clock, USER);
    await page(d);
    await page(e);
    await other.db.deleteFrom('staff_sessions').where('id_hash', '=', sha256Hex(d.cookie.split('=')[1]!)).execute();
    await writeSeen(t, other.db);
    expect((await call(t.app, d, 'GET', '/cases')).statusCode).toBe(401);
    await page(e);
    // Deactivation, through this handle and by another connection.
    for (const db of [t.tdb.handle.db, other.db]) {
      const f = await signIn(t.app, clock, USER);
      await page(f);
      await db.updateTable('staff').set({ deactivated_on: TODAY }).where('id', '=', USER).execute();
      await writeSeen(t, db);
      try {
        expect((await call(t.app, f, 'GET', '/cases')).statusCode).toBe(401);
      } finally {
        await db.updateTable('staff').set({ deactivated_on: null }).where('id', '=', USER).execute();
        await writeSeen(t, db);
      }
    }
  });
});
