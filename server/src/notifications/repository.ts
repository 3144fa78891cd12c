// Notification storage: Kysely only. Plain functions taking `db` or a
// transaction first. "Reachable" staff are active accounts with an address.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { toCount } from '../db/dialect.ts';

type Db = Kysely<Database> | Transaction<Database>;

const reachableStaff = (db: Db) =>
  db.selectFrom('staff').select('staff.id').where('staff.state', '=', 'active').where('staff.email', 'is not', null);

/** Active members of a team with an address. */
export async function teamMembersReachable(db: Db, teamId: string): Promise<string[]> {
  const rows = await db.selectFrom('team_members').select('team_members.staff_id')
    .where('team_members.team_id', '=', teamId)
    .where('team_members.staff_id', 'in', reachableStaff(db))
    .execute();
  return rows.map((r) => r.staff_id);
}

/** Who can open the case (triage/access.ts): a member of its team holding its case-key wrap, not recused; reachable. */
export async function caseOpenersReachable(db: Db, caseId: number): Promise<string[]> {
  const rows = await db.selectFrom('case_keys')
    .innerJoin('cases', 'cases.id', 'case_keys.case_id')
    .innerJoin('team_members', (j) => j.onRef('team_members.team_id', '=', 'cases.team_id').onRef('team_members.staff_id', '=', 'case_keys.recipient_id'))
    .select('case_keys.recipient_id')
    .where('case_keys.case_id', '=', caseId).where('case_keys.kind', '=', 'staff').where('case_keys.identity', '=', 0)
    .where('case_keys.recipient_id', 'in', reachableStaff(db))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('case_conflicts').select('case_conflicts.staff_id')
      .where('case_conflicts.case_id', '=', caseId).whereRef('case_conflicts.staff_id', '=', 'case_keys.recipient_id')
      .where('case_conflicts.knows_people', '=', 1))))
    .execute();
  return rows.map((r) => r.recipient_id);
}

export async function filterReachable(db: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await reachableStaff(db).where('staff.id', 'in', ids).execute();
  return rows.map((r) => r.id);
}

/** Where a mail to `staffId` goes now, or null (no address, or no longer active). */
export async function addressOf(db: Db, staffId: string): Promise<string | null> {
  const r = await db.selectFrom('staff').select(['email', 'state']).where('id', '=', staffId).executeTakeFirst();
  return r && r.state === 'active' ? r.email : null;
}

export async function emailOf(db: Db, staffId: string): Promise<{ email: string | null } | undefined> {
  return db.selectFrom('staff').select('email').where('id', '=', staffId).executeTakeFirst();
}

export async function setEmail(db: Db, staffId: string, email: string | null): Promise<boolean> {
  const r = await db.updateTable('staff').set({ email }).where('id', '=', staffId).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- preferences and organisation settings ----

export async function prefsFor(db: Db, staffIds: string[], kind: string): Promise<Map<string, string>> {
  if (staffIds.length === 0) return new Map();
  const rows = await db.selectFrom('notification_prefs').select(['staff_id', 'delivery'])
    .where('kind', '=', kind).where('staff_id', 'in', staffIds).execute();
  return new Map(rows.map((r) => [r.staff_id, r.delivery]));
}

export async function prefsOf(db: Db, staffId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('notification_prefs').select(['kind', 'delivery']).where('staff_id', '=', staffId).execute();
  return new Map(rows.map((r) => [r.kind, r.delivery]));
}

export async function setPrefs(db: Db, staffId: string, prefs: { kind: string; delivery: string }[]): Promise<void> {
  for (const p of prefs) {
    await db.insertInto('notification_prefs').values({ staff_id: staffId, kind: p.kind, delivery: p.delivery })
      .onConflict((oc) => oc.columns(['staff_id', 'kind']).doUpdateSet({ delivery: p.delivery })).execute();
  }
}

export async function readSettings(db: Db, keys: string[]): Promise<Map<string, string>> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', keys).execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

export async function writeSetting(db: Db, key: string, value: string): Promise<void> {
  await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}

// ---- the outbox: events ----

export interface EventRow {
  id: string;
  staff_id: string;
  kind: string;
  channel: string;
  n: number;
  send_at_ms: number;
}

export async function insertEvents(db: Db, rows: EventRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('notification_events').values(rows).execute();
}

export async function dueEvents(db: Db, now: number, limit: number): Promise<EventRow[]> {
  const rows = await db.selectFrom('notification_events').selectAll().where('send_at_ms', '<=', now)
    .orderBy('send_at_ms').limit(limit).execute();
  return rows.map((r) => ({ ...r, send_at_ms: Number(r.send_at_ms) }));
}

export async function deleteEvents(db: Db, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) await db.deleteFrom('notification_events').where('id', 'in', ids.slice(i, i + 500)).execute();
}

/** PostgreSQL: one composer at a time across instances, released at commit. */
export async function tryComposeLock(tx: Transaction<Database>): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext('rc.notifications.compose')) AS ok`.execute(tx);
  return r.rows[0]?.ok === true;
}

// ---- the outbox: mails ----

export interface MailRow {
  id: string;
  staff_id: string;
  channel: string;
  slot_ms: number;
  counts: string;
  attempts: number;
}

export async function insertMails(db: Db, rows: (Omit<MailRow, 'attempts'> & { next_try_ms: number })[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('notification_mail').values(rows.map((r) => ({ ...r, state: 'pending' as const, attempts: 0, claim: null, claim_until_ms: 0 }))).execute();
}

/**
 * Claims up to `limit` due mails for `token` until `until` in one statement. PostgreSQL skips rows
 * another instance holds (FOR UPDATE SKIP LOCKED); SQLite runs the statement atomically, and the
 * outer conditions repeat the inner ones so a row claimed meanwhile is never taken twice.
 */
export async function claimMails(db: Kysely<Database>, o: { token: string; now: number; until: number; limit: number; postgres: boolean }): Promise<MailRow[]> {
  const due = (q: Kysely<Database>) => q.selectFrom('notification_mail').select('id')
    .where('state', '=', 'pending').where('next_try_ms', '<=', o.now).where('claim_until_ms', '<=', o.now)
    .orderBy('next_try_ms').limit(o.limit);
  const inner = o.postgres ? due(db).forUpdate().skipLocked() : due(db);
  const rows = await db.updateTable('notification_mail')
    .set((eb) => ({ claim: o.token, claim_until_ms: o.until, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', inner)
    .where('state', '=', 'pending').where('claim_until_ms', '<=', o.now)
    .returning(['id', 'staff_id', 'channel', 'slot_ms', 'counts', 'attempts'])
    .execute();
  return rows.map((r) => ({ ...r, slot_ms: Number(r.slot_ms) }));
}

/**
 * Ends a claim: back to pending with its next try, or settled (sent, dropped, failed). Only the
 * holder of the claim can. A settled row is kept only as the marker that stops a resend: its counts
 * are emptied and its times coarsened to `dayMs` (schedule.ts dayMark), so what stays in the
 * database cannot place a reporter-caused event within its day (issue 11).
 */
export async function settleMail(
  db: Db, id: string, token: string, to: { state: 'pending'; nextTryMs: number } | { state: 'sent' | 'dropped' | 'failed'; dayMs: number },
): Promise<boolean> {
  const r = await db.updateTable('notification_mail')
    .set({
      state: to.state, claim: null, claim_until_ms: 0,
      ...(to.state === 'pending' ? { next_try_ms: to.nextTryMs } : { counts: '{}', slot_ms: to.dayMs, next_try_ms: to.dayMs }),
    })
    .where('id', '=', id).where('claim', '=', token).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Mails due and undelivered, plus events due and not yet composed. */
export async function backlog(db: Db, now: number): Promise<number> {
  const [m, e] = await Promise.all([
    db.selectFrom('notification_mail').select((eb) => eb.fn.countAll().as('n')).where('state', '=', 'pending').where('next_try_ms', '<=', now).executeTakeFirst(),
    db.selectFrom('notification_events').select((eb) => eb.fn.countAll().as('n')).where('send_at_ms', '<=', now).executeTakeFirst(),
  ]);
  return toCount(m?.n) + toCount(e?.n);
}

/** Sent and dropped mails are kept a while (the marker that stops a resend), then removed. */
export async function pruneSettled(db: Db, beforeSlotMs: number): Promise<void> {
  await db.deleteFrom('notification_mail').where('state', 'in', ['sent', 'dropped', 'failed']).where('slot_ms', '<', beforeSlotMs).execute();
}

// ---- scheduled jobs ----

/** true the first time for (job, day): the run marker commits with the job's events. */
export async function markRun(db: Db, job: string, day: string): Promise<boolean> {
  const r = await db.insertInto('notification_runs').values({ job, day }).onConflict((oc) => oc.columns(['job', 'day']).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export interface OpenCase { team_id: string; assigned_to: string | null; status: string; next_due_on: string | null }

export async function openCasesDueOn(db: Db, days: string[]): Promise<OpenCase[]> {
  return db.selectFrom('cases').select(['team_id', 'assigned_to', 'status', 'next_due_on'])
    .where('status', '!=', 'closed').where('next_due_on', 'in', days).execute();
}

export async function openCasesOfTeams(db: Db, teamIds: string[]): Promise<OpenCase[]> {
  if (teamIds.length === 0) return [];
  return db.selectFrom('cases').select(['team_id', 'assigned_to', 'status', 'next_due_on'])
    .where('status', '!=', 'closed').where('team_id', 'in', teamIds).execute();
}

/** (team, staff) pairs of reachable members; leadsOnly for the weekly summary. */
export async function reachableMembers(db: Db, teamIds: string[] | null, leadsOnly: boolean): Promise<{ team_id: string; staff_id: string }[]> {
  let q = db.selectFrom('team_members').select(['team_id', 'staff_id']).where('staff_id', 'in', reachableStaff(db));
  if (teamIds) {
    if (teamIds.length === 0) return [];
    q = q.where('team_id', 'in', teamIds);
  }
  if (leadsOnly) q = q.where('lead', '=', 1);
  return q.execute();
}
