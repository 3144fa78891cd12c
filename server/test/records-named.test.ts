// A private record turned into a named report, on both dialects: the identity is sealed as for a
// named report (POST /reports' rules, identity_mismatch included), the team's identity holders see
// the name on the case, the database holds none of it, and the entries and their receipts stay
// exactly as they were. (Apart from records.test.ts, which another change is extending.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStaffKeyPair } from '../../seeds/demo.ts';
import type { RecordView } from '../../shared/src/api/record.ts';
import {
  adIdentity, createRecord, DEMO_ORG_LABEL, demoSigningKeyPair, entrySealedBytes, fromB64u, openCaseView, openDoc, openRecordEntry,
  openRecordView, POW_HEADER, recordSession, reporterSession, sealRecordEntry, sealRecordReport, unwrapKey, verifyReceipt,
  type CaseToken, type PublicKey, type ReceiptKey,
} from '../../shared/src/crypto/index.ts';
import { dialects } from './databases.ts';
import { makeApp, recipients, stamp, type TestApp } from './helpers.ts';
import { call, Clock, signIn } from './staff-helpers.ts';

const IDENTITY = { name: 'Hawthorne Pellingdale', role: 'DC 5523', contact: 'pellingdale@example.invalid' };
const NAME_WORDS = ['Hawthorne', 'Pellingdale', '5523'];

describe.each(dialects)('a record turned into a named report on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: ['nw-bcu-psu-1', 'nw-bcu-psu-2'], now: clock.now });
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  it('seals the name to the identity holders only and keeps the entries and their receipts', async () => {
    const db = t.tdb.handle.db;
    const rec = createRecord();
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/records', payload: rec.body, headers: { [POW_HEADER]: await stamp(t.app) } })).statusCode).toBe(201);
    const s = recordSession(rec.session.token);
    const view0 = (await t.app.inject({ method: 'GET', url: '/api/v1/record', headers: { authorization: s.authorization } })).json<RecordView>();
    const { recordKey, recordId } = openRecordView(s, view0);
    const receipts: unknown[] = [];
    for (const what of ['First entry', 'Second entry']) {
      const r = await t.app.inject({
        method: 'POST', url: '/api/v1/record/entries', payload: sealRecordEntry(recordKey, recordId, { what }, {}),
        headers: { authorization: s.authorization, [POW_HEADER]: await stamp(t.app) },
      });
      expect(r.statusCode).toBe(201);
      receipts.push(r.json().receipt);
    }
    const entriesBefore = await db.selectFrom('record_entries').selectAll().where('record_id', '=', rec.body.id).orderBy('n').execute();

    const info = await recipients(t.app, { category: 'bullying', unit: 'nw-response-camden' });
    const draft = { mode: 'named' as const, category: 'bullying', unit: 'nw-response-camden', report: { narrative: 'My record, with my name.' }, identity: IDENTITY };
    const { body } = sealRecordReport(draft, info, demoSigningKeyPair(DEMO_ORG_LABEL).publicKey, rec.session.token as CaseToken, recordKey);
    const send = async (payload: object) => t.app.inject({
      method: 'POST', url: '/api/v1/record/report', payload, headers: { authorization: s.authorization, [POW_HEADER]: await stamp(t.app) },
    });
    // A named body without its identity is refused, and the record stays a record.
    const { identity: _i, ...half } = body;
    const bad = await send(half);
    expect(bad.json().error.code).toBe('identity_mismatch');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/record', headers: { authorization: s.authorization } })).statusCode).toBe(200);

    const res = await send(body);
    expect(res.statusCode).toBe(201);
    const caseRow = await db.selectFrom('cases').selectAll().where('case_ref', '=', res.json().caseRef).executeTakeFirstOrThrow();
    expect(caseRow.mode).toBe('named');
    const idWraps = await db.selectFrom('case_keys').select('recipient_id').where('case_id', '=', caseRow.id).where('identity', '=', 1).execute();
    expect(idWraps).toHaveLength(info.recipients.filter((r) => r.seesIdentity).length);
    expect(idWraps.map((w) => w.recipient_id)).toContain('nw-bcu-psu-1');
    expect(idWraps.map((w) => w.recipient_id)).not.toContain('nw-bcu-psu-2');
    let dump = '';
    for (const table of ['records', 'record_entries', 'cases', 'case_keys', 'audit_log', 'notification_events'] as const) {
      dump += JSON.stringify(await db.selectFrom(table).selectAll().execute());
    }
    for (const word of NAME_WORDS) expect(dump).not.toContain(word);
    expect(await db.selectFrom('record_entries').selectAll().where('record_id', '=', rec.body.id).orderBy('n').execute()).toEqual(entriesBefore);

    // The reporter reads their own identity back with the same token.
    const reporter = reporterSession(rec.session.token as CaseToken);
    const cv = (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: reporter.authorization } })).json();
    expect(openCaseView(reporter, cv).identity).toMatchObject(IDENTITY);

    // The officer who may see identity reads the name and the entries, whose receipts still verify; the other sees no name.
    const u1 = await signIn(t.app, clock, 'nw-bcu-psu-1');
    const d1 = (await call(t.app, u1, 'GET', `/cases/${caseRow.case_ref}`)).json();
    const pk = fromB64u(d1.reporterPk) as PublicKey;
    const identityKey = unwrapKey(demoStaffKeyPair('nw-bcu-psu-1'), fromB64u(d1.identityWrap));
    expect(openDoc(identityKey, adIdentity(pk), d1.identity, 'rc1/identity')).toMatchObject(IDENTITY);
    const caseKey = unwrapKey(demoStaffKeyPair('nw-bcu-psu-1'), fromB64u(d1.keyWrap));
    const k = (await t.app.inject({ method: 'GET', url: '/api/v1/receipts/keys' })).json();
    const keys: ReceiptKey[] = [k.current, ...k.previous];
    expect(d1.record.entries.map((e: RecordView['entries'][number]) => openRecordEntry(caseKey, fromB64u(d1.record.id), e).entry?.what)).toEqual(['First entry', 'Second entry']);
    for (const [i, e] of (d1.record.entries as RecordView['entries']).entries()) {
      expect(e.receipt).toEqual(receipts[i]);
      expect(verifyReceipt(e.receipt as Parameters<typeof verifyReceipt>[0], keys, entrySealedBytes(fromB64u(d1.record.id), e))).toMatchObject({ ok: true, hashChecked: true });
    }
    const u2 = await signIn(t.app, clock, 'nw-bcu-psu-2');
    const d2 = (await call(t.app, u2, 'GET', `/cases/${caseRow.case_ref}`)).json();
    expect(d2.identity).toBeUndefined();
    expect(d2.identityWrap).toBeUndefined();
  }, 60_000);
});
