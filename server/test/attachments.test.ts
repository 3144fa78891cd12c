// Attachments over HTTP on both dialects: a resumable, idempotent upload made
// before the report it belongs to; the report acknowledged only when every
// chunk of every file it names is stored; limits refused with clear codes and
// nothing changed; staff uploads and downloads on their cases; abandoned
// uploads purged; and only ciphertext in the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStaffKeyPair } from '../../seeds/demo.ts';
import { ATTACHMENT_LIMITS } from '../../shared/src/api/domain.ts';
import {
  ATTACHMENT_CHUNK, fromB64u, openAttachment, openAttachmentMeta, POW_HEADER, toB64u, unwrapKey, type PublicKey, type SymmetricKey,
} from '../../shared/src/crypto/index.ts';
import { purgeAbandonedUploads } from '../src/attachments/service.ts';
import { receiptText, verifyReceipt, type Receipt, type ReceiptKey } from '../../shared/src/crypto/receipt.ts';
import { databaseChunkStore } from '../src/attachments/store.ts';
import { dialects } from './databases.ts';
import { makeApp, postReport, rowCounts, sealFor, stamp, TODAY, type Sealed, type TestApp } from './helpers.ts';
import { Clock, signIn, type Session } from './staff-helpers.ts';
import { addDays } from '../../shared/src/domain/clock.ts';
import { complete, fileOf, headersOf, MARKER, prepare, put, start, status, uploadAll } from './upload-helpers.ts';

const STAFF = ['nw-bcu-psu-1', 'nw-bcu-psu-2', 'dps-central-1'];
const MiB = 1024 * 1024;

const caseKeyOf = (s: Sealed): SymmetricKey => unwrapKey(s.session.keyPair, fromB64u(s.body.reporterKey));

describe.each(dialects)('attachments on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  const staff: Record<string, Session> = {};
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: STAFF, now: clock.now });
    for (const u of STAFF) staff[u] = await signIn(t.app, clock, u);
  }, 60_000);
  afterAll(async () => { await t?.close(); });
  const counts = async () => ({
    ...(await rowCounts(t)),
    uploads: (await t.tdb.handle.db.selectFrom('uploads').select('id').execute()).length,
    chunks: (await t.tdb.handle.db.selectFrom('attachment_chunks').select('idx').execute()).length,
  });

  it('uploads before the report, resumably and idempotently; the report is 201 only once every chunk is stored', async () => {
    const sealed = await sealFor(t.app);
    const me = sealed.session;
    const key = caseKeyOf(sealed);
    const file = fileOf(2 * ATTACHMENT_CHUNK + 999);
    const p = prepare(key, me.keyPair.publicKey, file);
    expect(p.chunks).toHaveLength(4); // 128 KiB + 999 B pads to 256 KiB

    const started = await start(t.app, me, p);
    expect(started.statusCode).toBe(201);
    expect(started.json()).toEqual({ id: p.id, chunks: 4, stored: [], complete: false, expiresAfter: addDays(TODAY, 1) });
    // Out of order, then interrupted: the status says where to resume.
    expect((await put(t.app, me, p.id, 0, p.chunks[0]!)).json()).toEqual({ index: 0 });
    expect((await put(t.app, me, p.id, 2, p.chunks[2]!)).statusCode).toBe(200);
    expect((await status(t.app, me, p.id)).json()).toMatchObject({ stored: [0, 2], complete: false });

    // Not complete yet: completing and reporting are both refused, and nothing changes.
    const before = await counts();
    expect((await complete(t.app, me, p.id)).json().error.code).toBe('upload_incomplete');
    const early = await postReport(t.app, { ...sealed.body, attachments: [p.id] });
    expect([early.statusCode, early.json().error.code]).toEqual([409, 'upload_unusable']);
    expect(await counts()).toEqual(before);

    // Resume; a repeated chunk (lost answer) is fine, different bytes for it are not.
    for (const i of [1, 3]) expect((await put(t.app, me, p.id, i, p.chunks[i]!)).statusCode).toBe(200);
    expect((await put(t.app, me, p.id, 1, p.chunks[1]!)).statusCode).toBe(200);
    const other = await put(t.app, me, p.id, 1, p.chunks[2]!);
    expect([other.statusCode, other.json().error.code]).toEqual([409, 'chunk_mismatch']);
    const done = await complete(t.app, me, p.id);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ id: p.id, hash: p.hash, on: TODAY });
    expect((await complete(t.app, me, p.id)).json().hash).toBe(p.hash);
    expect((await status(t.app, me, p.id)).json()).toMatchObject({ stored: [0, 1, 2, 3], complete: true });

    // Another token can neither see, add to, nor claim this upload.
    const stranger = (await sealFor(t.app)).session;
    expect((await status(t.app, stranger, p.id)).statusCode).toBe(404);
    expect((await put(t.app, stranger, p.id, 0, p.chunks[0]!)).json().error.code).toBe('not_found');

    const res = await postReport(t.app, { ...sealed.body, attachments: [p.id] });
    expect(res.statusCode).toBe(201);
    // The report's answer carries a receipt for the file, under the new case's reference: it names the
    // attachment hash, so it checks against the sealed chunks and fails on any other byte.
    const published = (await t.app.inject({ method: 'GET', url: '/api/v1/receipts/keys' })).json() as { current: ReceiptKey };
    const fileReceipts = res.json().attachmentReceipts as { id: string; receipt: Receipt }[];
    expect(fileReceipts.map((r) => r.id)).toEqual([p.id]);
    expect(fileReceipts[0]!.receipt).toMatchObject({ kind: 'attachment', caseRef: res.json().caseRef, receivedOn: TODAY, sealedHash: p.hash });
    const sealedFile = Buffer.concat(p.chunks);
    expect(verifyReceipt(fileReceipts[0]!.receipt, [published.current], sealedFile)).toMatchObject({ ok: true, hashChecked: true });
    sealedFile[70_000] = sealedFile[70_000]! ^ 1;
    expect(verifyReceipt(fileReceipts[0]!.receipt, [published.current], sealedFile)).toMatchObject({ ok: false, code: 'hash_mismatch' });
    const staffCheck = await t.app.inject({
      method: 'POST', url: `/api/v1/staff/cases/${res.json().caseRef}/receipt-check`, headers: headersOf(staff['nw-bcu-psu-1']!, true),
      payload: { receipt: receiptText(fileReceipts[0]!.receipt) },
    });
    expect(staffCheck.json()).toMatchObject({ match: true, result: 'match', record: { kind: 'attachment', on: TODAY } });
    const view = (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: me.authorization } })).json();
    expect(view.attachments).toEqual([{ id: p.id, from: 'reporter', on: TODAY, paddedSize: 256 * 1024, chunks: 4, meta: p.meta }]);

    // Staff of the team open it in full, with the hash the upload answered.
    const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/staff/cases/${res.json().caseRef}`, headers: headersOf(staff['nw-bcu-psu-1']!, false) })).json();
    const staffKey = unwrapKey(demoStaffKeyPair('nw-bcu-psu-1'), fromB64u(detail.keyWrap));
    const doc = openAttachmentMeta(staffKey, fromB64u(detail.reporterPk) as PublicKey, fromB64u(p.id), detail.attachments[0].meta);
    expect(doc).toMatchObject({ name: `${MARKER}.txt`, type: 'text/plain', size: file.length });
    const opener = openAttachment(doc);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < doc.chunks; i++) {
      const r = await t.app.inject({ method: 'GET', url: `/api/v1/staff/cases/${res.json().caseRef}/attachments/${p.id}/chunks/${i}`, headers: headersOf(staff['nw-bcu-psu-1']!, false) });
      expect(r.headers['content-type']).toBe('application/octet-stream');
      parts.push(opener.open(i, new Uint8Array(r.rawPayload)));
    }
    opener.finish();
    expect(Buffer.concat(parts).equals(Buffer.from(file))).toBe(true);
    // The reporter reads their own files too; another team's member cannot.
    const mine = await t.app.inject({ method: 'GET', url: `/api/v1/case/attachments/${p.id}/chunks/0`, headers: { authorization: me.authorization } });
    expect(Buffer.from(mine.rawPayload).equals(Buffer.from(p.chunks[0]!))).toBe(true);
    const outsider = await t.app.inject({ method: 'GET', url: `/api/v1/staff/cases/${res.json().caseRef}/attachments/${p.id}/chunks/0`, headers: headersOf(staff['dps-central-1']!, false) });
    expect(outsider.statusCode).toBe(403);
    // Once part of a case, an upload cannot be named by another report.
    const again = await sealFor(t.app);
    expect((await postReport(t.app, { ...again.body, attachments: [p.id] })).json().error.code).toBe('upload_unusable');
  });

  it('refuses bad sizes and over-limit files with clear codes, changing nothing', async () => {
    const sealed = await sealFor(t.app);
    const me = sealed.session;
    const p = prepare(caseKeyOf(sealed), me.keyPair.publicKey, fileOf(100));
    const before = await counts();
    const code = async (r: Promise<{ statusCode: number; json(): { error: { code: string } } }>) => { const x = await r; return [x.statusCode, x.json().error.code]; };
    expect(await code(start(t.app, me, { ...p, padded: 3 * ATTACHMENT_CHUNK }))).toEqual([400, 'invalid_size']);
    // The server sees no type: every file is held to 100 MiB (an audio or video file; the browser keeps the rest to 25 MiB).
    expect(await code(start(t.app, me, { ...p, padded: 101 * MiB }))).toEqual([413, 'file_too_large']);
    expect(await code(start(t.app, me, { ...p, meta: { ...p.meta, ct: toB64u(Uint8Array.of(2, ...new Uint8Array(3000))) } }))).toEqual([400, 'invalid_size']);
    const noStamp = await t.app.inject({ method: 'POST', url: '/api/v1/uploads', headers: { authorization: me.authorization }, payload: { id: p.id, paddedSize: p.padded, meta: p.meta } });
    expect([noStamp.statusCode, noStamp.json().error.code]).toEqual([428, 'pow_required']);
    const badAuth = await t.app.inject({ method: 'POST', url: '/api/v1/uploads', headers: { authorization: 'Case nope', [POW_HEADER]: await stamp(t.app) }, payload: { id: p.id, paddedSize: p.padded, meta: p.meta } });
    expect(badAuth.statusCode).toBe(404);
    expect(await counts()).toEqual(before);

    expect((await start(t.app, me, p)).statusCode).toBe(201);
    expect(await code(start(t.app, me, p))).toEqual([409, 'upload_exists']);
    const mid = await counts();
    expect(await code(put(t.app, me, p.id, 0, p.chunks[0]!.subarray(1)))).toEqual([400, 'invalid_size']);
    expect(await code(put(t.app, me, p.id, 0, new Uint8Array(ATTACHMENT_LIMITS.sealedChunkBytes + 1)))).toEqual([413, 'payload_too_large']);
    expect(await code(put(t.app, me, p.id, 1, p.chunks[0]!))).toEqual([400, 'invalid_request']);
    const json = await t.app.inject({ method: 'PUT', url: `/api/v1/uploads/${p.id}/chunks/0`, headers: { authorization: me.authorization }, payload: { x: 1 } });
    expect(json.statusCode).toBe(400);
    expect(await counts()).toEqual(mid);

    // Ten files per report; the eleventh is refused.
    for (let i = 1; i < ATTACHMENT_LIMITS.filesPerReport; i++) {
      expect((await start(t.app, me, prepare(caseKeyOf(sealed), me.keyPair.publicKey, fileOf(10)))).statusCode).toBe(201);
    }
    const full = await counts();
    expect(await code(start(t.app, me, prepare(caseKeyOf(sealed), me.keyPair.publicKey, fileOf(10))))).toEqual([409, 'too_many_files']);
    expect(await counts()).toEqual(full);

    // 100 MiB a case (padded): four 25 MiB files fit, a fifth byte does not. Only starts: no bytes needed.
    const big = await sealFor(t.app);
    const bigP = (n: number) => ({ ...prepare(caseKeyOf(big), big.session.keyPair.publicKey, fileOf(1)), padded: n });
    for (let i = 0; i < 4; i++) expect((await start(t.app, big.session, bigP(25 * MiB))).statusCode).toBe(201);
    expect(await code(start(t.app, big.session, bigP(64 * 1024)))).toEqual([409, 'case_storage_full']);
    // One 100 MiB video fills a case on its own.
    const video = await sealFor(t.app);
    const videoP = (n: number) => ({ ...prepare(caseKeyOf(video), video.session.keyPair.publicKey, fileOf(1)), padded: n });
    expect((await start(t.app, video.session, videoP(100 * MiB))).statusCode).toBe(201);
    expect(await code(start(t.app, video.session, videoP(64 * 1024)))).toEqual([409, 'case_storage_full']);
  });

  it('staff add a file to their case; the team reads it; outsiders cannot; the audit log names only the id', async () => {
    const sealed = await sealFor(t.app);
    const res = await postReport(t.app, sealed.body);
    const ref = res.json().caseRef as string;
    const me = staff['nw-bcu-psu-1']!;
    const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/staff/cases/${ref}`, headers: headersOf(me, false) })).json();
    const key = unwrapKey(demoStaffKeyPair('nw-bcu-psu-1'), fromB64u(detail.keyWrap));
    const p = prepare(key, fromB64u(detail.reporterPk) as PublicKey, fileOf(5000), 'interview-notes.txt');
    const outsider = await start(t.app, staff['dps-central-1']!, p, ref);
    expect(outsider.statusCode).toBe(403);
    await uploadAll(t.app, me, p, ref);
    const staffDone = (await complete(t.app, me, p.id, ref)).json();
    expect(staffDone.receipt).toMatchObject({ kind: 'attachment', caseRef: ref, sealedHash: p.hash, receivedOn: TODAY });
    // A colleague cannot add to or finish someone else's upload.
    expect((await status(t.app, staff['nw-bcu-psu-2']!, p.id, ref)).statusCode).toBe(404);

    const view = (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: sealed.session.authorization } })).json();
    expect(view.attachments).toMatchObject([{ id: p.id, from: 'triage', chunks: 1 }]);
    const doc = openAttachmentMeta(caseKeyOf(sealed), sealed.session.keyPair.publicKey, fromB64u(p.id), view.attachments[0].meta);
    expect(doc.name).toBe('interview-notes.txt');
    const audit = await t.tdb.handle.db.selectFrom('audit_log').select(['action', 'detail', 'case_ref']).where('action', '=', 'case.attachment').execute();
    expect(audit).toEqual([{ action: 'case.attachment', case_ref: ref, detail: JSON.stringify({ id: p.id }) }]);

    // The reporter adds a file later, from the follow-up page: it joins the case on completion.
    const later = prepare(caseKeyOf(sealed), sealed.session.keyPair.publicKey, fileOf(70_000), 'later.txt');
    await uploadAll(t.app, sealed.session, later);
    // Joined to an existing case on completion, so its receipt comes with the completion.
    const laterDone = (await complete(t.app, sealed.session, later.id)).json();
    expect(laterDone.receipt).toMatchObject({ kind: 'attachment', caseRef: ref, sealedHash: later.hash });
    const after = (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: sealed.session.authorization } })).json();
    expect(after.attachments.map((x: { id: string }) => x.id).sort()).toEqual([p.id, later.id].sort());
  });

  it('holds only ciphertext: no name, no content, no true size in any row', async () => {
    const chunks = await t.tdb.handle.db.selectFrom('attachment_chunks').select('data').execute();
    expect(chunks.length).toBeGreaterThan(0);
    const marker = Buffer.from(MARKER);
    for (const c of chunks) {
      expect(c.data.length).toBe(ATTACHMENT_LIMITS.sealedChunkBytes);
      expect(Buffer.from(c.data).includes(marker)).toBe(false);
    }
    const rows = JSON.stringify(await t.tdb.handle.db.selectFrom('uploads').selectAll().execute());
    expect(rows).not.toContain(MARKER);
    expect(rows).not.toContain('interview');
    expect(rows).not.toContain('text/plain');
    for (const size of ['5000', '70000', '132071']) expect(rows).not.toContain(`:${size},`);
  });

  it('purges uploads never sent or never finished once their day has passed, and keeps case files', async () => {
    const sealed = await sealFor(t.app);
    const p = prepare(caseKeyOf(sealed), sealed.session.keyPair.publicKey, fileOf(10));
    await uploadAll(t.app, sealed.session, p);
    const db = t.tdb.handle.db;
    const inCases = (await db.selectFrom('uploads').select('id').where('case_id', 'is not', null).where('state', '=', 'complete').execute()).length;
    const a = { db, store: databaseChunkStore(db) };
    expect(await purgeAbandonedUploads(a, addDays(TODAY, 1))).toBe(0); // still within its time
    expect(await purgeAbandonedUploads(a, addDays(TODAY, 2))).toBeGreaterThan(0);
    const left = await db.selectFrom('uploads').select(['id', 'case_id', 'state']).execute();
    expect(left).toHaveLength(inCases);
    expect(left.every((r) => r.case_id !== null && r.state === 'complete')).toBe(true);
    const orphan = await db.selectFrom('attachment_chunks').select('upload_id').where('upload_id', 'not in', left.map((r) => r.id)).execute();
    expect(orphan).toEqual([]);
    const late = await postReport(t.app, { ...sealed.body, attachments: [p.id] });
    expect(late.json().error.code).toBe('upload_unusable');
  });
});
