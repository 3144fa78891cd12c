// Retention of the two things that never close, on each dialect: advice requests never
// turned into a report (made content-free stubs, counted from their last message, note or
// asking) and private records never turned into one (deleted with their entries and files,
// counted from their last entry or their making). The administrator sets both (audited);
// the holder of a record sees the day it would go; the purge leaves a content-free audit
// entry and a chain that verifies, and touches nothing that is still within its period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordView } from '../../shared/src/api/record.ts';
import type { RecipientsInfo } from '../../shared/src/api/schemas.ts';
import {
  createRecord, DEMO_ORG_LABEL, demoSigningKeyPair, deriveReporterKeyPair, generateToken, openRecordView, POW_HEADER, recordSession,
  reporterSession, sealAdvice, sealRecordEntry, toB64u, type CaseToken, type CreatedRecord, type RecordSession, type ReporterSession,
} from '../../shared/src/crypto/index.ts';
import { addMonths } from '../../shared/src/domain/clock.ts';
import { auditEntries, verifyAudit } from '../src/audit/log.ts';
import { purgeExpired } from '../src/retention/service.ts';
import { serverKeys } from '../src/server-keys.ts';
import { dialects } from './databases.ts';
import { makeApp, stamp, TEST_SECRET, TODAY, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';
import { fileOf, prepare, put, start, uploadAll } from './upload-helpers.ts';

describe.each(dialects)('retention of advice requests and private records on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  let admin: Session;
  let officer: Session;
  const db = () => t.tdb.handle.db;
  const ctx = () => ({ db: db(), today: () => TODAY, now: clock.now, serverKeys: serverKeys(TEST_SECRET) });

  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: ['admin-demo', 'nw-bcu-psu-1'], now: clock.now, purgeEveryMs: 0 });
    admin = await signIn(t.app, clock, 'admin-demo');
    officer = await signIn(t.app, clock, 'nw-bcu-psu-1');
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  async function ask(question: string): Promise<{ ref: string; id: number; session: ReporterSession }> {
    const info = (await t.app.inject({ method: 'GET', url: '/api/v1/intake/advice-recipients?command=nw-bcu' })).json<RecipientsInfo>();
    const { token, body } = sealAdvice({ question }, 'nw-bcu', info, demoSigningKeyPair(DEMO_ORG_LABEL).publicKey);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/advice', payload: body, headers: { [POW_HEADER]: await stamp(t.app) } });
    expect(res.statusCode).toBe(201);
    const ref = res.json().caseRef as string;
    const row = await db().selectFrom('cases').select('id').where('case_ref', '=', ref).executeTakeFirstOrThrow();
    return { ref, id: row.id, session: reporterSession(token) };
  }
  const viewCase = (s: ReporterSession) => t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: s.authorization } });
  async function makeRecord(): Promise<CreatedRecord> {
    const rec = createRecord();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/records', payload: rec.body, headers: { [POW_HEADER]: await stamp(t.app) } });
    expect(res.statusCode).toBe(201);
    return rec;
  }
  const readRecord = (s: RecordSession) => t.app.inject({ method: 'GET', url: '/api/v1/record', headers: { authorization: s.authorization } });
  const recordId = (rec: CreatedRecord) => toB64u(rec.recordId);

  it('lets only the administrator set the two periods, refuses a body naming both or neither, and audits each change', async () => {
    const listed = (await call(t.app, admin, 'GET', '/admin/retention')).json();
    expect(listed.items).toEqual([
      { item: 'advice', months: null, setOn: null, setBy: null },
      { item: 'record', months: null, setOn: null, setBy: null },
    ]);
    expect((await call(t.app, officer, 'POST', '/admin/retention', { item: 'record', months: 6 })).statusCode).toBe(403);
    for (const bad of [
      { item: 'records', months: 6 }, { item: 'advice', months: 0 }, { item: 'advice', months: 2000 },
      { item: 'advice', outcome: 'withdrawn', months: 6 }, { months: 6 }, { item: 'record', months: 6, x: 1 },
    ]) {
      const res = await call(t.app, admin, 'POST', '/admin/retention', bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
    expect((await call(t.app, admin, 'GET', '/admin/retention')).json()).toEqual(listed);

    expect((await call(t.app, admin, 'POST', '/admin/retention', { item: 'advice', months: 6 })).statusCode).toBe(200);
    const set = await call(t.app, admin, 'POST', '/admin/retention', { item: 'record', months: 12 });
    expect(set.json().items).toEqual([
      { item: 'advice', months: 6, setOn: TODAY, setBy: 'admin-demo' },
      { item: 'record', months: 12, setOn: TODAY, setBy: 'admin-demo' },
    ]);
    // The outcome rules are untouched by them.
    expect(set.json().rules.every((r: { months: unknown }) => r.months === null)).toBe(true);
    const audited = (await auditEntries(db(), { action: 'admin.retention_set' })).map((e) => [e.actor, JSON.parse(e.detail)]);
    expect(audited).toEqual([
      ['admin-demo', { item: 'advice', months: 6, previous: null }],
      ['admin-demo', { item: 'record', months: 12, previous: null }],
    ]);
  });

  it('makes quiet advice requests stubs, and leaves those with a recent message or asked recently', async () => {
    const old = await ask('Old question about Harrowgate rota');
    const answeredLately = await ask('Old question, answered lately');
    const recent = await ask('A recent question');
    const longAgo = addMonths(TODAY, -7);
    await db().updateTable('cases').set({ received_on: longAgo }).where('id', 'in', [old.id, answeredLately.id]).execute();
    // The team answered one two months ago: its period runs from that answer. (The row stands in for a
    // sealed answer: the purge reads only its day.)
    await db().insertInto('messages').values({ case_id: answeredLately.id, n: 1000, id: 'answer-1', sender: 'triage', on: addMonths(TODAY, -2), nonce: 'x', ct: 'x' }).execute();
    // A staff note is internal: it does not keep a request (its reporter is shown the day, which must not move with notes).
    await db().insertInto('notes').values({ case_id: old.id, n: 1, id: 'note-1', author_id: 'nw-bcu-psu-1', on: TODAY, nonce: 'x', ct: 'x' }).execute();
    // What each reporter is shown: six months (the rule) after the later of the asking and the last message.
    const expiry = async (s: ReporterSession) => (await viewCase(s)).json().expiresOn as string | undefined;
    expect(await expiry(old.session)).toBe(addMonths(longAgo, 6));
    expect(await expiry(answeredLately.session)).toBe(addMonths(addMonths(TODAY, -2), 6));
    expect(await expiry(recent.session)).toBe(addMonths(TODAY, 6));
    const before = await db().selectFrom('cases').selectAll().where('id', '=', old.id).executeTakeFirstOrThrow();
    expect(before.advice_ct).not.toBeNull();
    expect((await db().selectFrom('case_keys').select('case_id').where('case_id', '=', old.id).execute()).length).toBeGreaterThan(0);
    const unknown = await viewCase(reporterSession(generateToken()));

    const r = await purgeExpired(ctx());
    expect(r).toMatchObject({ purged: 0, advice: 1, skipped: false });

    const stub = await db().selectFrom('cases').selectAll().where('id', '=', old.id).executeTakeFirstOrThrow();
    expect(stub).toMatchObject({ kind: 'advice', team_id: before.team_id, received_on: longAgo, advice_ct: null, advice_nonce: null, reporter_key: '', purged_on: TODAY });
    expect(stub.access_hash).not.toBe(before.access_hash);
    expect(await db().selectFrom('case_keys').select('case_id').where('case_id', '=', old.id).execute()).toEqual([]);
    const gone = await viewCase(old.session);
    expect([gone.statusCode, gone.body]).toEqual([unknown.statusCode, unknown.body]);
    expect((await call(t.app, officer, 'GET', `/cases/${old.ref}`)).statusCode).not.toBe(200);
    expect(await db().selectFrom('notes').select('id').where('case_id', '=', old.id).execute()).toEqual([]);
    for (const kept of [answeredLately, recent]) {
      expect((await viewCase(kept.session)).statusCode).toBe(200);
      expect((await db().selectFrom('cases').select('purged_on').where('id', '=', kept.id).executeTakeFirstOrThrow()).purged_on).toBeNull();
    }
    const entries = await auditEntries(db(), { action: 'retention.purge' });
    expect(entries.map((e) => [e.actor, JSON.parse(e.detail)])).toEqual([[null, expect.objectContaining({ advice: [old.ref], case_keys: expect.any(Number) })]]);
    expect(entries[0]!.detail).not.toContain(before.advice_ct!.slice(0, 20));
    expect((await verifyAudit(db())).ok).toBe(true);
    // Run again: nothing more to do.
    expect(await purgeExpired(ctx())).toMatchObject({ purged: 0, advice: 0, records: 0 });
    // No rule, no day shown (the kept view is built again: the rules are among the tables it reads).
    expect((await call(t.app, admin, 'POST', '/admin/retention', { item: 'advice', months: null })).statusCode).toBe(200);
    expect(await expiry(recent.session)).toBeUndefined();
    expect((await call(t.app, admin, 'POST', '/admin/retention', { item: 'advice', months: 6 })).statusCode).toBe(200);
    expect(await expiry(recent.session)).toBe(addMonths(TODAY, 6));
  });

  it('shows the holder the day their record would go, and deletes quiet records with their entries and files', async () => {
    const quiet = await makeRecord();
    const addedLately = await makeRecord();
    const fresh = await makeRecord();
    const longAgo = addMonths(TODAY, -13);
    await db().updateTable('records').set({ created_on: longAgo }).where('id', 'in', [recordId(quiet), recordId(addedLately)]).execute();
    // One entry today in addedLately: its year runs from today.
    const lately = recordSession(addedLately.session.token);
    const openedLately = openRecordView(lately, (await readRecord(lately)).json<RecordView>());
    const entry = sealRecordEntry(openedLately.recordKey, openedLately.recordId, { what: 'still going on' }, {});
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/record/entries', payload: entry, headers: { authorization: lately.authorization, [POW_HEADER]: await stamp(t.app) } })).statusCode).toBe(201);
    // The quiet one holds an entry from long ago with a file, and a file still uploading.
    const s = recordSession(quiet.session.token);
    const opened = openRecordView(s, (await readRecord(s)).json<RecordView>());
    const pk = deriveReporterKeyPair(quiet.session.token as CaseToken).publicKey;
    const kept = prepare(opened.recordKey, pk, fileOf(70_000));
    const half = prepare(opened.recordKey, pk, fileOf(70_000));
    await uploadAll(t.app, s, kept);
    expect((await start(t.app, s, half)).statusCode).toBe(201);
    expect((await put(t.app, s, half.id, 0, half.chunks[0]!)).statusCode).toBe(200);
    const withFile = sealRecordEntry(opened.recordKey, opened.recordId, { what: 'with a file', attachments: [{ id: kept.id }] }, {});
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/record/entries', payload: { ...withFile, attachments: [kept.id] }, headers: { authorization: s.authorization, [POW_HEADER]: await stamp(t.app) } })).statusCode).toBe(201);
    await db().updateTable('record_entries').set({ on: longAgo }).where('record_id', '=', recordId(quiet)).execute();

    // What each holder is told: 12 months (the rule) after the later of its day and its last entry.
    const expiry = async (rec: CreatedRecord) => (await readRecord(recordSession(rec.session.token))).json<RecordView>().expiresOn;
    expect(await expiry(quiet)).toBe(addMonths(longAgo, 12));
    expect(await expiry(addedLately)).toBe(addMonths(TODAY, 12));
    expect(await expiry(fresh)).toBe(addMonths(TODAY, 12));

    const r = await purgeExpired(ctx());
    expect(r).toMatchObject({ purged: 0, advice: 0, records: 1, skipped: false });

    const id = recordId(quiet);
    const files = [kept.id, half.id];
    expect(await db().selectFrom('records').select('id').where('id', '=', id).execute()).toEqual([]);
    expect(await db().selectFrom('record_entries').select('id').where('record_id', '=', id).execute()).toEqual([]);
    expect(await db().selectFrom('uploads').select('id').where('id', 'in', files).execute()).toEqual([]);
    expect(await db().selectFrom('attachment_chunks').select('idx').where('upload_id', 'in', files).execute()).toEqual([]);
    const unknown = await readRecord(recordSession(createRecord().session.token));
    const gone = await readRecord(s);
    expect([gone.statusCode, gone.json()]).toEqual([unknown.statusCode, unknown.json()]);
    for (const rec of [addedLately, fresh]) expect((await readRecord(recordSession(rec.session.token))).statusCode).toBe(200);

    const entries = await auditEntries(db(), { action: 'retention.purge_records' });
    expect(entries.map((e) => [e.actor, JSON.parse(e.detail)])).toEqual([[null, { records: 1, entries: 1, uploads: 2 }]]);
    expect(entries[0]!.detail).not.toContain(id);
    expect((await verifyAudit(db())).ok).toBe(true);

    // No rule, no date and no purge: removing it keeps every record.
    expect((await call(t.app, admin, 'POST', '/admin/retention', { item: 'record', months: null })).statusCode).toBe(200);
    await db().updateTable('records').set({ created_on: '2000-01-01' }).where('id', '=', recordId(fresh)).execute();
    expect(await expiry(fresh)).toBeNull();
    expect(await purgeExpired(ctx())).toMatchObject({ records: 0 });
    expect((await readRecord(recordSession(fresh.session.token))).statusCode).toBe(200);
  });

  it('leaves a record that became a report to its case', async () => {
    expect((await call(t.app, admin, 'POST', '/admin/retention', { item: 'record', months: 1 })).statusCode).toBe(200);
    const rec = await makeRecord();
    // Every other record is fresh for this one.
    await db().updateTable('records').set({ created_on: TODAY }).execute();
    // Linked to a case (as conversion does): no longer a record in its own right.
    const anyCase = await db().selectFrom('cases').select('id').where('purged_on', 'is', null).executeTakeFirstOrThrow();
    await db().updateTable('records').set({ case_id: anyCase.id, access_hash: null, holder_key: null, created_on: '2000-01-01' }).where('id', '=', recordId(rec)).execute();
    expect(await purgeExpired(ctx())).toMatchObject({ records: 0 });
    expect(await db().selectFrom('records').select('id').where('id', '=', recordId(rec)).execute()).toHaveLength(1);
  });
});
