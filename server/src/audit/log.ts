// Append-only, hash-chained audit log (DESIGN.md: every access to a case is
// recorded and a command verifies the chain). This module offers append and
// read only: there is deliberately no update or delete here.
import { createHash } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { AuditLogTable, Database } from '../db/database.ts';
import { isUniqueViolation } from '../db/dialect.ts';

export const AUDIT_ACTIONS = [
  'auth.login', 'auth.login_failed', 'auth.locked_out', 'auth.logout', 'auth.logout_everywhere', 'auth.enrol', 'auth.unlock',
  'case.open', 'case.status', 'case.assign', 'case.refer', 'case.message', 'case.note', 'case.internal_key',
  'case.recusal', 'case.conflict', 'case.read', 'case.reopen', 'admin.account_create', 'admin.account_reset',
  'admin.account_edit', 'admin.account_deactivate', 'admin.account_reactivate',
  // notifications/admin.ts
  'admin.account_email', 'admin.notifications',
  // directory/service.ts: the certified key directory
  'keys.certify', 'keys.install', 'keys.signing_key',
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

export function appendAudit(db: Kysely<Database>, e: AuditEntry, now: Date = new Date()): Promise<number> {
  const run = queue.then(() => appendNow(db, e, now));
  queue = run.catch(() => undefined);
  return run;
}

async function appendNow(db: Kysely<Database>, e: AuditEntry, now: Date): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute((tx) => appendAuditIn(tx, e, now));
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 20) throw err;
    }
  }
}

/**
 * Appends inside the caller's transaction, so the action and its audit entry commit (or roll
 * back) together. Call it as the transaction's last statement: on PostgreSQL it takes a
 * self-conflicting lock on audit_log (reads still pass) that is held until commit, so no other
 * appender can read the same last seq meanwhile. SQLite serialises write transactions itself.
 */
export async function appendAuditIn(tx: Transaction<Database>, e: AuditEntry, now: Date): Promise<number> {
  if (tx.getExecutor().adapter instanceof PostgresAdapter) await sql`LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE`.execute(tx);
  const last = await tx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const row: Row = {
    seq: (last?.seq ?? 0) + 1,
    at: now.toISOString(),
    actor: e.actor,
    action: e.action,
    case_ref: e.caseRef ?? null,
    detail: canonicalJson(e.detail ?? {}),
  };
  const prev_hash = last?.hash ?? GENESIS_HASH;
  await tx.insertInto('audit_log').values({ ...row, prev_hash, hash: entryHash(prev_hash, row) }).execute();
  return row.seq;
}

export type VerifyResult = { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number };

/** Walks the chain from seq 1: a changed row, a removed row or a re-linked row breaks it at that seq. */
export async function verifyAudit(db: Kysely<Database>): Promise<VerifyResult> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  let prev = GENESIS_HASH;
  let expected = 1;
  for (const r of rows) {
    const seq = Number(r.seq);
    if (seq !== expected || r.prev_hash !== prev) return { ok: false, entries: rows.length, brokenAt: expected };
    let hash: string;
    try {
      hash = entryHash(prev, { ...r, seq });
    } catch {
      return { ok: false, entries: rows.length, brokenAt: seq }; // detail no longer JSON
    }
    if (hash !== r.hash) return { ok: false, entries: rows.length, brokenAt: seq };
    prev = r.hash;
    expected++;
  }
  return { ok: true, entries: rows.length };
}

export async function auditEntries(db: Kysely<Database>, filter: { action?: AuditAction; caseRef?: string } = {}) {
  let q = db.selectFrom('audit_log').selectAll().orderBy('seq');
  if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.caseRef) q = q.where('case_ref', '=', filter.caseRef);
  return q.execute();
}

/** Appends with the app's clock (tests move it). */
export const audit = (ctx: { db: Kysely<Database>; now: () => number }, e: AuditEntry): Promise<number> =>
  appendAudit(ctx.db, e, new Date(ctx.now()));

/** Appends with the app's clock inside the caller's transaction (see appendAuditIn). */
export const auditIn = (ctx: { now: () => number }, tx: Transaction<Database>, e: AuditEntry): Promise<number> =>
  appendAuditIn(tx, e, new Date(ctx.now()));
