// Append-only, hash-chained audit log (DESIGN.md: every access to a case is
// recorded and a command verifies the chain). This module offers append and
// read only: there is deliberately no update or delete here.
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditLogTable, Database } from '../db/database.ts';
import { isPostgres, isUniqueViolation } from '../db/dialect.ts';
import { dayOf, storedHead, storeHead, type AuditSigner } from './head.ts';

export const AUDIT_ACTIONS = [
  'auth.login', 'auth.login_failed', 'auth.locked_out', 'auth.logout', 'auth.logout_everywhere', 'auth.enrol', 'auth.unlock',
  'auth.enrol_start',
  'case.open', 'case.status', 'case.assign', 'case.refer', 'case.message', 'case.note', 'case.internal_key',
  'case.recusal', 'case.conflict', 'case.read', 'case.reopen', 'admin.account_create', 'admin.account_reset',
  'admin.account_edit', 'admin.account_deactivate', 'admin.account_reactivate',
  // notifications/admin.ts
  'admin.account_email', 'admin.notifications',
  'admin.retention_set', 'retention.purge',
  // retention/service.ts: the administrator asked what a period would delete (key and months, not the answer)
  'admin.retention_preview',
  // retention/service.ts: expired private records deleted (counts only: staff never saw them)
  'retention.purge_records',
  // retention/reshuffle.ts: the daily rewrite that takes insertion order out of the storage (a day and a count)
  'retention.reshuffle',
  // triage/referral.ts: a referral is pending until the receiving browser confirms or rejects it.
  'case.refer_confirm', 'case.refer_reject', 'case.referral_dismiss',
  // directory/service.ts: the certified key directory
  'keys.certify', 'keys.install', 'keys.signing_key',
  // receipts/service.ts: a receipt checked against what a case holds
  'case.receipt_check',
  // attachments/routes.ts: a staff member added a file to a case
  'case.attachment',
  // triage/ and support/ (issue #14). A reporter's own steps (asking for advice, converting it,
  // asking for a welfare contact) have no entry: the log's global seq would order them against staff
  // actions and so time them (docs/THREAT-MODEL.md "Time metadata"); the case row keeps their day.
  'case.support_offered', 'admin.support_contacts',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Ids, codes and counts only: never ciphertext, key wraps, secrets or free text. */
export type AuditDetail = Record<string, string | number | boolean | null | string[]>;

export interface AuditEntry {
  actor: string | null;
  action: AuditAction;
  caseRef?: string | null;
  detail?: AuditDetail;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so the hash does not depend on insertion order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

type Row = Pick<AuditLogTable, 'seq' | 'at' | 'actor' | 'action' | 'case_ref' | 'detail'>;

export function entryHash(prevHash: string, r: Row): string {
  const body = { seq: r.seq, at: r.at, actor: r.actor, action: r.action, case_ref: r.case_ref, detail: JSON.parse(r.detail) as unknown };
  return createHash('sha256').update(prevHash).update(canonicalJson(body)).digest('hex');
}

// Appends from one process are queued so they do not race each other for the next seq;
// other instances (PostgreSQL) are kept out of the way by a table lock held to the end of the
// appending transaction, plus the seq primary key and a retry for standalone appends.
let queue: Promise<unknown> = Promise.resolve();

/** Appends in a transaction of its own: for an event with no other write (e.g. a failed sign-in). */
export function appendAudit(db: Kysely<Database>, signer: AuditSigner, e: AuditEntry, now: Date = new Date()): Promise<number> {
  const run = queue.then(() => appendNow(db, signer, e, now));
  queue = run.catch(() => undefined);
  return run;
}

async function appendNow(db: Kysely<Database>, signer: AuditSigner, e: AuditEntry, now: Date): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute((tx) => appendAuditIn(tx, signer, e, now));
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 20) throw err;
    }
  }
}

/** On PostgreSQL: a self-conflicting lock on audit_log (reads still pass), held until commit. */
async function lockLog(tx: Transaction<Database>): Promise<void> {
  if (isPostgres(tx)) await sql`LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE`.execute(tx);
}

/**
 * Appends inside the caller's transaction, so the action and its audit entry commit (or roll
 * back) together, and re-signs the stored head (audit/head.ts) in the same transaction. Call it
 * as the transaction's last statement: on PostgreSQL it takes a self-conflicting lock on
 * audit_log that is held until commit, so no other appender can read the same last seq
 * meanwhile, and the head rows are written in seq order. SQLite serialises write transactions itself.
 */
export async function appendAuditIn(tx: Transaction<Database>, signer: AuditSigner, e: AuditEntry, now: Date): Promise<number> {
  await lockLog(tx);
  const last = await tx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const row: Row = {
    seq: Number(last?.seq ?? 0) + 1,
    at: now.toISOString(),
    actor: e.actor,
    action: e.action,
    case_ref: e.caseRef ?? null,
    detail: canonicalJson(e.detail ?? {}),
  };
  const prev_hash = last?.hash ?? GENESIS_HASH;
  const hash = entryHash(prev_hash, row);
  await tx.insertInto('audit_log').values({ ...row, prev_hash, hash }).execute();
  await storeHead(tx, signer.sign({ seq: row.seq, hash, day: dayOf(now) }));
  return row.seq;
}

/**
 * At start-up: a database that had entries before heads existed (migration 012) gets its first
 * signed head over what is there now (trust on first use). Any later missing head is tampering.
 */
export async function ensureAuditHead(db: Kysely<Database>, signer: AuditSigner, now: Date): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await lockLog(tx);
    if (await storedHead(tx)) return;
    const last = await tx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    if (last) await storeHead(tx, signer.sign({ seq: Number(last.seq), hash: last.hash, day: dayOf(now) }));
  });
}

export type VerifyResult = { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number };

type StoredRow = Row & Pick<AuditLogTable, 'prev_hash' | 'hash'>;

/** The first seq at which rows (in seq order) stop forming the chain from seq 1, or null when whole. */
export function chainBreak(rows: readonly StoredRow[]): number | null {
  let prev = GENESIS_HASH;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const seq = Number(r.seq);
    if (seq !== i + 1 || r.prev_hash !== prev) return i + 1;
    try {
      if (entryHash(prev, { ...r, seq }) !== r.hash) return seq;
    } catch {
      return seq; // detail no longer JSON
    }
    prev = r.hash;
  }
  return null;
}

/** Walks the chain from seq 1: a changed row, a removed row or a re-linked row breaks it at that seq. */
export async function verifyAudit(db: Kysely<Database>): Promise<VerifyResult> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  const broken = chainBreak(rows);
  return broken === null ? { ok: true, entries: rows.length } : { ok: false, entries: rows.length, brokenAt: broken };
}

export async function auditEntries(db: Kysely<Database>, filter: { action?: AuditAction; caseRef?: string } = {}) {
  let q = db.selectFrom('audit_log').selectAll().orderBy('seq');
  if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.caseRef) q = q.where('case_ref', '=', filter.caseRef);
  return q.execute();
}

/** What appending needs from the app: its clock (tests move it) and the head's signing key. */
export interface AuditContext {
  now: () => number;
  serverKeys: { auditSigner: AuditSigner };
}

/** Appends with the app's clock in a transaction of its own (an event with no other write). */
export const audit = (ctx: AuditContext & { db: Kysely<Database> }, e: AuditEntry): Promise<number> =>
  appendAudit(ctx.db, ctx.serverKeys.auditSigner, e, new Date(ctx.now()));

/** Appends with the app's clock inside the caller's transaction (see appendAuditIn). */
export const auditIn = (ctx: AuditContext, tx: Transaction<Database>, e: AuditEntry): Promise<number> =>
  appendAuditIn(tx, ctx.serverKeys.auditSigner, e, new Date(ctx.now()));
