// Retention on each dialect: the administrator sets periods per outcome
// (audited, admin only); the purge turns expired closed cases into
// content-free stubs and leaves the rest alone; the reporter's token then
// answers exactly like an unknown token; the audit chain verifies and the
// oversight statistics do not move.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseView, reporterSession, sealMessage, generateToken } from '../../shared/src/crypto/index.ts';
import { auditEntries, verifyAudit } from '../src/audit/log.ts';
import { findByRef, setStatus } from '../src/case/repository.ts';
import type { Database } from '../src/db/database.ts';
import { createDb, toCount } from '../src/db/dialect.ts';
import { purgeExpired } from '../src/retention/service.ts';
import { dialects } from './databases.ts';
import { makeApp, postMessage, postReport, sealFor, TEST_SECRET, TODAY, type Sealed, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';
import { serverKeys } from '../src/server-keys.ts';

const WIPED = ['case_keys', 'internal_keys', 'messages', 'notes', 'case_reads', 'case_conflicts'] as const satisfies readonly (keyof Database)[];

describe.each(dialects)('retention on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  let admin: Session;
  let oversight: Session;
  let officer: Session;
  // expired: closed no_case_to_answer 13 months ago; recent: same outcome, 3 months ago;
  // lateMessage: closed 14 months ago, but a message after closure 2 months ago restarts its period;
  // open: never closed; noRule: closed long ago with an outcome that has no rule.
  const cases: Record<'expired' | 'recent' | 'lateMessage' | 'open' | 'noRule', { ref: string; id: number; sealed: Sealed }> = {} as never;
  const ctx = () => ({ db: t.tdb.handle.db, today: () => TODAY, now: clock.now, serverKeys: serverKeys(TEST_SECRET) });
  const rowsFor = async (table: (typeof WIPED)[number], id: number) =>
    toCount((await t.tdb.handle.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('case_id', '=', id).executeTakeFirst())?.n);
  const view = (s: Sealed) => t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: s.session.authorization } });

  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: ['admin-demo', 'oversight-demo', 'nw-bcu-psu-1'], now: clock.now, purgeEveryMs: 0 });
    admin = await signIn(t.app, clock, 'admin-demo');
    oversight = await signIn(t.app, clock, 'oversight-demo');
    officer = await signIn(t.app, clock, 'nw-bcu-psu-1');
    for (const name of ['expired', 'recent', 'lateMessage', 'open', 'noRule'] as const) {
      const sealed = await sealFor(t.app, { mode: 'named', category: 'bullying', unit: 'nw-cid', report: { narrative: `Retention ${name}` }, identity: { name: 'Ada Keep' } });
      const res = await postReport(t.app, sealed.body);
      expect(res.statusCode).toBe(201);
      const ref = res.json().caseRef as string;
      const { caseKey } = openCaseView(sealed.session, (await view(sealed)).json());
      const msg = sealMessage(caseKey, sealed.session.keyPair.publicKey, 'reporter', `About ${name}`);
      expect((await postMessage(t.app, sealed.session.authorization, msg)).statusCode).toBe(201);
      expect((await call(t.app, officer, 'GET', `/cases/${ref}`)).statusCode).toBe(200); // an audited read
      cases[name] = { ref, id: (await findByRef(t.tdb.handle.db, ref))!.id, sealed };
    }
    const db = t.tdb.handle.db;
    await setStatus(db, cases.expired.id, 'closed', { outcome: 'no_case_to_answer', on: '2024-12-01' });
    // Its message came before the closure (messages are stamped with the app's today otherwise).
    await db.updateTable('messages').set({ on: '2024-11-20' }).where('case_id', '=', cases.expired.id).execute();
    await setStatus(db, cases.recent.id, 'closed', { outcome: 'no_case_to_answer', on: '2025-10-15' });
    await setStatus(db, cases.lateMessage.id, 'closed', { outcome: 'no_case_to_answer', on: '2024-11-01' });
    await db.updateTable('messages').set({ on: '2025-11-20' }).where('case_id', '=', cases.lateMessage.id).execute();
    await setStatus(db, cases.noRule.id, 'closed', { outcome: 'management_action', on: '2020-01-01' });
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  it('lets only the administrator set periods, validates them, stores and audits each change', async () => {
    expect((await call(t.app, officer, 'GET', '/admin/retention')).statusCode).toBe(403);
    expect((await call(t.app, officer, 'POST', '/admin/retention', { outcome: 'no_case_to_answer', months: 1 })).statusCode).toBe(403);
    for (const bad of [{ outcome: 'no_case_to_answer', months: 0 }, { outcome: 'nope', months: 12 }, { outcome: 'withdrawn', months: 1.5 }, { outcome: 'withdrawn', months: 12, x: 1 }]) {
      expect((await call(t.app, admin, 'POST', '/admin/retention', bad)).statusCode).toBe(400);
    }
    const set = await call(t.app, admin, 'POST', '/admin/retention', { outcome: 'no_case_to_answer', months: 12 });
    expect(set.statusCode).toBe(200);
    expect(set.json().rules.find((r: { outcome: string }) => r.outcome === 'no_case_to_answer')).toEqual({ outcome: 'no_case_to_answer', months: 12, setOn: TODAY, setBy: 'admin-demo' });
    const listed = (await call(t.app, admin, 'GET', '/admin/retention')).json().rules;
    expect(listed.find((r: { outcome: string }) => r.outcome === 'management_action').months).toBeNull();
    const audited = await auditEntries(t.tdb.handle.db, { action: 'admin.retention_set' });
    expect(audited.map((e) => [e.actor, JSON.parse(e.detail)])).toEqual([['admin-demo', { outcome: 'no_case_to_answer', months: 12, previous: null }]]);
    // Nothing purged by setting a rule; the timer is off in this suite.
    expect((await view(cases.expired.sealed)).statusCode).toBe(200);
  });

  it('tells the administrator, before saving, how many closed cases a period would find already past it (small numbers suppressed, each asking audited)', async () => {
    const preview = (q: string, who = admin) => call(t.app, who, 'GET', `/admin/retention/preview?${q}`);
    const asked = async () => (await auditEntries(t.tdb.handle.db, { action: 'admin.retention_preview' })).map((e) => [e.actor, JSON.parse(e.detail)]);
    const auditBefore = (await auditEntries(t.tdb.handle.db)).length;
    // expired: last activity 2024-12-01; lateMessage: 2025-11-20 (its message); recent: today (its message).
    // 1 to 4 are told as '<5', so that asking with periods a month apart cannot follow one case.
    expect((await preview('key=no_case_to_answer&months=12')).json()).toEqual({ due: '<5' });
    expect((await preview('key=no_case_to_answer&months=120')).json()).toEqual({ due: 0 });
    // noRule was closed in 2020, but its message (today) restarted its period.
    expect((await preview('key=management_action&months=1')).json()).toEqual({ due: 0 });
    // Five more, closed as withdrawn long ago: from five up the number itself.
    for (let i = 0; i < 5; i++) {
      const sealed = await sealFor(t.app, { mode: 'anonymous', category: 'bullying', unit: 'nw-cid', report: { narrative: `Withdrawn ${i}` } });
      const res = await postReport(t.app, sealed.body);
      expect(res.statusCode).toBe(201);
      await setStatus(t.tdb.handle.db, (await findByRef(t.tdb.handle.db, res.json().caseRef))!.id, 'closed', { outcome: 'withdrawn', on: '2023-06-01' });
    }
    expect((await preview('key=withdrawn&months=24')).json()).toEqual({ due: 5 });
    expect((await preview('key=withdrawn&months=36')).json()).toEqual({ due: 0 });

    expect((await preview('key=no_case_to_answer&months=1', officer)).statusCode).toBe(403);
    for (const bad of ['key=nope&months=12', 'key=no_case_to_answer&months=0', 'key=no_case_to_answer&months=1.5', 'key=no_case_to_answer&months=1201', 'key=no_case_to_answer&months=012', 'key=no_case_to_answer', 'months=12', 'key=advice&months=12&x=1']) {
      const res = await preview(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
    // Each answered asking is audited with what was asked, never the answer; refused ones are not.
    expect(await asked()).toEqual([
      ['admin-demo', { key: 'no_case_to_answer', months: 12 }], ['admin-demo', { key: 'no_case_to_answer', months: 120 }],
      ['admin-demo', { key: 'management_action', months: 1 }], ['admin-demo', { key: 'withdrawn', months: 24 }], ['admin-demo', { key: 'withdrawn', months: 36 }],
    ]);
    expect((await auditEntries(t.tdb.handle.db, { action: 'admin.retention_set' }))).toHaveLength(1); // the earlier test's
    expect((await auditEntries(t.tdb.handle.db)).length).toBeGreaterThan(auditBefore);
    // Asking changes nothing else: every case is as it was.
    expect((await view(cases.lateMessage.sealed)).statusCode).toBe(200);
  });

  it('purges expired cases only, keeps a content-free stub, and leaves the audit chain and oversight counts intact', async () => {
    const db = t.tdb.handle.db;
    const statsBefore = (await call(t.app, oversight, 'GET', '/oversight/stats')).json();
    const before = await findByRef(db, cases.expired.ref);
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: reporterSession(generateToken()).authorization } });

    expect(await purgeExpired(ctx())).toEqual({ purged: 1, advice: 0, records: 0, skipped: false });

    const stub = await findByRef(db, cases.expired.ref);
    expect(stub).toMatchObject({
      case_ref: cases.expired.ref, status: 'closed', outcome: 'no_case_to_answer', category_id: 'bullying', unit_id: 'nw-cid',
      team_id: before!.team_id, received_on: before!.received_on, report_ct: '', report_nonce: '', reporter_key: '', reporter_pk: '',
      identity_ct: null, identity_nonce: null, reporter_identity_key: null, purged_on: TODAY,
    });
    expect(stub!.access_hash).not.toBe(before!.access_hash);
    for (const table of WIPED) expect(await rowsFor(table, cases.expired.id), table).toBe(0);
    expect((await db.selectFrom('case_history').selectAll().where('case_id', '=', cases.expired.id).execute()).map((h) => h.status)).toEqual(['received', 'closed']);

    // The token now gets exactly what an unknown token gets.
    const gone = await view(cases.expired.sealed);
    expect([gone.statusCode, gone.body]).toEqual([unknown.statusCode, unknown.body]);
    // Staff no longer find it either.
    expect((await call(t.app, officer, 'GET', `/cases/${cases.expired.ref}`)).statusCode).not.toBe(200);

    for (const name of ['recent', 'lateMessage', 'open', 'noRule'] as const) {
      const res = await view(cases[name].sealed);
      expect(res.statusCode, name).toBe(200);
      expect(openCaseView(cases[name].sealed.session, res.json()).messages.map((m) => m.text)).toEqual([`About ${name}`]);
      expect(await rowsFor('case_keys', cases[name].id)).toBeGreaterThan(0);
    }

    const entries = await auditEntries(db, { action: 'retention.purge' });
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]!.detail)).toEqual({ cases: [cases.expired.ref], case_keys: expect.any(Number), internal_keys: 0, messages: 1, notes: 0, case_reads: expect.any(Number), case_conflicts: 0, uploads: 0 });
    expect(entries[0]!.detail).not.toContain(before!.report_ct!.slice(0, 20));
    expect((await verifyAudit(db)).ok).toBe(true);
    expect((await call(t.app, oversight, 'GET', '/oversight/stats')).json()).toEqual(statsBefore);
  });

  it('is idempotent and safe with two purgers at once', async () => {
    await t.tdb.handle.db.updateTable('messages').set({ on: '2024-11-02' }).where('case_id', '=', cases.lateMessage.id).execute();
    const auditBefore = (await auditEntries(t.tdb.handle.db, { action: 'retention.purge' })).length;
    // A second instance on the same database, purging at the same moment (sequential on SQLite, whose writers
    // wait for each other synchronously within one process).
    const other = createDb(t.tdb.url);
    try {
      const results = dialect.name === 'postgres'
        ? await Promise.all([purgeExpired(ctx()), purgeExpired({ ...ctx(), db: other.db })])
        : [await purgeExpired(ctx()), await purgeExpired({ ...ctx(), db: other.db })];
      expect(results.reduce((n, r) => n + r.purged, 0)).toBe(1);
    } finally {
      await other.close();
    }
    expect((await view(cases.lateMessage.sealed)).statusCode).toBe(404);
    expect((await auditEntries(t.tdb.handle.db, { action: 'retention.purge' })).length).toBe(auditBefore + 1);
    expect(await purgeExpired(ctx())).toEqual({ purged: 0, advice: 0, records: 0, skipped: false });
    expect((await verifyAudit(t.tdb.handle.db)).ok).toBe(true);
  });
});
