// Private records over HTTP with real crypto, on both dialects: create, entries over
// several sessions, read back, delete leaving nothing, and conversion into a case whose
// wraps include the routed team while the entries' bytes stay byte-identical.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRecoveryKeyPair, demoStaffKeyPair } from '../../seeds/demo.ts';
import type { RecordView } from '../../shared/src/api/record.ts';
import {
  accessHashOf, createRecord, deriveReporterKeyPair, entrySealedBytes, receiptText, verifyReceipt, type ReceiptKey, DEMO_ORG_LABEL, demoSigningKeyPair, entrySealedHash, formatRecordToken, fromB64u, openCaseView,
  openRecordEntry, openRecordView, parseAnyToken, POW_HEADER, recordSession, reporterSession, sealRecordEntry, sealRecordReport,
  toB64u, unwrapKey, openAttachmentMeta, type CaseToken, type CreatedRecord, type RecordSession, type SymmetricKey,
} from '../../shared/src/crypto/index.ts';
import { purgeCases } from '../src/retention/repository.ts';
import { dialects } from './databases.ts';
import { fileOf, prepare, put, start, uploadAll } from './upload-helpers.ts';
import { makeApp, recipients, stamp, TODAY, type TestApp } from './helpers.ts';
import { call, Clock, signIn } from './staff-helpers.ts';

const SECRET_WORDS = ['Quorndell', 'Sergeant Vexley', 'PC 4471 Brackenfold', 'canteen at Wexham'];

async function dumpDb(t: TestApp): Promise<string> {
  const db = t.tdb.handle.db;
  const parts: string[] = [];
  for (const table of ['records', 'record_entries', 'cases', 'case_keys', 'audit_log', 'uploads'] as const) {
    parts.push(JSON.stringify(await db.selectFrom(table).selectAll().execute()));
  }
  return parts.join('\n');
}

describe.each(dialects)('private records on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: ['nw-bcu-psu-1'], now: clock.now });
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  const create = async (rec: CreatedRecord, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/records', payload: rec.body, headers: { [POW_HEADER]: await stamp(t.app), ...headers } });
  const read = (s: RecordSession) => t.app.inject({ method: 'GET', url: '/api/v1/record', headers: { authorization: s.authorization } });
  const add = async (s: RecordSession, body: object, withStamp = true) =>
    t.app.inject({ method: 'POST', url: '/api/v1/record/entries', payload: body, headers: { authorization: s.authorization, ...(withStamp ? { [POW_HEADER]: await stamp(t.app) } : {}) } });
  const remove = (s: RecordSession) => t.app.inject({ method: 'DELETE', url: '/api/v1/record', headers: { authorization: s.authorization } });

  const publishedKeys = async (): Promise<ReceiptKey[]> => {
    const k = (await t.app.inject({ method: 'GET', url: '/api/v1/receipts/keys' })).json();
    return [k.current, ...k.previous];
  };

  /** A visit: the holder comes back with only the token's text, and reads the record from it. */
  async function visit(tokenText: string): Promise<{ s: RecordSession; view: RecordView; recordKey: SymmetricKey; recordId: Uint8Array }> {
    const parsed = parseAnyToken(tokenText);
    if (!parsed.ok || parsed.kind !== 'record') throw new Error('not a record token');
    const s = recordSession(parsed.token);
    const res = await read(s);
    expect(res.statusCode).toBe(200);
    const view = res.json<RecordView>();
    const { recordKey, recordId } = openRecordView(s, view);
    return { s, view, recordKey, recordId };
  }

  it('needs a stamp to create, and refuses a reused id or token', async () => {
    const rec = createRecord();
    const bare = await t.app.inject({ method: 'POST', url: '/api/v1/records', payload: rec.body });
    expect(bare.statusCode).toBe(428);
    const made = await create(rec);
    expect(made.statusCode).toBe(201);
    // Like every reporter answer: never a cookie, never cached.
    expect(made.headers['set-cookie']).toBeUndefined();
    expect(made.headers['cache-control']).toContain('no-store');
    const got = await read(rec.session);
    expect(got.headers['set-cookie']).toBeUndefined();
    expect(got.headers['cache-control']).toContain('no-store');
    expect((await create(rec)).json().error.code).toBe('record_exists');
    const bad = createRecord();
    expect((await create({ ...bad, body: { ...bad.body, holderKey: toB64u(new Uint8Array(80)) } })).statusCode).toBe(400);
  });

  it('keeps entries over three visits, dated to the day, and reads them back', async () => {
    const rec = createRecord();
    const tokenText = formatRecordToken(rec.session.token);
    expect(tokenText).toMatch(/^REC-[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
    const made = await create(rec);
    expect(made.statusCode).toBe(201);
    const reference = made.json().reference as string;
    expect(reference).toMatch(/^RC-/);
    for (let i = 0; i < 3; i++) {
      const { s, recordKey, recordId } = await visit(tokenText);
      const body = sealRecordEntry(recordKey, recordId, { what: `Visit ${i}: ${SECRET_WORDS[0]}`, where: SECRET_WORDS[3] }, { name: SECRET_WORDS[1], collar: SECRET_WORDS[2] });
      // An entry without a stamp is refused and stores nothing.
      expect((await add(s, body, false)).statusCode).toBe(428);
      const res = await add(s, body);
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ id: body.id, on: TODAY, sealedHash: toB64u(entrySealedHash(recordId, body)) });
      // A receipt over exactly these bytes and this day, under the record's reference, from the published key.
      const checked = verifyReceipt(res.json().receipt, await publishedKeys(), entrySealedBytes(recordId, body));
      expect(checked).toMatchObject({ ok: true, hashChecked: true, receipt: { kind: 'entry', caseRef: reference, receivedOn: TODAY } });
      expect((await add(s, body)).json().error.code).toBe('entry_exists');
    }
    const { view, recordKey, recordId } = await visit(tokenText);
    expect(view.entries).toHaveLength(3);
    const opened = view.entries.map((e) => openRecordEntry(recordKey, recordId, e));
    expect(opened.map((e) => e.entry?.what)).toEqual([0, 1, 2].map((i) => `Visit ${i}: ${SECRET_WORDS[0]}`));
    expect(opened[0]!.subject).toEqual({ schema: 'rc2/record-subject', name: SECRET_WORDS[1], collar: SECRET_WORDS[2] });
    for (const e of view.entries) expect(e.on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Stored: ciphertext, an access hash and a day. No word, no token, no time of day.
    const dump = await dumpDb(t);
    for (const w of [...SECRET_WORDS, tokenText, toB64u(rec.session.token), toB64u(rec.session.accessKey), toB64u(recordKey)]) expect(dump).not.toContain(w);
    const rows = await t.tdb.handle.db.selectFrom('record_entries').selectAll().where('record_id', '=', view.id).execute();
    for (const r of rows) expect(Object.values(r).filter((v) => typeof v === 'string' && /\d{2}:\d{2}/.test(v))).toEqual([]);
  });

  it('answers an unknown, a malformed and a case token alike, and a wrong token cannot open the key', async () => {
    const codes = await Promise.all([
      read(recordSession(createRecord().session.token)),
      t.app.inject({ method: 'GET', url: '/api/v1/record', headers: { authorization: 'Record nope' } }),
      t.app.inject({ method: 'GET', url: '/api/v1/record' }),
      t.app.inject({ method: 'GET', url: '/api/v1/record', headers: { authorization: reporterSession(createRecord().session.token).authorization } }),
    ]);
    for (const c of codes) expect(c.json().error.code).toBe('record_not_found');
    const rec = createRecord();
    expect((await create(rec)).statusCode).toBe(201);
    const view = (await read(rec.session)).json<RecordView>();
    expect(() => openRecordView(recordSession(createRecord().session.token), view)).toThrow();
    // The response's length says nothing of how many entries a record has.
    expect((await read(rec.session)).body.length % 65536).toBe(0);
  });

  it('deletes the record: every row goes, the token opens nothing, the audit log gains nothing', async () => {
    const db = t.tdb.handle.db;
    const auditBefore = await db.selectFrom('audit_log').selectAll().execute();
    const rec = createRecord();
    expect((await create(rec)).statusCode).toBe(201);
    const { s, recordKey, recordId } = await visit(formatRecordToken(rec.session.token));
    for (let i = 0; i < 2; i++) expect((await add(s, sealRecordEntry(recordKey, recordId, { what: 'to delete' }, {}))).statusCode).toBe(201);
    // A file in an entry, and one still uploading (half its chunks stored): both go with the record.
    const pk = deriveReporterKeyPair(rec.session.token as CaseToken).publicKey;
    const kept = prepare(recordKey, pk, fileOf(70_000));
    const half = prepare(recordKey, pk, fileOf(70_000));
    await uploadAll(t.app, s, kept);
    expect((await start(t.app, s, half)).statusCode).toBe(201);
    expect((await put(t.app, s, half.id, 0, half.chunks[0]!)).statusCode).toBe(200);
    const withFile = sealRecordEntry(recordKey, recordId, { what: 'with a file', attachments: [{ id: kept.id }] }, {});
    expect((await add(s, { ...withFile, attachments: [kept.id] })).statusCode).toBe(201);
    const fileIds = [kept.id, half.id];
    expect(await db.selectFrom('attachment_chunks').select('idx').where('upload_id', 'in', fileIds).execute()).toHaveLength(3);
    expect((await remove(s)).statusCode).toBe(204);
    expect(await db.selectFrom('uploads').selectAll().where('id', 'in', fileIds).execute()).toEqual([]);
    expect(await db.selectFrom('attachment_chunks').select('idx').where('upload_id', 'in', fileIds).execute()).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/record/attachments/${kept.id}/chunks/0`, headers: { authorization: s.authorization } })).statusCode).toBe(404);
    expect(await db.selectFrom('records').selectAll().where('id', '=', toB64u(recordId)).execute()).toEqual([]);
    expect(await db.selectFrom('record_entries').selectAll().where('record_id', '=', toB64u(recordId)).execute()).toEqual([]);
    expect(await db.selectFrom('records').selectAll().where('access_hash', '=', toB64u(accessHashOf(rec.session.accessKey))).execute()).toEqual([]);
    expect((await read(s)).statusCode).toBe(404);
    expect((await remove(s)).statusCode).toBe(404);
    // Nothing anywhere names the record, its id or its key: not even a content-free audit entry.
    const after = await db.selectFrom('audit_log').selectAll().execute();
    expect(after).toEqual(auditBefore);
    if (dialect.name === 'sqlite') {
      const raw = JSON.stringify(await sql`SELECT * FROM record_entries`.execute(db));
      expect(raw).not.toContain(toB64u(recordId));
      expect(JSON.stringify(await sql`SELECT * FROM uploads`.execute(db))).not.toContain(toB64u(recordId));
    }
  });

  it('turns into a report: the team and the recovery key get wraps, the entries and their hashes stay byte-identical', async () => {
    const db = t.tdb.handle.db;
    const rec = createRecord();
    const tokenText = formatRecordToken(rec.session.token);
    const made = await create(rec);
    expect(made.statusCode).toBe(201);
    const receipts: unknown[] = [];
    // The last entry carries a file, sealed under the record key like the entries.
    const pk = deriveReporterKeyPair(rec.session.token as CaseToken).publicKey;
    const photo = prepare(rec.recordKey, pk, fileOf(5000), 'photo.jpg');
    for (let i = 0; i < 3; i++) {
      const { s, recordKey, recordId } = await visit(tokenText);
      if (i === 2) await uploadAll(t.app, s, photo);
      const entry = sealRecordEntry(recordKey, recordId, { what: `Entry ${i}`, ...(i === 2 ? { attachments: [{ id: photo.id }] } : {}) }, { role: 'sergeant' });
      const r = await add(s, i === 2 ? { ...entry, attachments: [photo.id] } : entry);
      expect(r.statusCode).toBe(201);
      receipts.push(r.json().receipt);
    }
    const photoRow = await db.selectFrom('uploads').selectAll().where('id', '=', photo.id).executeTakeFirstOrThrow();
    const photoMeta = { nonce: photoRow.meta_nonce, ct: photoRow.meta_ct };
    const opensPhoto = (key: Uint8Array) => {
      try {
        return openAttachmentMeta(key as SymmetricKey, pk, fromB64u(photo.id), photoMeta).name === 'photo.jpg';
      } catch {
        return false;
      }
    };
    const before = await db.selectFrom('record_entries').selectAll().where('record_id', '=', rec.body.id).orderBy('n').execute();
    const keysBefore = (await db.selectFrom('case_keys').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    const { s, recordKey } = await visit(tokenText);
    // Before: no stored wrap opens to the record key, with the recovery key or any staff key.
    const opensRecordKey = (sealedB64: string, kp: ReturnType<typeof demoRecoveryKeyPair>) => {
      try {
        return toB64u(unwrapKey(kp, fromB64u(sealedB64))) === toB64u(recordKey);
      } catch {
        return false;
      }
    };
    const allWraps = await db.selectFrom('case_keys').selectAll().execute();
    expect(allWraps.length).toBeGreaterThan(0);
    expect(allWraps.filter((w) => opensRecordKey(w.sealed, w.kind === 'recovery' ? demoRecoveryKeyPair() : demoStaffKeyPair(w.recipient_id)))).toEqual([]);
    // Nor does any key a stored wrap gives open the file's meta (which holds the file's own key).
    expect(allWraps.filter((w) => {
      try {
        return opensPhoto(unwrapKey(w.kind === 'recovery' ? demoRecoveryKeyPair() : demoStaffKeyPair(w.recipient_id), fromB64u(w.sealed)));
      } catch {
        return false;
      }
    })).toEqual([]);
    // The holder's wrap is an AEAD under a token-derived key, not a box any staff or recovery key opens.
    const holder = (await db.selectFrom('records').select('holder_key').where('id', '=', rec.body.id).executeTakeFirstOrThrow()).holder_key!;
    expect(fromB64u(holder)).toHaveLength(72);
    const info = await recipients(t.app, { category: 'bullying', unit: 'nw-response-camden' });
    const token = rec.session.token as CaseToken;
    const { body } = sealRecordReport(
      { mode: 'anonymous', category: 'bullying', unit: 'nw-response-camden', report: { narrative: 'Please look at my record.' } },
      info, demoSigningKeyPair(DEMO_ORG_LABEL).publicKey, token, recordKey,
    );
    const noStamp = await t.app.inject({ method: 'POST', url: '/api/v1/record/report', payload: body, headers: { authorization: s.authorization } });
    expect(noStamp.statusCode).toBe(428);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/record/report', payload: body, headers: { authorization: s.authorization, [POW_HEADER]: await stamp(t.app) } });
    expect(res.statusCode).toBe(201);
    const { caseRef, receivedOn } = res.json();
    expect(receivedOn).toBe(TODAY);
    // The case takes the record's reference, which the entries' receipts already name; the note has its own receipt.
    expect(caseRef).toBe(made.json().reference);
    expect(verifyReceipt(res.json().receipt, await publishedKeys())).toMatchObject({ ok: true, receipt: { kind: 'report', caseRef } });

    const caseRow = await db.selectFrom('cases').selectAll().where('case_ref', '=', caseRef).executeTakeFirstOrThrow();
    const wraps = await db.selectFrom('case_keys').selectAll().where('case_id', '=', caseRow.id).execute();
    expect(wraps.map((w) => w.recipient_id)).toContain('nw-bcu-psu-1');
    expect(wraps.some((w) => w.kind === 'recovery')).toBe(true);
    expect(Number((await db.selectFrom('case_keys').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(Number(keysBefore) + wraps.length);
    // The recovery key's wrap opens the record key itself.
    const rw = wraps.find((w) => w.kind === 'recovery')!;
    expect(toB64u(unwrapKey(demoRecoveryKeyPair(), fromB64u(rw.sealed)))).toBe(toB64u(recordKey));
    // And with it the file, now the case's.
    expect(opensPhoto(unwrapKey(demoRecoveryKeyPair(), fromB64u(rw.sealed)))).toBe(true);
    expect((await db.selectFrom('uploads').select('case_id').where('id', '=', photo.id).executeTakeFirstOrThrow()).case_id).toBe(caseRow.id);
    const after = await db.selectFrom('record_entries').selectAll().where('record_id', '=', rec.body.id).orderBy('n').execute();
    expect(after).toEqual(before);
    // The record's own token no longer opens a record; the same token opens the case.
    expect((await read(s)).statusCode).toBe(404);
    const reporter = reporterSession(token);
    const cv = (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: reporter.authorization } })).json();
    expect(openCaseView(reporter, cv).report?.narrative).toBe('Please look at my record.');
    // A second conversion, or adding to it, is refused.
    expect((await add(s, sealRecordEntry(recordKey, fromB64u(rec.body.id), { what: 'late' }, {}))).statusCode).toBe(404);

    // Staff see the dated entries with the case and open them with their own wrap.
    const u = await signIn(t.app, clock, 'nw-bcu-psu-1');
    const detail = (await call(t.app, u, 'GET', `/cases/${caseRef}`)).json();
    expect(detail.record.entries).toHaveLength(3);
    const caseKey = unwrapKey(demoStaffKeyPair('nw-bcu-psu-1'), fromB64u(detail.keyWrap));
    const opened = detail.record.entries.map((e: RecordView['entries'][number]) => openRecordEntry(caseKey, fromB64u(detail.record.id), e));
    expect(opened.map((e: { entry: { what: string } | null }) => e.entry?.what)).toEqual(['Entry 0', 'Entry 1', 'Entry 2']);
    const keys = await publishedKeys();
    for (const [i, e] of detail.record.entries.entries()) {
      // The receipt the holder got on the day still verifies against the bytes the team is given now.
      expect(e.receipt).toEqual(receipts[i]);
      expect(verifyReceipt(e.receipt, keys, entrySealedBytes(fromB64u(detail.record.id), e))).toMatchObject({ ok: true, hashChecked: true });
      // And the team's server-side check finds the entry it names.
      const check = await call(t.app, u, 'POST', `/cases/${caseRef}/receipt-check`, { receipt: receiptText(receipts[i] as Parameters<typeof receiptText>[0]) });
      expect(check.json()).toMatchObject({ match: true, result: 'match', record: { kind: 'entry', on: TODAY } });
      expect(e.on).toBe(before[i]!.on);
      expect(e.sealedHash).toBe(before[i]!.sealed_hash);
      expect(toB64u(opened[i].sealedHash)).toBe(before[i]!.sealed_hash);
    }

    // When retention purges the case, the entries go with its other sealed content.
    await db.transaction().execute((tx) => purgeCases(tx, [caseRow.id], TODAY));
    expect(await db.selectFrom('record_entries').selectAll().where('record_id', '=', rec.body.id).execute()).toEqual([]);
    expect(await db.selectFrom('records').selectAll().where('id', '=', rec.body.id).execute()).toEqual([]);
  }, 60_000);

  it('writes no log line for a holder\'s requests, and never the token or keys', async () => {
    const before = t.logs.length;
    const rec = createRecord();
    expect((await create(rec)).statusCode).toBe(201);
    expect((await add(rec.session, sealRecordEntry(rec.recordKey, rec.recordId, { what: 'logged?' }, {}))).statusCode).toBe(201);
    expect((await read(rec.session)).statusCode).toBe(200);
    expect((await read(recordSession(createRecord().session.token))).statusCode).toBe(404);
    expect((await remove(rec.session)).statusCode).toBe(204);
    expect(t.logs.slice(before)).toEqual([]);
    expect(t.logs.join('')).not.toContain(toB64u(rec.session.accessKey));
  });

  it('refuses bad entries and changes nothing', async () => {
    const rec = createRecord();
    expect((await create(rec)).statusCode).toBe(201);
    const good = sealRecordEntry(rec.recordKey, rec.recordId, { what: 'x' }, {});
    const cases: [object, string][] = [
      [{ ...good, id: 'short' }, 'invalid_request'],
      [{ ...good, subject: { ...good.subject, ct: good.entry.ct.slice(0, -4) } }, 'invalid_size'],
      [{ ...good, extra: 1 }, 'invalid_request'],
    ];
    for (const [body, code] of cases) expect((await add(rec.session, body)).json().error.code).toBe(code);
    expect((await read(rec.session)).json().entries).toEqual([]);
  });
});
