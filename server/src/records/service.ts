// Private records: the holder's side, authenticated only by the access key derived from
// the record token. Nothing here can read an entry; the server stores ciphertext, the
// wrapped record key and days. No audit entry is written for a holder's action: the audit
// log records staff actions, and an entry per record would itself be metadata that links
// visits (docs/THREAT-MODEL.md "Private records").
import type { Kysely } from 'kysely';
import {
  RECORD_ENTRIES_MAX, RECORD_ENTRY_PADDED_MAX, RECORD_SUBJECT_PADDED_MAX,
  type CaseRecord, type NewRecord, type NewRecordEntry, type NewRecordEntryResult, type RecordEntryWire, type RecordView,
} from '../../../shared/src/api/record.ts';
import type { SubmitReport, SubmitReportResult } from '../../../shared/src/api/schemas.ts';
import { accessHashOf, entrySealedHash, fromB64u, toB64u } from '../../../shared/src/crypto/index.ts';
import type { Database } from '../db/database.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { checkEnvelope, decodeExact } from '../intake/validate.ts';
import { submitReport } from '../intake/service.ts';
import { ApiError } from '../plugins/errors.ts';
import { newCaseRef } from '../case/repository.ts';
import type { Receipt } from '../receipts/service.ts';
import * as repo from './repository.ts';
import { itemMonths, latestDay } from '../retention/repository.ts';
import { addMonths } from '../../../shared/src/domain/clock.ts';
import * as files from '../attachments/repository.ts';
import type { ChunkStore } from '../attachments/store.ts';

type Db = Kysely<Database>;

/**
 * Signs a receipt (receipts/service.ts issueReceipt) under the record's reference: kind "entry" over an
 * entry's sealed hash, or "attachment" over a file's attachment hash; the day.
 */
export type EntryReceipts = (input: { kind: 'entry' | 'attachment'; reference: string; sealedHash: string; day: string }) => Receipt;

/** The Authorization scheme of record requests (the upload routes tell record holders from case tokens by it). */
export const RECORD_SCHEME = 'Record ';
const HEADER = /^Record ([A-Za-z0-9_-]{43})$/;
const DUMMY_KEY = new Uint8Array(32);

/** The record for this Authorization header, or 404 record_not_found (malformed and unknown alike, same work). */
export async function authenticate(db: Db, header: string | undefined): Promise<repo.RecordRow & { access_hash: string; holder_key: string }> {
  const m = header === undefined ? null : HEADER.exec(header);
  let key: Uint8Array = DUMMY_KEY;
  let wellFormed = false;
  if (m?.[1]) {
    try {
      const k = fromB64u(m[1]);
      if (k.length === 32) {
        key = k;
        wellFormed = true;
      }
    } catch {
      // the dummy key
    }
  }
  const row = await repo.findByAccessHash(db, toB64u(accessHashOf(key)));
  if (!row || !wellFormed || row.access_hash === null || row.holder_key === null) throw new ApiError('record_not_found');
  return row as repo.RecordRow & { access_hash: string; holder_key: string };
}

export async function createRecord(db: Db, body: NewRecord, today: string): Promise<{ id: string; reference: string }> {
  decodeExact(body.id, 16);
  decodeExact(body.accessHash, 32);
  decodeExact(body.holderKey, 72);
  for (let attempt = 0; ; attempt++) {
    if (await repo.recordExists(db, body.id, body.accessHash)) throw new ApiError('record_exists');
    // Random like a case reference, and never one a case already has: the case this may become takes it.
    const reference = newCaseRef();
    if (await repo.referenceTaken(db, reference)) continue;
    try {
      await repo.insertRecord(db, { id: body.id, reference, access_hash: body.accessHash, holder_key: body.holderKey, created_on: today });
      return { id: body.id, reference };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      if (await repo.recordExists(db, body.id, body.accessHash)) throw new ApiError('record_exists');
      if (attempt >= 5) throw err;
    }
  }
}

export function entryWire(e: repo.EntryRow): RecordEntryWire {
  const w: RecordEntryWire = {
    id: e.id, on: e.on,
    entry: { nonce: e.entry_nonce, ct: e.entry_ct },
    subject: { nonce: e.subject_nonce, ct: e.subject_ct },
    sealedHash: e.sealed_hash,
  };
  if (e.receipt !== null) w.receipt = JSON.parse(e.receipt) as Receipt;
  return w;
}

export async function recordView(db: Db, row: { id: string; holder_key: string; created_on: string | null }): Promise<RecordView> {
  const [entries, kept, months] = await Promise.all([repo.entriesOf(db, row.id), files.recordAttachments(db, row.id), itemMonths(db, 'record')]);
  const attachments = kept.map(({ receipt, ...f }) => (receipt === null ? f : { ...f, receipt: JSON.parse(receipt) as Receipt }));
  // The same reckoning as the purge (retention/repository.ts quietRecords): the later of its day and its last entry's.
  const last = latestDay([row.created_on, ...entries.map((e) => e.on)]);
  const expiresOn = months === null || last === undefined ? null : addMonths(last, months);
  return { id: row.id, holderKey: row.holder_key, entries: entries.map(entryWire), attachments, expiresOn };
}

export async function addEntry(
  db: Db, row: { id: string; reference: string; access_hash: string }, body: NewRecordEntry, today: string, receipts?: EntryReceipts,
): Promise<NewRecordEntryResult> {
  decodeExact(body.id, 16);
  checkEnvelope(body.entry, RECORD_ENTRY_PADDED_MAX);
  checkEnvelope(body.subject, RECORD_SUBJECT_PADDED_MAX);
  const named = body.attachments ?? [];
  for (const id of named) decodeExact(id, 16);
  if (new Set(named).size !== named.length) throw new ApiError('upload_unusable', 'A file is named twice.');
  if (await repo.entryExists(db, row.id, body.id)) throw new ApiError('entry_exists');
  if ((await repo.countEntries(db, row.id)) >= RECORD_ENTRIES_MAX) throw new ApiError('too_many_entries');
  // The hash over exactly the bytes stored: what the receipt binds and what any reader recomputes.
  const sealedHash = toB64u(entrySealedHash(fromB64u(row.id), body));
  let receipt: Receipt | undefined;
  const fileReceipts: { id: string; receipt: Receipt }[] = [];
  try {
    await db.transaction().execute(async (tx) => {
      const n = await repo.nextEntryN(tx, row.id, row.access_hash);
      if (n === undefined) throw new ApiError('record_not_found');
      await repo.insertEntry(tx, {
        record_id: row.id, id: body.id, n, on: today,
        entry_nonce: body.entry.nonce, entry_ct: body.entry.ct,
        subject_nonce: body.subject.nonce, subject_ct: body.subject.ct,
        sealed_hash: sealedHash, receipt: null,
      });
      // Every named file must be complete (all its chunks stored) and this record's, in no entry yet, or
      // nothing is stored. The server learns these ids arrived with this entry; it writes only the record
      // on each upload, never the entry.
      for (const id of named) {
        if (!(await files.keepInRecord(tx, id, row.access_hash, row.id))) throw new ApiError('upload_unusable');
      }
      // Signed inside the entry's transaction and kept with it: the receipt leaves the server only
      // once the bytes it names are committed, and staff can check it after conversion. A database
      // writer can delete it but not make one (the key is outside the database).
      if (receipts) {
        receipt = receipts({ kind: 'entry', reference: row.reference, sealedHash, day: today });
        await repo.setReceipt(tx, row.id, body.id, JSON.stringify(receipt));
        // Each file's receipt: its attachment hash on the day its last chunk was stored, as for a report's
        // files, so the staff receipt check finds it by that day once the record is a case.
        const hashes = await files.completedHashes(tx, named);
        for (const id of named) {
          const f = hashes.get(id);
          if (!f) throw new ApiError('upload_unusable');
          const r = receipts({ kind: 'attachment', reference: row.reference, sealedHash: f.hash, day: f.on });
          await files.setUploadReceipt(tx, id, JSON.stringify(r));
          fileReceipts.push({ id, receipt: r });
        }
      }
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError('entry_exists');
    throw err;
  }
  const result: NewRecordEntryResult = { id: body.id, on: today, sealedHash };
  if (receipt !== undefined) result.receipt = receipt;
  if (named.length > 0 && receipts) result.attachmentReceipts = fileReceipts;
  return result;
}

/**
 * Deletes the record, its entries and every upload of it (in an entry or not), chunks first: the
 * chunk store need not be the database (attachments/store.ts), and a chunk must never outlive its row.
 * A chunk stored in between goes with its row (foreign key) in the database store.
 */
export async function deleteRecord(db: Db, store: ChunkStore, row: { id: string; access_hash: string }): Promise<void> {
  await store.remove(await files.recordUploadIds(db, row.id, row.access_hash));
  const gone = await db.transaction().execute(async (tx) => {
    const ids = await files.recordUploadIds(tx, row.id, row.access_hash);
    if (!(await repo.deleteRecord(tx, row.id, row.access_hash))) return false;
    await files.deleteChunks(tx, ids);
    await files.deleteUploads(tx, ids);
    return true;
  });
  if (!gone) throw new ApiError('record_not_found');
}

/**
 * The record becomes a report: the body is checked exactly as POST /reports checks one (routing,
 * the directory's recipients, sizes), and the case and the record's link to it commit together.
 */
export async function recordToReport(
  db: Db, row: { id: string; reference: string; access_hash: string }, body: SubmitReport, today: string, nowMs: number,
): Promise<SubmitReportResult> {
  // A record's files travel in its entries; the covering note names none, so the case starts within a case's limits.
  if (body.attachments?.length) throw new ApiError('upload_unusable', 'A record’s files go in its entries, not in the covering note.');
  return submitReport(db, body, today, nowMs, undefined, async (tx, caseRow) => {
    if (!(await repo.linkToCase(tx, row.id, row.access_hash, caseRow.id))) throw new ApiError('record_not_found');
    // The record's files go with it, in the case's transaction: they are already sealed under the case key.
    await files.moveRecordUploads(tx, row.id, row.access_hash, caseRow.id);
  }, row.reference);
}

/** For the triage case view: the entries of the record this case began as, if it did. */
export async function caseRecord(db: Kysely<Database>, caseId: number): Promise<CaseRecord | undefined> {
  const rec = await repo.recordOfCase(db, caseId);
  if (!rec) return undefined;
  return { id: rec.id, entries: (await repo.entriesOf(db, rec.id)).map(entryWire) };
}
