// Sign-in storage: accounts as sign-in sees them, sessions and counted
// attempts. Kysely only; the rules live in service.ts, session.ts, lockout.ts.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { StaffRole, StaffSummaryWire } from '../../../shared/src/api/staff.ts';
import type { Database, Staff, StaffSessionRow } from '../db/database.ts';
import { normaliseUsername } from './secrets.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface Principal {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  teams: { id: string; label: string; lead: boolean; seesIdentity: boolean }[];
}

export const summaryOf = (p: Principal): StaffSummaryWire => ({
  id: p.id, username: p.username, displayName: p.displayName, role: p.role,
  teams: p.teams.map((t) => ({ id: t.id, label: t.label, lead: t.lead })),
});

export async function findByUsername(db: Db, username: string): Promise<Staff | undefined> {
  return db.selectFrom('staff').selectAll().where('username', '=', normaliseUsername(username)).executeTakeFirst();
}

export async function findById(db: Db, id: string): Promise<Staff | undefined> {
  return db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The signed-in user with their teams; undefined for an unknown or deactivated account (every
 * session check comes through here, so a deactivated account's session is dead even if a row survived).
 */
export async function principalOf(db: Db, staffId: string): Promise<Principal | undefined> {
  const s = await db.selectFrom('staff').select(['id', 'username', 'display_name', 'role'])
    .where('id', '=', staffId).where('deactivated_on', 'is', null).executeTakeFirst();
  if (!s) return undefined;
  const teams = await db.selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select(['teams.id', 'teams.label', 'team_members.lead', 'team_members.sees_identity'])
    .where('team_members.staff_id', '=', staffId)
    .orderBy('teams.id')
    .execute();
  return {
    id: s.id, username: s.username, displayName: s.display_name, role: s.role as StaffRole,
    teams: teams.map((t) => ({ id: t.id, label: t.label, lead: t.lead === 1, seesIdentity: t.sees_identity === 1 })),
  };
}

/** Records `step` as the last TOTP step used, only if it is later than the stored one: two racing requests cannot both win. */
export async function spendTotpStep(db: Db, staffId: string, step: number): Promise<boolean> {
  const res = await db.updateTable('staff').set({ totp_last_step: step })
    .where('id', '=', staffId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** One more failed sign-in on a known account, for its owner to see. */
export async function countFailedSignIn(db: Db, staffId: string): Promise<void> {
  await db.updateTable('staff').set((eb) => ({ failed_sign_ins: eb('failed_sign_ins', '+', 1) })).where('id', '=', staffId).execute();
}

/** The failed sign-ins since the last success, reset to 0 now that the owner is in. */
export async function takeFailedSignIns(db: Db, staffId: string): Promise<number> {
  const row = await db.selectFrom('staff').select('failed_sign_ins').where('id', '=', staffId).executeTakeFirst();
  await db.updateTable('staff').set({ failed_sign_ins: 0 }).where('id', '=', staffId).execute();
  return Number(row?.failed_sign_ins ?? 0);
}

export async function setTotpSecret(db: Db, staffId: string, totpSecret: string): Promise<void> {
  await db.updateTable('staff').set({ totp_secret: totpSecret, totp_last_step: null }).where('id', '=', staffId).execute();
}

export interface Enrolment {
  totpStep: number;
  loginHash: string;
  kdf: { salt: string; opslimit: number; memlimit: number };
  publicKey: string | null;
  sealedKey: { nonce: string; ct: string } | null;
}

/** Spends the enrolment secret: conditional on it (and the state) being unchanged, so only one completion wins. */
export async function completeEnrolment(db: Db, s: Staff, e: Enrolment): Promise<boolean> {
  const res = await db.updateTable('staff').set({
    state: 'active', enrol_hash: null, totp_last_step: e.totpStep,
    login_hash: e.loginHash,
    kdf_salt: e.kdf.salt, kdf_opslimit: e.kdf.opslimit, kdf_memlimit: e.kdf.memlimit,
    public_key: e.publicKey, sk_nonce: e.sealedKey?.nonce ?? null, sk_ct: e.sealedKey?.ct ?? null,
  }).where('id', '=', s.id).where('enrol_hash', '=', s.enrol_hash).where('state', '=', 'enrol').executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

// Sessions

export async function insertSession(db: Db, row: { idHash: string; staffId: string; csrfHash: string; now: number }): Promise<void> {
  await db.insertInto('staff_sessions').values({
    id_hash: row.idHash, staff_id: row.staffId, csrf_hash: row.csrfHash, created_ms: row.now, seen_ms: row.now,
  }).execute();
}

export async function findSession(db: Db, idHash: string): Promise<StaffSessionRow | undefined> {
  return db.selectFrom('staff_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
}

/**
 * Moves the session's seen time to `now`, never back (another instance may have written a later one), in
 * staff_session_seen (022), which the session cache does not watch. Taken from the session row, so a
 * session signed out meanwhile (elsewhere) gets nothing rather than a foreign-key error.
 */
export async function touchSession(db: Db, idHash: string, now: number): Promise<void> {
  await db.insertInto('staff_session_seen').columns(['id_hash', 'seen_ms'])
    // The cast: PostgreSQL would take a bare parameter in a select list as text.
    .expression(db.selectFrom('staff_sessions').select(['id_hash', sql<number>`cast(${now} as bigint)`.as('seen_ms')]).where('id_hash', '=', idHash))
    .onConflict((oc) => oc.column('id_hash')
      .doUpdateSet({ seen_ms: (eb) => eb.ref('excluded.seen_ms') })
      .where((eb) => eb('staff_session_seen.seen_ms', '<', eb.ref('excluded.seen_ms'))))
    .execute();
}

/**
 * The session's seen time as the database has it now: the later of its row's (the start, or an older
 * release's touch) and staff_session_seen's; undefined when the session is gone. One round trip.
 */
export async function sessionSeen(db: Db, idHash: string): Promise<number | undefined> {
  const r = await db.selectFrom('staff_sessions')
    .leftJoin('staff_session_seen', 'staff_session_seen.id_hash', 'staff_sessions.id_hash')
    .select(['staff_sessions.seen_ms as started', 'staff_session_seen.seen_ms as moved'])
    .where('staff_sessions.id_hash', '=', idHash).executeTakeFirst();
  if (!r) return undefined;
  return Math.max(Number(r.started), r.moved === null ? 0 : Number(r.moved));
}

export async function setSessionCsrf(db: Db, idHash: string, csrfHash: string): Promise<void> {
  await db.updateTable('staff_sessions').set({ csrf_hash: csrfHash }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteSessionsOf(db: Db, staffId: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('staff_id', '=', staffId).execute();
}

// Counted attempts (lockout.ts holds the policy and builds the lock expression)

export interface LockPolicy {
  maxFailures: number;
  capMs: number;
  /** Lock length once n attempts have been counted (0 below the limit). */
  lockMs: (n: number) => number;
}

/** `now + lockMs(n)` for n = failures + 1, as SQL over the stored row (integers only, no pow() needed in SQLite). */
function lockUntilSql(now: number, p: LockPolicy) {
  const n = sql.ref('login_attempts.failures');
  const cases: ReturnType<typeof sql>[] = [];
  for (let k = p.maxFailures; p.lockMs(k) < p.capMs; k++) cases.push(sql`WHEN ${n} + 1 = ${sql.lit(k)} THEN ${sql.lit(now + p.lockMs(k))}`);
  return sql<number>`CASE WHEN ${n} + 1 < ${sql.lit(p.maxFailures)} THEN 0 ${sql.join(cases, sql` `)} ELSE ${sql.lit(now + p.capMs)} END`;
}

/**
 * Counts one attempt in a single upsert that also starts the lock when it reaches the limit, unless
 * a lock is running (then nothing is written and undefined comes back): parallel attempts each get
 * their own number.
 */
export async function countAttemptRow(db: Db, key: string, now: number, policy: LockPolicy) {
  return db.insertInto('login_attempts')
    .values({ key, failures: 1, locked_until_ms: policy.lockMs(1) > 0 ? now + policy.lockMs(1) : 0 })
    .onConflict((oc) => oc.column('key')
      .doUpdateSet({ failures: sql`login_attempts.failures + 1`, locked_until_ms: lockUntilSql(now, policy) })
      .where('login_attempts.locked_until_ms', '<=', now))
    .returning(['failures', 'locked_until_ms'])
    .executeTakeFirst();
}

export async function lockedUntil(db: Db, key: string): Promise<number> {
  const held = await db.selectFrom('login_attempts').select('locked_until_ms').where('key', '=', key).executeTakeFirst();
  return Number(held?.locked_until_ms ?? 0);
}

export async function clearAttempts(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('key', '=', key).execute();
}
