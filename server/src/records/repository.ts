// Private records storage (migration 017). Kysely only; plain functions taking db or a transaction.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, RecordEntriesTable, RecordsTable } from '../db/database.ts';
import { toCount } from '../db/dialect.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type RecordRow = Selectable<RecordsTable>;
export type EntryRow = RecordEntriesTable;

/** Whether a reference is in use by a case or another record: a record's reference becomes its case's. */
export async function referenceTaken(db: Db, reference: string): Promise<boolean> {
  const c = await db.selectFrom('cases').select('id').where('case_ref', '=', reference).executeTakeFirst();
  const r = await db.selectFrom('records').select('id').where('reference', '=', reference).executeTakeFirst();
  return c !== undefined || r !== undefined;
}

export async function recordExists(db: Db, id: string, accessHash: string): Promise<boolean> {
  const r = await db.selectFrom('records').select('id').where((eb) => eb.or([eb('id', '=', id), eb('access_hash', '=', accessHash)])).executeTakeFirst();
  return r !== undefined;
}

export async function insertRecord(db: Db, r: { id: string; reference: string; access_hash: string; holder_key: string; created_on: string }): Promise<void> {
  await db.insertInto('records').values({ ...r, case_id: null, last_n: 0 }).execute();
}

export async function findByAccessHash(db: Db, accessHash: string): Promise<RecordRow | undefined> {
  return db.selectFrom('records').selectAll().where('access_hash', '=', accessHash).executeTakeFirst();
}

export async function entriesOf(db: Db, recordId: string): Promise<EntryRow[]> {
  return db.selectFrom('record_entries').selectAll().where('record_id', '=', recordId).orderBy('n').execute();
}

export async function countEntries(db: Db, recordId: string): Promise<number> {
  const row = await db.selectFrom('record_entries').select((eb) => eb.fn.countAll().as('n')).where('record_id', '=', recordId).executeTakeFirst();
  return toCount(row?.n);
}

export async function entryExists(db: Db, recordId: string, id: string): Promise<boolean> {
  return (await db.selectFrom('record_entries').select('id').where('record_id', '=', recordId).where('id', '=', id).executeTakeFirst()) !== undefined;
}

/**
 * The record's next n, inside the writing transaction. The conditional UPDATE also takes the record's
 * write lock and fails (undefined) if the record was deleted or became a case meanwhile.
 */
export async function nextEntryN(tx: Transaction<Database>, recordId: string, accessHash: string): Promise<number | undefined> {
  const r = await tx.updateTable('records').set((eb) => ({ last_n: eb('last_n', '+', 1) }))
    .where('id', '=', recordId).where('access_hash', '=', accessHash).returning('last_n').executeTakeFirst();
  return r === undefined ? undefined : Number(r.last_n);
}

export async function insertEntry(tx: Transaction<Database>, e: EntryRow): Promise<void> {
  await tx.insertInto('record_entries').values(e).execute();
}

export async function setReceipt(tx: Transaction<Database>, recordId: string, id: string, receipt: string): Promise<void> {
  await tx.updateTable('record_entries').set({ receipt }).where('record_id', '=', recordId).where('id', '=', id).execute();
}

/** Deletes the record and every entry (rows gone, nothing flagged). False if it was already gone or became a case. */
export async function deleteRecord(tx: Transaction<Database>, recordId: string, accessHash: string): Promise<boolean> {
  const still = await tx.selectFrom('records').select('id').where('id', '=', recordId).where('access_hash', '=', accessHash).executeTakeFirst();
  if (!still) return false;
  await tx.deleteFrom('record_entries').where('record_id', '=', recordId).execute();
  await tx.deleteFrom('records').where('id', '=', recordId).execute();
  return true;
}

/** Hands the record to its new case: the record's own access hash and wrapped key go (the case has its own). */
export async function linkToCase(tx: Transaction<Database>, recordId: string, accessHash: string, caseId: number): Promise<boolean> {
  const r = await tx.updateTable('records').set({ case_id: caseId, access_hash: null, holder_key: null })
    .where('id', '=', recordId).where('access_hash', '=', accessHash).where('case_id', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function recordOfCase(db: Db, caseId: number): Promise<RecordRow | undefined> {
  return db.selectFrom('records').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}
