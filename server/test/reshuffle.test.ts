// The daily reshuffle (issue #11): two reports a minute apart, with a staff action between them.
// Before the job the database engine's own bookkeeping orders them (PostgreSQL: xmin and ctid;
// SQLite: where their pages lie in the file); after it nothing does, at less than a day. Every token
// still opens its case, staff still open it, receipts still match, the audit chain verifies; the
// job is idempotent and safe with two instances running it at once.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseView, sealMessage } from '../../shared/src/crypto/index.ts';
import { receiptText, type Receipt } from '../../shared/src/crypto/receipt.ts';
import { auditEntries } from '../src/audit/log.ts';
import { verifyAnchored } from '../src/audit/verify.ts';
import { findByRef } from '../src/case/repository.ts';
import { createDb } from '../src/db/dialect.ts';
import { reshuffle, type ReshuffleContext } from '../src/retention/reshuffle.ts';
import { plan } from '../src/retention/reshuffle-pg.ts';
import { serverKeys } from '../src/server-keys.ts';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/database.ts';
import { dialects } from './databases.ts';
import { makeApp, postMessage, postReport, sealFor, TEST_SECRET, TODAY, type Sealed, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

interface Filed { ref: string; id: number; sealed: Sealed; receipt: Receipt }

/** Tables holding a case's rows by case_id that a report writes. */
const CASE_TABLES = ['case_keys', 'case_history'] as const;

/** After makeApp (libsodium ready). */
const keysOf = () => serverKeys(TEST_SECRET);
const ctxOf = (db: Kysely<Database>, day: string, now: () => number): ReshuffleContext => ({ db, today: () => day, now, serverKeys: keysOf() });

describe.each(dialects)('daily reshuffle on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  let officer: Session;
  let a: Filed;
  let b: Filed;
  const db = () => t.tdb.handle.db;

  const file = async (text: string): Promise<Filed> => {
    const sealed = await sealFor(t.app, { mode: 'anonymous', category: 'bullying', unit: 'nw-cid', report: { narrative: `${text} ${'Long enough to spill over a page. '.repeat(250)}` } });
    const res = await postReport(t.app, sealed.body);
    expect(res.statusCode).toBe(201);
    const out = res.json() as { caseRef: string; receipt: Receipt };
    return { ref: out.caseRef, id: (await findByRef(db(), out.caseRef))!.id, sealed, receipt: out.receipt };
  };

  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: ['nw-bcu-psu-1'], now: clock.now, purgeEveryMs: 0 });
    officer = await signIn(t.app, clock, 'nw-bcu-psu-1');
    if (dialect.name === 'postgres') {
      // No background vacuum in this throwaway database: it would put free space in the map, and the
      // re-inserted rows would fill it, still in id order but not strictly after one another, which
      // is what the ctid check below compares against.
      const p = await db().transaction().execute((tx) => plan(tx));
      for (const table of p.tables) await sql`ALTER TABLE ${sql.id(table)} SET (autovacuum_enabled = false)`.execute(db());
    }
    a = await file('First report of the day.');
    // The staff action between the two reports: an audited open of the first case.
    clock.advance(30_000);
    expect((await call(t.app, officer, 'GET', `/cases/${a.ref}`)).statusCode).toBe(200);
    // The second report a minute later; filed again until its random id is below the first's, so
    // that key order is the reverse of arrival order and the test can tell the two apart.
    for (let i = 0; i < 40; i++) {
      clock.advance(60_000);
      b = await file(`Second report, try ${i}.`);
      if (b.id < a.id) break;
    }
    expect(b.id).toBeLessThan(a.id);
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  const staffRead = async () => (await auditEntries(db(), { action: 'case.open', caseRef: a.ref })).at(-1)!;

  if (dialect.name === 'postgres') {
    it('covers every table a reporter writes, found from the foreign keys', async () => {
      const p = await db().transaction().execute((tx) => plan(tx));
      expect([...p.tables].sort()).toEqual([
        'attachment_chunks', 'case_conflicts', 'case_history', 'case_keys', 'case_reads', 'case_referrals', 'cases',
        'internal_keys', 'messages', 'notes', 'record_entries', 'records', 'referral_alerts', 'reporter_keys', 'survey_answers', 'uploads',
      ]);
    });

    const xminOf = async (table: string, where: string, value: number | string): Promise<bigint[]> =>
      (await sql<{ x: string }>`SELECT xmin::text AS x FROM ${sql.id(table)} WHERE ${sql.id(where)} = ${value}`.execute(db())).rows.map((r) => BigInt(r.x));
    /** The case ids of a table's rows for the two cases, in physical (ctid) order. */
    const physical = async (table: string, column: string): Promise<number[]> =>
      (await sql<{ id: number }>`SELECT ${sql.id(column)} AS id FROM ${sql.id(table)} WHERE ${sql.id(column)} IN (${a.id}, ${b.id}) ORDER BY ctid`.execute(db())).rows.map((r) => r.id);
    const runs = (ids: number[]) => ids.filter((x, i) => i === 0 || ids[i - 1] !== x);

    it('leaves no order in xmin or ctid between the two reports, or against the staff action between them', async () => {
      const seqOfRead = (await staffRead()).seq;
      const readXmin = (await xminOf('audit_log', 'seq', seqOfRead))[0]!;
      // Before: the engine orders them, and places the staff action between them.
      const [xa] = await xminOf('cases', 'id', a.id);
      const [xb] = await xminOf('cases', 'id', b.id);
      expect(xa! < readXmin && readXmin < xb!).toBe(true);
      expect(await physical('cases', 'id')).toEqual([a.id, b.id]);

      const r = await reshuffle(ctxOf(db(), TODAY, clock.now));
      expect(r).toMatchObject({ ran: true, day: TODAY, vacuumed: true });
      if (!r.ran) throw new Error('not run');
      expect(r.rows).toBeGreaterThan(0);

      // After: every row of both cases, in every table, carries one xmin, later than the staff action's.
      const all = [
        ...(await xminOf('cases', 'id', a.id)), ...(await xminOf('cases', 'id', b.id)),
        ...(await Promise.all(CASE_TABLES.flatMap((tb) => [xminOf(tb, 'case_id', a.id), xminOf(tb, 'case_id', b.id)]))).flat(),
        ...(await xminOf('case_reads', 'case_id', a.id)),
      ];
      expect(all.length).toBeGreaterThan(4);
      expect(new Set(all).size).toBe(1);
      expect(all[0]! > readXmin).toBe(true);
      // Physical order follows the random ids (b below a), the reverse of arrival.
      expect(await physical('cases', 'id')).toEqual([b.id, a.id]);
      for (const tb of CASE_TABLES) expect(runs(await physical(tb, 'case_id'))).toEqual([b.id, a.id]);
      // The staff action's own rows keep their time (staff actions may): the audit entry is untouched.
      expect((await xminOf('audit_log', 'seq', seqOfRead))[0]).toBe(readXmin);
    });
  } else {
    // SQLite keeps no transaction ids, and keys are random; but pages are taken as rows arrive, so
    // where a report's bytes lie in the file follows arrival. Found here by searching the file.
    const offsetOf = async (f: Filed): Promise<number> => {
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db());
      const ct = (await db().selectFrom('cases').select('report_ct').where('id', '=', f.id).executeTakeFirstOrThrow()).report_ct ?? '';
      // The tail of a report longer than a page lies on its last overflow page.
      expect(ct.length).toBeGreaterThan(8192); // two 4 KiB pages
      const at = readFileSync(t.tdb.url).indexOf(Buffer.from(ct.slice(-64)));
      expect(at).toBeGreaterThan(0);
      return at;
    };

    it('lays the reports out in random-id order, not arrival order', async () => {
      expect(await offsetOf(a)).toBeLessThan(await offsetOf(b));
      const r = await reshuffle(ctxOf(db(), TODAY, clock.now));
      expect(r).toMatchObject({ ran: true, day: TODAY, vacuumed: true });
      expect(await offsetOf(b)).toBeLessThan(await offsetOf(a));
      // No free page keeps an old copy: the file was rebuilt.
      expect(Number((await sql<{ freelist_count: number }>`PRAGMA freelist_count`.execute(db())).rows[0]!.freelist_count)).toBe(0);
    });
  }

  it('changes nothing a reporter, staff, a receipt or the audit chain relies on', async () => {
    for (const f of [a, b]) {
      const view = await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: f.sealed.session.authorization } });
      expect(view.statusCode).toBe(200);
      expect(openCaseView(f.sealed.session, view.json()).caseKey).toBeTruthy();
      expect((await call(t.app, officer, 'GET', `/cases/${f.ref}`)).statusCode).toBe(200);
      const check = await call(t.app, officer, 'POST', `/cases/${f.ref}/receipt-check`, { receipt: receiptText(f.receipt) });
      expect(check.json()).toEqual({ match: true, result: 'match', record: { kind: 'report', on: TODAY } });
    }
    expect(await verifyAnchored(db(), { trusted: [keysOf().auditSigner.publicKey] })).toMatchObject({ ok: true });
    const entries = await auditEntries(db(), { action: 'retention.reshuffle' });
    expect(entries.map((e) => [e.actor, e.case_ref, Object.keys(JSON.parse(e.detail)).sort()]))
      .toEqual([[null, null, dialect.name === 'postgres' ? ['day', 'rows'] : ['day', 'pages']]]);
  });

  it('runs once a day however many instances run it, and again only for what changed since', async () => {
    const other = createDb(t.tdb.url);
    try {
      const again = await reshuffle(ctxOf(db(), TODAY, clock.now));
      expect(again).toEqual({ ran: false, day: TODAY, reason: 'done' });
      // The next day, two instances at once: exactly one does the work.
      const next = '2026-01-16';
      const both = await Promise.all([reshuffle(ctxOf(db(), next, clock.now)), reshuffle(ctxOf(other.db, next, clock.now))]);
      expect(both.filter((r) => r.ran)).toHaveLength(1);
      expect(both.filter((r) => !r.ran).map((r) => !r.ran && r.reason)).toEqual([expect.stringMatching(/^(done|busy)$/)]);
      expect(await auditEntries(db(), { action: 'retention.reshuffle' })).toHaveLength(2);
      expect(await verifyAnchored(db(), { trusted: [keysOf().auditSigner.publicKey] })).toMatchObject({ ok: true });
      if (dialect.name === 'postgres') {
        // Nothing written since: the next day's run rewrites nothing.
        expect(await reshuffle(ctxOf(db(), '2026-01-17', clock.now))).toMatchObject({ ran: true, rows: 0 });
        // A reporter's message on the first case only: the day after, that case is rewritten and the other is not.
        const xmins = async (id: number) => (await sql<{ x: string }>`SELECT xmin::text AS x FROM cases WHERE id = ${id}`.execute(db())).rows[0]!.x;
        const [a0, b0] = [await xmins(a.id), await xmins(b.id)];
        const { caseKey } = openCaseView(a.sealed.session, (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: a.sealed.session.authorization } })).json());
        const msg = sealMessage(caseKey, a.sealed.session.keyPair.publicKey, 'reporter', 'One more thing.');
        expect((await postMessage(t.app, a.sealed.session.authorization, msg)).statusCode).toBe(201);
        const r = await reshuffle(ctxOf(db(), '2026-01-18', clock.now));
        expect(r.ran && r.rows).toBeGreaterThan(0);
        expect(await xmins(a.id)).not.toBe(a0);
        expect(await xmins(b.id)).toBe(b0);
        expect(await verifyAnchored(db(), { trusted: [keysOf().auditSigner.publicKey] })).toMatchObject({ ok: true });
      }
      const view = await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: a.sealed.session.authorization } });
      expect(view.statusCode).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe.each(dialects)('the in-server reshuffle timer on $name', (dialect) => {
  it('runs today\'s reshuffle from the retention timer, once, and logs a count only', async () => {
    const t = await makeApp(dialect, { purgeEveryMs: 0, reshuffleEveryMs: 50 });
    try {
      await t.app.ready();
      const ran = async () => (await t.tdb.handle.db.selectFrom('reshuffle_runs').selectAll().execute()).length;
      for (let i = 0; i < 400 && (await ran()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await ran()).toBe(1);
      // Ticks go on; the day is done, so nothing more happens.
      await new Promise((r) => setTimeout(r, 300));
      expect(await ran()).toBe(1);
      expect(await auditEntries(t.tdb.handle.db, { action: 'retention.reshuffle' })).toHaveLength(1);
      const lines = t.logs.filter((l) => l.includes('reshuffle')).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toHaveLength(1);
      expect(Object.keys(lines[0]!).sort()).toEqual(['level', 'msg', 'rows', 'vacuumed']);
      expect(lines[0]).toMatchObject({ msg: 'daily reshuffle', vacuumed: true });
    } finally {
      await t.close();
    }
  }, 60_000);
});
