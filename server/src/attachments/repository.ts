// Uploads and the database chunk store: Kysely only.
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { AttachmentView } from '../../../shared/src/api/schemas.ts';
import type { Database, UploadRow, UploadsTable } from '../db/database.ts';
import { toCount } from '../db/dialect.ts';
import type { Insertable } from 'kysely';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertUpload(db: Db, row: Insertable<UploadsTable>): Promise<void> {
  await db.insertInto('uploads').values(row).execute();
}

export async function findUpload(db: Db, id: string): Promise<UploadRow | undefined> {
  return db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Files and padded bytes already taken by an owner: a case, or a token's report still being written. */
export async function usage(db: Db, owner: { caseId: number } | { accessHash: string }): Promise<{ files: number; bytes: number }> {
  let q = db.selectFrom('uploads').select((eb) => [eb.fn.countAll().as('files'), eb.fn.sum<number>('padded_size').as('bytes')]);
  q = 'caseId' in owner ? q.where('case_id', '=', owner.caseId) : q.where('access_hash', '=', owner.accessHash).where('case_id', 'is', null);
  const r = await q.executeTakeFirst();
  return { files: toCount(r?.files), bytes: toCount(r?.bytes ?? 0) };
}

/**
 * PostgreSQL: serialises uploads starting for one owner until the transaction ends, so two instances
 * cannot both pass the limit check. (SQLite transactions already run one at a time.)
 */
export async function lockOwner(tx: Transaction<Database>, key: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${'upload:' + key}))`.execute(tx);
}

export async function markComplete(db: Db, id: string, hash: string, on: string): Promise<boolean> {
  const r = await db.updateTable('uploads').set({ state: 'complete', sealed_hash: hash, completed_on: on })
    .where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The attachment hash and completion day of completed uploads (for their receipts). */
export async function completedHashes(db: Db, ids: readonly string[]): Promise<Map<string, { hash: string; on: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('uploads').select(['id', 'sealed_hash', 'completed_on'])
    .where('id', 'in', [...ids]).where('state', '=', 'complete').execute();
  return new Map(rows.flatMap((r) => (r.sealed_hash && r.completed_on ? [[r.id, { hash: r.sealed_hash, on: r.completed_on }] as const] : [])));
}

/** Links a token's completed upload to the case its report just created; false when it is not one. */
export async function linkToCase(tx: Db, id: string, accessHash: string, caseId: number): Promise<boolean> {
  const r = await tx.updateTable('uploads').set({ case_id: caseId })
    .where('id', '=', id).where('access_hash', '=', accessHash).where('case_id', 'is', null)
    .where('sender', '=', 'reporter').where('state', '=', 'complete')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A case's completed attachments, in a stable order that says nothing about arrival (day, then random id). */
export async function caseAttachments(db: Db, caseId: number): Promise<AttachmentView[]> {
  const rows = await db.selectFrom('uploads')
    .select(['id', 'sender', 'completed_on', 'padded_size', 'chunks', 'meta_nonce', 'meta_ct'])
    .where('case_id', '=', caseId).where('state', '=', 'complete')
    .orderBy('completed_on').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id, from: r.sender, on: r.completed_on ?? '', paddedSize: Number(r.padded_size), chunks: Number(r.chunks),
    meta: { nonce: r.meta_nonce, ct: r.meta_ct },
  }));
}

/**
 * Deletes up to `limit` uploads begun on or before `day` that never became part of a case or of a
 * record's entry, or never completed, and returns their ids. The condition is in the DELETE itself, so a report linking one
 * at the same moment either wins (the row stays) or finds it gone (the report is refused).
 */
export async function deleteExpiredUploads(db: Db, day: string, limit: number): Promise<string[]> {
  const unused = (eb: ExpressionBuilder<Database, 'uploads'>) =>
    eb.or([eb.and([eb('case_id', 'is', null), eb('record_id', 'is', null)]), eb('state', '=', 'pending')]);
  const expired = db.selectFrom('uploads').select('id').where('created_on', '<=', day).where(unused).limit(limit);
  const rows = await db.deleteFrom('uploads').where('id', 'in', expired).where(unused)
    .returning('id').execute();
  return rows.map((r) => r.id);
}

// ---- Files of private records (records/service.ts) ----

/**
 * An entry of record `recordId` takes a completed upload made with the record's access hash and in no
 * entry yet; false when it is not one. Only the record is written on the row, never the entry.
 */
export async function keepInRecord(tx: Db, id: string, accessHash: string, recordId: string): Promise<boolean> {
  const r = await tx.updateTable('uploads').set({ record_id: recordId })
    .where('id', '=', id).where('access_hash', '=', accessHash).where('case_id', 'is', null).where('record_id', 'is', null)
    .where('sender', '=', 'reporter').where('state', '=', 'complete')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setUploadReceipt(tx: Db, id: string, receipt: string): Promise<void> {
  await tx.updateTable('uploads').set({ receipt }).where('id', '=', id).execute();
}

/** The files the entries of a record (not yet a case) took, as the case view lists files, with their receipts. */
export async function recordAttachments(db: Db, recordId: string): Promise<(AttachmentView & { receipt: string | null })[]> {
  const rows = await db.selectFrom('uploads')
    .select(['id', 'sender', 'completed_on', 'padded_size', 'chunks', 'meta_nonce', 'meta_ct', 'receipt'])
    .where('record_id', '=', recordId).where('case_id', 'is', null).where('state', '=', 'complete')
    .orderBy('completed_on').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id, from: r.sender, on: r.completed_on ?? '', paddedSize: Number(r.padded_size), chunks: Number(r.chunks),
    meta: { nonce: r.meta_nonce, ct: r.meta_ct }, receipt: r.receipt,
  }));
}

/** Every upload of a record, in an entry or still waiting for one (made with its access hash). */
export async function recordUploadIds(db: Db, recordId: string, accessHash: string): Promise<string[]> {
  const rows = await db.selectFrom('uploads').select('id').where('case_id', 'is', null)
    .where((eb) => eb.or([eb('record_id', '=', recordId), eb('access_hash', '=', accessHash)])).execute();
  return rows.map((r) => r.id);
}

export async function deleteUploads(tx: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.deleteFrom('uploads').where('id', 'in', ids).execute();
}

/**
 * Conversion: the record's files join its new case, and every upload loses the record's access hash
 * (the record's own is cleared in the same transaction). Uploads that never joined an entry are left
 * with no owner and expire as abandoned ones do.
 */
export async function moveRecordUploads(tx: Db, recordId: string, accessHash: string, caseId: number): Promise<void> {
  await tx.updateTable('uploads').set({ case_id: caseId, access_hash: null })
    .where('record_id', '=', recordId).where('case_id', 'is', null).where('state', '=', 'complete').execute();
  await tx.updateTable('uploads').set({ access_hash: null }).where('access_hash', '=', accessHash).where('case_id', 'is', null).execute();
}

// ---- The database chunk store (store.ts) ----

/** Inserts a chunk; false when this index is already stored (the caller compares). */
export async function insertChunk(db: Db, uploadId: string, idx: number, data: Uint8Array): Promise<boolean> {
  const r = await db.insertInto('attachment_chunks').values({ upload_id: uploadId, idx, data })
    .onConflict((oc) => oc.columns(['upload_id', 'idx']).doNothing()).returning('idx').executeTakeFirst();
  return r !== undefined;
}

export async function selectChunk(db: Db, uploadId: string, idx: number): Promise<Uint8Array | undefined> {
  const r = await db.selectFrom('attachment_chunks').select('data').where('upload_id', '=', uploadId).where('idx', '=', idx).executeTakeFirst();
  return r ? new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength) : undefined;
}

export async function chunkIndices(db: Db, uploadId: string): Promise<number[]> {
  const rows = await db.selectFrom('attachment_chunks').select('idx').where('upload_id', '=', uploadId).orderBy('idx').execute();
  return rows.map((r) => Number(r.idx));
}

export async function deleteChunks(db: Db, uploadIds: string[]): Promise<void> {
  if (uploadIds.length === 0) return;
  await db.deleteFrom('attachment_chunks').where('upload_id', 'in', uploadIds).execute();
}
