// Resumable uploads of sealed attachments (docs/PROTOCOL.md "Attachments"):
// start → put chunk i (idempotent) → status (which chunks are stored) →
// complete (every chunk stored; the attachment hash is computed by reading
// them back in order). The server sees an id, a padded size, a sealed meta and
// sealed chunks: never a name, a type or a true size. Nothing is kept in
// memory between requests, so any instance can take any step.
import type { Kysely, Transaction } from 'kysely';
import { ATTACHMENT_LIMITS } from '../../../shared/src/api/domain.ts';
import type { CompleteUpload, StartUpload, UploadStatus } from '../../../shared/src/api/attachments.ts';
import { attachmentHasher, chunkCountFor, isAttachmentBucket, toB64u } from '../../../shared/src/crypto/index.ts';
import { addDays } from '../../../shared/src/domain/clock.ts';
import type { CaseRow, Database, UploadRow } from '../db/database.ts';
import { isPostgres, isUniqueViolation } from '../db/dialect.ts';
import { ApiError } from '../plugins/errors.ts';
import { checkEnvelope, decodeExact } from '../intake/validate.ts';
import { touchActivity } from '../case/repository.ts';
import * as repo from './repository.ts';
import type { ChunkStore } from './store.ts';

type Db = Kysely<Database>;
type Tx = Transaction<Database>;

/**
 * Who is uploading: a token holder (with or without a filed case), a private record's holder (its
 * record access hash; the file waits for an entry that names it), or a staff member on a case they may act on.
 */
export type Uploader =
  | { kind: 'reporter'; accessHash: string; row: CaseRow | null }
  | { kind: 'holder'; accessHash: string; recordId: string }
  | { kind: 'triage'; staffId: string; row: CaseRow };

/** An audit entry written in the completing transaction (staff uploads). */
export type UploadAudit = (tx: Tx, uploadId: string) => Promise<void>;

export interface Attachments {
  db: Db;
  store: ChunkStore;
}

function owns(who: Uploader, u: UploadRow): boolean {
  if (who.kind !== 'triage') return u.sender === 'reporter' && u.access_hash === who.accessHash;
  return u.sender === 'triage' && u.staff_id === who.staffId && u.case_id === who.row.id;
}

/** The upload if this uploader made it; otherwise 404, the same as an unknown id. */
async function ownUpload(a: Attachments, who: Uploader, id: string): Promise<UploadRow> {
  const u = await repo.findUpload(a.db, id);
  if (!u || !owns(who, u)) throw new ApiError('not_found');
  return u;
}

async function statusOf(a: Attachments, u: UploadRow): Promise<UploadStatus> {
  return {
    id: u.id, chunks: Number(u.chunks), stored: await a.store.indices(u.id), complete: u.state === 'complete',
    expiresAfter: addDays(u.created_on, ATTACHMENT_LIMITS.pendingDays),
  };
}

export async function startUpload(a: Attachments, who: Uploader, body: StartUpload, today: string): Promise<UploadStatus> {
  decodeExact(body.id, 16);
  checkEnvelope(body.meta, ATTACHMENT_LIMITS.metaPaddedMax);
  if (body.paddedSize > ATTACHMENT_LIMITS.fileMax) throw new ApiError('file_too_large');
  if (!isAttachmentBucket(body.paddedSize)) throw new ApiError('invalid_size');
  const caseId = who.kind === 'holder' ? null : who.row?.id ?? null;
  const owner = caseId !== null ? { caseId } : { accessHash: (who as { accessHash: string }).accessHash };
  const row = {
    id: body.id,
    case_id: caseId,
    access_hash: who.kind === 'triage' ? null : who.accessHash,
    staff_id: who.kind === 'triage' ? who.staffId : null,
    // A record's files become the reporter's files of the case the record may turn into.
    sender: who.kind === 'triage' ? 'triage' as const : 'reporter' as const,
    padded_size: body.paddedSize,
    chunks: chunkCountFor(body.paddedSize),
    meta_nonce: body.meta.nonce,
    meta_ct: body.meta.ct,
    state: 'pending' as const,
    sealed_hash: null,
    created_on: today,
    completed_on: null,
  };
  try {
    await a.db.transaction().execute(async (tx) => {
      if (isPostgres(tx)) await repo.lockOwner(tx, caseId !== null ? `case:${caseId}` : `token:${row.access_hash}`);
      const used = await repo.usage(tx, owner);
      // A record holds what the case it may become could hold (its files join that case whole).
      const maxFiles = caseId !== null || who.kind === 'holder' ? ATTACHMENT_LIMITS.filesPerCase : ATTACHMENT_LIMITS.filesPerReport;
      if (used.files >= maxFiles) throw new ApiError('too_many_files');
      if (used.bytes + body.paddedSize > ATTACHMENT_LIMITS.casePaddedMax) throw new ApiError('case_storage_full');
      await repo.insertUpload(tx, row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError('upload_exists');
    throw err;
  }
  return { id: row.id, chunks: row.chunks, stored: [], complete: false, expiresAfter: addDays(today, ATTACHMENT_LIMITS.pendingDays) };
}

export async function uploadStatus(a: Attachments, who: Uploader, id: string): Promise<UploadStatus> {
  return statusOf(a, await ownUpload(a, who, id));
}

/** Stores chunk `index`. The same bytes again are accepted (a retry after a lost answer); other bytes are refused. */
export async function putChunk(a: Attachments, who: Uploader, id: string, index: number, body: unknown): Promise<{ index: number }> {
  const u = await ownUpload(a, who, id);
  if (!Number.isSafeInteger(index) || index < 0 || index >= Number(u.chunks)) throw new ApiError('invalid_request', 'No such chunk in this upload.');
  if (!(body instanceof Uint8Array) || body.length !== ATTACHMENT_LIMITS.sealedChunkBytes) throw new ApiError('invalid_size');
  const result = await a.store.put(id, index, body);
  if (result === 'different') throw new ApiError('chunk_mismatch');
  return { index };
}

/**
 * Every chunk stored: the attachment hash is computed by reading them back in order (one at a time,
 * so memory stays at one chunk), then the upload is marked complete. A case upload becomes part of
 * its case at once; a reporter's upload for a report not yet filed waits for POST /reports.
 * Completing twice answers the same hash.
 */
export async function completeUpload(a: Attachments, who: Uploader, id: string, today: string, audit?: UploadAudit): Promise<CompleteUpload> {
  const u = await ownUpload(a, who, id);
  if (u.state === 'complete' && u.sealed_hash) return { id, hash: u.sealed_hash, on: u.completed_on ?? today };
  const n = Number(u.chunks);
  const stored = await a.store.indices(id);
  if (stored.length !== n) throw new ApiError('upload_incomplete');
  const hasher = attachmentHasher();
  for (let i = 0; i < n; i++) {
    const chunk = await a.store.get(id, i);
    if (!chunk) throw new ApiError('upload_incomplete');
    hasher.update(chunk);
  }
  const hash = toB64u(hasher.digest());
  await a.db.transaction().execute(async (tx) => {
    if (!(await repo.markComplete(tx, id, hash, today))) return; // a racing completion got there first, with the same bytes
    if (u.case_id !== null) await touchActivity(tx, u.case_id, today);
    if (audit) await audit(tx, id);
  });
  const done = await repo.findUpload(a.db, id);
  return { id, hash: done?.sealed_hash ?? hash, on: done?.completed_on ?? today };
}

/** After a report is committed: each named file's attachment hash and day, in the order named, for its receipt. */
export async function namedAttachmentHashes(db: Db, ids: readonly string[] | undefined): Promise<{ id: string; hash: string; on: string }[]> {
  const found = await repo.completedHashes(db, ids ?? []);
  return (ids ?? []).flatMap((id) => {
    const f = found.get(id);
    return f ? [{ id, ...f }] : [];
  });
}

/** POST /reports: the ids must not repeat (checked before the transaction). */
export function checkReportAttachments(ids: readonly string[] | undefined): void {
  if (!ids) return;
  for (const id of ids) decodeExact(id, 16);
  if (new Set(ids).size !== ids.length) throw new ApiError('upload_unusable', 'An attachment is named twice.');
}

/** Inside the report's transaction: every named upload must be complete and made with this token; each joins the case. */
export async function linkReportAttachments(tx: Tx, ids: readonly string[] | undefined, accessHash: string, caseId: number): Promise<void> {
  for (const id of ids ?? []) {
    if (!(await repo.linkToCase(tx, id, accessHash, caseId))) throw new ApiError('upload_unusable');
  }
}

/**
 * One sealed chunk of a completed attachment of this case, for a reader of the case; or of a file an
 * entry of this record took, for the record's holder (before conversion: afterwards it is the case's).
 */
export async function readChunk(a: Attachments, owner: number | { recordId: string }, id: string, index: number): Promise<Uint8Array> {
  const u = await repo.findUpload(a.db, id);
  const theirs = typeof owner === 'number' ? u?.case_id === owner : u?.record_id === owner.recordId && u.case_id === null;
  if (!u || !theirs || u.state !== 'complete' || !Number.isSafeInteger(index) || index < 0 || index >= Number(u.chunks)) {
    throw new ApiError('not_found');
  }
  const chunk = await a.store.get(id, index);
  if (!chunk) throw new ApiError('not_found');
  return chunk;
}

/**
 * Removes uploads begun more than `pendingDays` days before `today` that never became part of a case
 * or a record's entry (abandoned reports and entries) or never completed: rows first (conditionally, see deleteExpiredUploads), then
 * their chunks. (In the database store the chunks also go with the row, by foreign key.)
 */
export async function purgeAbandonedUploads(a: Attachments, today: string, batch = 200): Promise<number> {
  const cutoff = addDays(today, -ATTACHMENT_LIMITS.pendingDays - 1);
  let total = 0;
  for (;;) {
    const ids = await repo.deleteExpiredUploads(a.db, cutoff, batch);
    if (ids.length === 0) return total;
    await a.store.remove(ids);
    total += ids.length;
  }
}
