// Retention storage: the rules, the closed cases they may apply to, and the
// purge itself. Kysely only.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { isPostgres } from '../db/dialect.ts';
import { deleteChunks, deleteUploads } from '../attachments/repository.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The latest of some days (YYYY-MM-DD, so text order is date order), missing ones ignored: a case's,
 * request's or record's last activity, from which its retention period runs. The purge and the pages
 * that show the day it would go (case/service.ts, records/service.ts) all reckon with this.
 */
export const latestDay = (days: readonly (string | null | undefined)[]): string | undefined =>
  days.filter((d): d is string => typeof d === 'string').sort().at(-1);

export async function rules(db: Db) {
  return db.selectFrom('retention_rules').selectAll().execute();
}

/** The months a rule for one of the things that never close keeps it ('advice' or 'record'), or null (kept). */
export async function itemMonths(db: Db, item: 'advice' | 'record'): Promise<number | null> {
  const r = await db.selectFrom('retention_rules').select('months').where('outcome', '=', item).executeTakeFirst();
  return r?.months ?? null;
}

export async function setRule(tx: Transaction<Database>, outcome: string, months: number | null, on: string, by: string): Promise<number | null> {
  const prev = await tx.selectFrom('retention_rules').select('months').where('outcome', '=', outcome).executeTakeFirst();
  if (months === null) await tx.deleteFrom('retention_rules').where('outcome', '=', outcome).execute();
  else {
    await tx.insertInto('retention_rules').values({ outcome, months, set_on: on, set_by: by })
      .onConflict((oc) => oc.column('outcome').doUpdateSet({ months, set_on: on, set_by: by })).execute();
  }
  return prev?.months ?? null;
}

export interface ClosedCase {
  id: number;
  caseRef: string;
  outcome: string;
  /** The latest of: the last closure, the last message, the last note. */
  lastActivity: string;
}

/** Closed, not yet purged cases with an outcome that has a rule. */
export async function purgeCandidates(db: Db, outcomes: string[]): Promise<ClosedCase[]> {
  if (outcomes.length === 0) return [];
  const rows = await db.selectFrom('cases')
    .select(['cases.id', 'cases.case_ref', 'cases.outcome'])
    .select((eb) => [
      eb.selectFrom('case_history').select((h) => h.fn.max('case_history.on').as('d'))
        .whereRef('case_history.case_id', '=', 'cases.id').where('case_history.status', '=', 'closed').as('closed_on'),
      eb.selectFrom('messages').select((m) => m.fn.max('messages.on').as('d')).whereRef('messages.case_id', '=', 'cases.id').as('message_on'),
      eb.selectFrom('notes').select((n) => n.fn.max('notes.on').as('d')).whereRef('notes.case_id', '=', 'cases.id').as('note_on'),
    ])
    .where('cases.status', '=', 'closed').where('cases.purged_on', 'is', null).where('cases.outcome', 'in', outcomes)
    .orderBy('cases.id').execute();
  return rows.flatMap((r) => {
    const last = latestDay([r.closed_on, r.message_on, r.note_on]);
    if (r.outcome === null || last === undefined) return [];
    return [{ id: r.id, caseRef: r.case_ref, outcome: r.outcome, lastActivity: last }];
  });
}

/** PostgreSQL: one purger at a time across instances; false = another holds it (until its transaction ends). */
export async function claimPurge(tx: Transaction<Database>): Promise<boolean> {
  if (!isPostgres(tx)) return true; // SQLite serialises writers; the conditional update below does the rest
  const r = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${PURGE_LOCK}) AS ok`.execute(tx);
  return r.rows[0]?.ok === true;
}
/** An arbitrary constant naming the purge's advisory lock. */
const PURGE_LOCK = 727_001;

export interface PurgeCounts {
  case_keys: number;
  internal_keys: number;
  messages: number;
  notes: number;
  case_reads: number;
  case_conflicts: number;
  /** Attachments (their chunks go with them: foreign key in the database chunk store). */
  uploads: number;
}

/**
 * Makes each case a content-free stub: sealed report and identity, the reporter's keys and token hash
 * go; every wrap, message and note goes. Routing metadata, status, outcome and history stay (oversight).
 * Only cases not purged yet are touched (a conditional claim), so two purgers never double-count.
 */
export async function purgeCases(tx: Transaction<Database>, ids: number[], on: string): Promise<{ purged: number[]; counts: PurgeCounts }> {
  const counts: PurgeCounts = { case_keys: 0, internal_keys: 0, messages: 0, notes: 0, case_reads: 0, case_conflicts: 0, uploads: 0 };
  if (ids.length === 0) return { purged: [], counts };
  const claimed = (await tx.selectFrom('cases').select('id').where('id', 'in', ids).where('purged_on', 'is', null).execute()).map((r) => r.id);
  if (claimed.length === 0) return { purged: [], counts };
  for (const table of ['case_keys', 'internal_keys', 'messages', 'notes', 'case_reads', 'case_conflicts', 'uploads'] as const) {
    const r = await tx.deleteFrom(table).where('case_id', 'in', claimed).executeTakeFirst();
    counts[table] = Number(r.numDeletedRows);
  }
  // A case that began as a private record: its entries are sealed content like the report, and go with it.
  const recordIds = tx.selectFrom('records').select('id').where('case_id', 'in', claimed);
  await tx.deleteFrom('record_entries').where('record_id', 'in', recordIds).execute();
  await tx.deleteFrom('records').where('case_id', 'in', claimed).execute();
  // Survey scores stay (oversight counts them, like the history); the sealed comments go with the content.
  await tx.updateTable('survey_answers').set({ comment_nonce: null, comment_ct: null }).where('case_id', 'in', claimed).execute();
  // The access hash must stay unique and never match a token again: 'purged-<id>' is not base64url of 32 bytes.
  await tx.updateTable('cases').set((eb) => ({
    access_hash: sql<string>`'purged-' || CAST(${eb.ref('id')} AS TEXT)`,
    reporter_pk: '', report_nonce: '', report_ct: '', reporter_key: '',
    identity_nonce: null, identity_ct: null, advice_nonce: null, advice_ct: null, reporter_identity_key: null, purged_on: on,
  })).where('id', 'in', claimed).where('purged_on', 'is', null).execute();
  return { purged: claimed, counts };
}

export interface QuietItem {
  id: string;
  /** The latest day something happened to it (see each query). */
  lastActivity: string;
}

/**
 * Advice requests still open as such (never converted, not purged), with the day of their asking or last
 * message, whichever is later. Staff notes do not count, unlike a closed case's: the reporter is shown the
 * day their request would go (GET /case expiresOn), and a date that moved with internal notes would tell
 * them when staff wrote one.
 */
export async function quietAdvice(db: Db): Promise<{ id: number; caseRef: string; lastActivity: string }[]> {
  const rows = await db.selectFrom('cases')
    .select(['cases.id', 'cases.case_ref', 'cases.received_on'])
    .select((eb) => eb.selectFrom('messages').select((m) => m.fn.max('messages.on').as('d')).whereRef('messages.case_id', '=', 'cases.id').as('message_on'))
    .where('cases.kind', '=', 'advice').where('cases.converted_on', 'is', null).where('cases.purged_on', 'is', null)
    .orderBy('cases.id').execute();
  return rows.map((r) => ({ id: r.id, caseRef: r.case_ref, lastActivity: latestDay([r.received_on, r.message_on])! }));
}

/** Private records not turned into a report, with the day of their last entry or of their making. */
export async function quietRecords(db: Db): Promise<QuietItem[]> {
  const rows = await db.selectFrom('records')
    .select(['records.id', 'records.created_on'])
    .select((eb) => eb.selectFrom('record_entries').select((e) => e.fn.max('record_entries.on').as('d'))
      .whereRef('record_entries.record_id', '=', 'records.id').as('entry_on'))
    .where('records.case_id', 'is', null).orderBy('records.id').execute();
  return rows.flatMap((r) => {
    const last = latestDay([r.created_on, r.entry_on]);
    return last === undefined ? [] : [{ id: r.id, lastActivity: last }];
  });
}

/**
 * Deletes expired private records outright, as their holder's own delete does (nothing of them is
 * routing metadata: no team ever saw them). Only records still unconverted are taken, so a record
 * turned into a report meanwhile is left to its case's rule. Returns the ids deleted and row counts.
 */
export async function purgeRecords(tx: Transaction<Database>, ids: string[]): Promise<{ deleted: string[]; entries: number; uploads: number }> {
  if (ids.length === 0) return { deleted: [], entries: 0, uploads: 0 };
  const still = await tx.selectFrom('records').select(['id', 'access_hash']).where('id', 'in', ids).where('case_id', 'is', null).execute();
  const deleted = still.map((r) => r.id);
  if (deleted.length === 0) return { deleted, entries: 0, uploads: 0 };
  // Its files: those in entries (record_id) and those uploaded but not yet in an entry (the record's access hash).
  const hashes = still.flatMap((r) => (r.access_hash === null ? [] : [r.access_hash]));
  const uploadIds = (await tx.selectFrom('uploads').select('id').where('case_id', 'is', null)
    .where((eb) => eb.or([eb('record_id', 'in', deleted), ...(hashes.length > 0 ? [eb('access_hash', 'in', hashes)] : [])])).execute()).map((u) => u.id);
  await deleteChunks(tx, uploadIds);
  await deleteUploads(tx, uploadIds);
  const entries = await tx.deleteFrom('record_entries').where('record_id', 'in', deleted).executeTakeFirst();
  await tx.deleteFrom('records').where('id', 'in', deleted).where('case_id', 'is', null).execute();
  return { deleted, entries: Number(entries.numDeletedRows), uploads: uploadIds.length };
}
