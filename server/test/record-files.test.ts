// Files in private record entries, over HTTP on both dialects: uploaded with the record
// token (Authorization: Record …) on the case upload routes, taken by an entry only once
// every chunk is stored, a receipt each, read back by the holder, out of reach of any
// other token or staff before conversion, gone with the record, expired when never used,
// and moved into the case (readable, receipt-checkable) when the record becomes a report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRecoveryKeyPair, demoStaffKeyPair } from '../../seeds/demo.ts';
import { ATTACHMENT_LIMITS } from '../../shared/src/api/domain.ts';
import type { RecordView } from '../../shared/src/api/record.ts';
import {
  createRecord, DEMO_ORG_LABEL, demoSigningKeyPair, deriveReporterKeyPair, fromB64u, openAttachment, openAttachmentMeta, openRecordEntry,
  POW_HEADER, receiptText, reporterSession, sealRecordEntry, sealRecordReport, toB64u, unwrapKey, verifyReceipt,
  type CaseToken, type CreatedRecord, type PublicKey, type ReceiptKey, type SymmetricKey,
} from '../../shared/src/crypto/index.ts';
import { addDays } from '../../shared/src/domain/clock.ts';
import { purgeAbandonedUploads } from '../src/attachments/service.ts';
import { databaseChunkStore } from '../src/attachments/store.ts';
import { dialects } from './databases.ts';
import { makeApp, recipients, stamp, TODAY, type TestApp } from './helpers.ts';
import { call, Clock, signIn } from './staff-helpers.ts';
import { fileOf, MARKER, prepare, put, start, uploadAll, type Prepared } from './upload-helpers.ts';

describe.each(dialects)('record files on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: ['nw-bcu-psu-1'], now: clock.now });
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  const db = () => t.tdb.handle.db;
  const newRecord = async (): Promise<CreatedRecord & { reference: string; pk: PublicKey }> => {
    const rec = createRecord();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/records', payload: rec.body, headers: { [POW_HEADER]: await stamp(t.app) } });
    expect(res.statusCode).toBe(201);
    // The meta names the reporter key the record token will have as a case token (PROTOCOL.md "Private records").
    return { ...rec, reference: res.json().reference, pk: deriveReporterKeyPair(rec.session.token as CaseToken).publicKey };
  };
  const fileFor = (rec: { recordKey: SymmetricKey; pk: PublicKey }, size: number, name?: string): Prepared => prepare(rec.recordKey, rec.pk, fileOf(size), name);
  const addEntry = async (rec: CreatedRecord, what: string, files: string[]) => {
    const body = sealRecordEntry(rec.recordKey, rec.recordId, { what, ...(files.length ? { attachments: files.map((id) => ({ id })) } : {}) }, {});
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/record/entries', payload: { ...body, ...(files.length ? { attachments: files } : {}) },
      headers: { authorization: rec.session.authorization, [POW_HEADER]: await stamp(t.app) },
    });
    return { body, res };
  };
  const read = async (rec: CreatedRecord) => (await t.app.inject({ method: 'GET', url: '/api/v1/record', headers: { authorization: rec.session.authorization } })).json<RecordView>();
  const chunkAs = (authorization: string, id: string, i: number) =>
    t.app.inject({ method: 'GET', url: `/api/v1/record/attachments/${id}/chunks/${i}`, headers: { authorization } });
  const publishedKeys = async (): Promise<ReceiptKey[]> => {
    const k = (await t.app.inject({ method: 'GET', url: '/api/v1/receipts/keys' })).json();
    return [k.current, ...k.previous];
  };
  const uploadRow = (id: string) => db().selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirst();

  it('keeps an entry only with files whose every chunk is stored, with a receipt for each, and the holder reads them back', async () => {
    const rec = await newRecord();
    const p = fileFor(rec, 2 * 65536 + 10);
    expect((await start(t.app, rec.session, p)).statusCode).toBe(201);
    expect((await put(t.app, rec.session, p.id, 0, p.chunks[0]!)).statusCode).toBe(200);
    // Not every chunk yet: the entry is refused and nothing is stored.
    const early = await addEntry(rec, 'too soon', [p.id]);
    expect(early.res.json().error.code).toBe('upload_unusable');
    expect((await read(rec)).entries).toEqual([]);
    for (const [i, c] of p.chunks.entries()) expect((await put(t.app, rec.session, p.id, i, c)).statusCode).toBe(200);
    const done = await t.app.inject({ method: 'POST', url: `/api/v1/uploads/${p.id}/complete`, headers: { authorization: rec.session.authorization } });
    // The file is filed with its entry, not at completion.
    expect(done.json()).toMatchObject({ hash: p.hash });
    expect(done.json().receipt).toBeUndefined();
    expect((await read(rec)).attachments).toEqual([]);

    const { body, res } = await addEntry(rec, 'with a photo', [p.id]);
    expect(res.statusCode).toBe(201);
    const [fr] = res.json().attachmentReceipts;
    expect(fr.id).toBe(p.id);
    const keys = await publishedKeys();
    const sealedChunks = Buffer.concat(p.chunks);
    expect(verifyReceipt(fr.receipt, keys, sealedChunks)).toMatchObject({ ok: true, hashChecked: true, receipt: { kind: 'attachment', caseRef: rec.reference, receivedOn: TODAY } });
    // The same file cannot go into a second entry.
    expect((await addEntry(rec, 'again', [p.id])).res.json().error.code).toBe('upload_unusable');

    const view = await read(rec);
    expect(view.entries).toHaveLength(1);
    expect(openRecordEntry(rec.recordKey, rec.recordId, view.entries[0]!).entry?.attachments).toEqual([{ id: p.id }]);
    expect(view.entries[0]!.id).toBe(body.id);
    expect(view.attachments).toHaveLength(1);
    expect(view.attachments[0]).toMatchObject({ id: p.id, on: TODAY, chunks: p.chunks.length, paddedSize: p.padded, receipt: fr.receipt });
    const doc = openAttachmentMeta(rec.recordKey, rec.pk, fromB64u(p.id), view.attachments[0]!.meta);
    const opener = openAttachment(doc);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < doc.chunks; i++) {
      const r = await chunkAs(rec.session.authorization, p.id, i);
      expect(r.statusCode).toBe(200);
      parts.push(opener.open(i, new Uint8Array(r.rawPayload)));
    }
    opener.finish();
    expect(Buffer.concat(parts)).toEqual(Buffer.from(fileOf(2 * 65536 + 10)));
    // The server wrote which record took the file, never which entry.
    const row = await uploadRow(p.id);
    expect(row).toMatchObject({ record_id: toB64u(rec.recordId), case_id: null });
    expect(JSON.stringify(row)).not.toContain(body.id);
  });

  it('refuses files that are not this record\'s, and no other token reads a record\'s file', async () => {
    const a = await newRecord();
    const b = await newRecord();
    const pa = fileFor(a, 100);
    await uploadAll(t.app, a.session, pa);
    // Another record cannot name it, nor read or resume it.
    expect((await addEntry(b, 'not mine', [pa.id])).res.json().error.code).toBe('upload_unusable');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/uploads/${pa.id}`, headers: { authorization: b.session.authorization } })).statusCode).toBe(404);
    // Named twice, or not a valid id: refused before anything.
    expect((await addEntry(a, 'twice', [pa.id, pa.id])).res.json().error.code).toBe('upload_unusable');
    expect((await addEntry(a, 'bad id', ['nope'])).res.json().error.code).toBe('invalid_request');
    expect((await addEntry(a, 'too many', Array.from({ length: 11 }, () => pa.id))).res.json().error.code).toBe('invalid_request');
    expect((await read(a)).entries).toEqual([]);
    expect((await addEntry(a, 'mine', [pa.id])).res.statusCode).toBe(201);
    // Only the holder reads it: not another record, not the same token as a case token, not an unknown key.
    expect((await chunkAs(a.session.authorization, pa.id, 0)).statusCode).toBe(200);
    expect((await chunkAs(b.session.authorization, pa.id, 0)).json().error.code).toBe('not_found');
    expect((await chunkAs(reporterSession(a.session.token as CaseToken).authorization, pa.id, 0)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/case/attachments/${pa.id}/chunks/0`, headers: { authorization: reporterSession(a.session.token as CaseToken).authorization } })).statusCode).toBe(404);
    expect((await chunkAs('Record nope', pa.id, 0)).json().error.code).toBe('record_not_found');
  });

  it('holds a record to a case\'s limits', async () => {
    const rec = await newRecord();
    const big = { ...fileFor(rec, 1), padded: ATTACHMENT_LIMITS.fileMax + 1024 * 1024 };
    expect((await start(t.app, rec.session, big)).json().error.code).toBe('file_too_large');
    const before = (await db().selectFrom('uploads').select('id').execute()).length;
    // 100 MiB per record, padded: four 25 MiB files fill it, a fifth is refused.
    for (let i = 0; i < 4; i++) expect((await start(t.app, rec.session, { ...fileFor(rec, 1), padded: 25 * 1024 * 1024 })).statusCode).toBe(201);
    expect((await start(t.app, rec.session, fileFor(rec, 1))).json().error.code).toBe('case_storage_full');
    expect((await db().selectFrom('uploads').select('id').execute()).length).toBe(before + 4);
  });

  it('expires uploads no entry took, and keeps those an entry did', async () => {
    const rec = await newRecord();
    const kept = fileFor(rec, 10);
    const left = fileFor(rec, 10);
    await uploadAll(t.app, rec.session, kept);
    await uploadAll(t.app, rec.session, left);
    expect((await addEntry(rec, 'one file', [kept.id])).res.statusCode).toBe(201);
    const a = { db: db(), store: databaseChunkStore(db()) };
    await purgeAbandonedUploads(a, addDays(TODAY, 2));
    expect(await uploadRow(left.id)).toBeUndefined();
    expect(await uploadRow(kept.id)).toMatchObject({ state: 'complete' });
    expect((await chunkAs(rec.session.authorization, kept.id, 0)).statusCode).toBe(200);
  });

  it('turns into a report with its files: the team reads them and checks their receipts; before, no staff or recovery key could', async () => {
    const rec = await newRecord();
    const p = fileFor(rec, 70_000, 'photo.jpg');
    const waiting = fileFor(rec, 10);
    await uploadAll(t.app, rec.session, p);
    await uploadAll(t.app, rec.session, waiting);
    const { res } = await addEntry(rec, 'the photo', [p.id]);
    const fileReceipt = res.json().attachmentReceipts[0].receipt;

    // Before conversion: the meta is sealed under the record key, which no stored wrap gives any staff or
    // recovery key; a staff account cannot reach the file at all; the database holds no plaintext.
    const u = await signIn(t.app, clock, 'nw-bcu-psu-1');
    const stored = (await uploadRow(p.id))!;
    const storedMeta = { nonce: stored.meta_nonce, ct: stored.meta_ct };
    expect(openAttachmentMeta(rec.recordKey, rec.pk, fromB64u(p.id), storedMeta).name).toBe('photo.jpg');
    for (const w of await db().selectFrom('case_keys').selectAll().execute()) {
      const kp = w.kind === 'recovery' ? demoRecoveryKeyPair() : demoStaffKeyPair(w.recipient_id);
      let key: Uint8Array | null = null;
      try {
        key = unwrapKey(kp, fromB64u(w.sealed));
      } catch {
        key = null;
      }
      if (key) expect(() => openAttachmentMeta(key as SymmetricKey, rec.pk, fromB64u(p.id), storedMeta)).toThrow();
      expect(key && toB64u(key)).not.toBe(toB64u(rec.recordKey));
    }
    // No staff route reaches a record's file before it is a case's (there is no case to name).
    expect((await call(t.app, u, 'GET', `/cases/${rec.reference}/attachments/${p.id}/chunks/0`)).statusCode).toBe(403);
    const rows = JSON.stringify(await db().selectFrom('uploads').selectAll().execute());
    const chunks = (await db().selectFrom('attachment_chunks').select('data').execute()).map((r) => Buffer.from(r.data));
    expect(rows).not.toContain('photo.jpg');
    for (const c of chunks) expect(c.includes(Buffer.from(MARKER))).toBe(false);

    const info = await recipients(t.app, { category: 'bullying', unit: 'nw-response-camden' });
    const { body } = sealRecordReport(
      { mode: 'anonymous', category: 'bullying', unit: 'nw-response-camden', report: { narrative: 'My record, with a photo.' } },
      info, demoSigningKeyPair(DEMO_ORG_LABEL).publicKey, rec.session.token as CaseToken, rec.recordKey,
    );
    // The covering note names no files: they travel in the entries.
    const named = await t.app.inject({ method: 'POST', url: '/api/v1/record/report', payload: { ...body, attachments: [p.id] }, headers: { authorization: rec.session.authorization, [POW_HEADER]: await stamp(t.app) } });
    expect(named.json().error.code).toBe('upload_unusable');
    const conv = await t.app.inject({ method: 'POST', url: '/api/v1/record/report', payload: body, headers: { authorization: rec.session.authorization, [POW_HEADER]: await stamp(t.app) } });
    expect(conv.statusCode).toBe(201);
    const caseRef = conv.json().caseRef as string;
    expect(caseRef).toBe(rec.reference);
    // The file joined the case in the conversion's transaction; no upload keeps the record's access hash.
    const caseRow = await db().selectFrom('cases').select('id').where('case_ref', '=', caseRef).executeTakeFirstOrThrow();
    expect(await uploadRow(p.id)).toMatchObject({ case_id: caseRow.id, access_hash: null });
    expect(await uploadRow(waiting.id)).toMatchObject({ case_id: null, access_hash: null });
    expect((await chunkAs(rec.session.authorization, p.id, 0)).statusCode).toBe(404);

    const detail = (await call(t.app, u, 'GET', `/cases/${caseRef}`)).json();
    expect(detail.attachments.map((f: { id: string }) => f.id)).toEqual([p.id]);
    const caseKey = unwrapKey(demoStaffKeyPair('nw-bcu-psu-1'), fromB64u(detail.keyWrap));
    const entry = openRecordEntry(caseKey, fromB64u(detail.record.id), detail.record.entries[0]);
    expect(entry.entry?.attachments).toEqual([{ id: p.id }]);
    const doc = openAttachmentMeta(caseKey, fromB64u(detail.reporterPk) as PublicKey, fromB64u(p.id), detail.attachments[0].meta);
    expect(doc).toMatchObject({ name: 'photo.jpg', size: 70_000 });
    const opener = openAttachment(doc);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < doc.chunks; i++) {
      const r = await t.app.inject({ method: 'GET', url: `/api/v1/staff/cases/${caseRef}/attachments/${p.id}/chunks/${i}`, headers: { cookie: u.cookie } });
      parts.push(opener.open(i, new Uint8Array(r.rawPayload)));
    }
    opener.finish();
    expect(Buffer.concat(parts)).toEqual(Buffer.from(fileOf(70_000)));
    // The holder's receipt, issued before the case existed, is found by the team's check.
    const check = await call(t.app, u, 'POST', `/cases/${caseRef}/receipt-check`, { receipt: receiptText(fileReceipt) });
    expect(check.json()).toMatchObject({ match: true, result: 'match', record: { kind: 'attachment', on: TODAY } });
    // The holder, now with a case token, sees it as their own file.
    const cv = (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: reporterSession(rec.session.token as CaseToken).authorization } })).json();
    expect(cv.attachments).toMatchObject([{ id: p.id, from: 'reporter' }]);
  }, 60_000);
});
