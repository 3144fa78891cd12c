// Referral storage: Kysely only. A pending referral (case_referrals) and the
// alert left when the receiving browser could not open one (referral_alerts).
import type { Kysely, SelectQueryBuilder, Transaction } from 'kysely';
import type { CaseReferralsTable, Database } from '../db/database.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Tx = Transaction<Database>;

export type PendingReferral = CaseReferralsTable;

export async function pendingOf(db: Db, caseId: number): Promise<PendingReferral | undefined> {
  return db.selectFrom('case_referrals').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

/** Records a pending referral; false if one is already pending for the case. */
export async function insertPending(tx: Tx, r: PendingReferral): Promise<boolean> {
  const res = await tx.insertInto('case_referrals').values(r).onConflict((oc) => oc.column('case_id').doNothing()).executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Ends the pending referral to `toTeam`: true for exactly one caller (confirm and reject race). */
export async function takePending(tx: Tx, caseId: number, toTeam: string): Promise<boolean> {
  const res = await tx.deleteFrom('case_referrals').where('case_id', '=', caseId).where('to_team_id', '=', toTeam).executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}

/**
 * The wraps a rejected referral brought: those of receiving-team members who are not in the
 * sending team. They did not open in one receiving browser, so none of them is trusted; a new
 * referral brings fresh ones (existing wraps are never replaced, so junk left here would block it).
 */
export async function deleteReferralWraps(tx: Tx, caseId: number, fromTeam: string, toTeam: string): Promise<void> {
  const receivers = tx.selectFrom('team_members').select('staff_id').where('team_id', '=', toTeam)
    .where('staff_id', 'not in', tx.selectFrom('team_members').select('staff_id').where('team_id', '=', fromTeam));
  await tx.deleteFrom('case_keys').where('case_id', '=', caseId).where('kind', '=', 'staff').where('recipient_id', 'in', receivers).execute();
  await tx.deleteFrom('internal_keys').where('case_id', '=', caseId).where('recipient_id', 'in', receivers).execute();
}

export async function setAlert(tx: Tx, a: { case_id: number; team_id: string; to_team_id: string; reason: string; on: string }): Promise<void> {
  await tx.insertInto('referral_alerts').values(a)
    .onConflict((oc) => oc.column('case_id').doUpdateSet({ team_id: a.team_id, to_team_id: a.to_team_id, reason: a.reason, on: a.on })).execute();
}

export async function clearAlert(tx: Tx, caseId: number): Promise<number> {
  const res = await tx.deleteFrom('referral_alerts').where('case_id', '=', caseId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Cases this user may open by key: a case-key wrap, not recused (the same rule as access.ts and the inbox). */
function openable<O>(q: SelectQueryBuilder<Database, 'cases', O>, staffId: string): SelectQueryBuilder<Database, 'cases', O> {
  return q
    .where(({ exists, selectFrom }) => exists(selectFrom('case_keys').select('case_keys.case_id')
      .whereRef('case_keys.case_id', '=', 'cases.id').where('case_keys.recipient_id', '=', staffId)
      .where('case_keys.kind', '=', 'staff').where('case_keys.identity', '=', 0)))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('case_conflicts').select('case_conflicts.case_id')
      .whereRef('case_conflicts.case_id', '=', 'cases.id').where('case_conflicts.staff_id', '=', staffId)
      .where('case_conflicts.knows_people', '=', 1))));
}

const LIST_MAX = 200;

/** Pending referrals to (`side` 'to') or from ('from') these teams that this user can open. */
export async function pendingList(db: Db, staffId: string, teamIds: string[], side: 'to' | 'from') {
  if (teamIds.length === 0) return [];
  let q = db.selectFrom('cases')
    .innerJoin('case_referrals', 'case_referrals.case_id', 'cases.id')
    .innerJoin('teams as ft', 'ft.id', 'case_referrals.from_team_id')
    .innerJoin('teams as tt', 'tt.id', 'case_referrals.to_team_id')
    .select(['cases.case_ref', 'case_referrals.on', 'ft.id as from_id', 'ft.label as from_label', 'tt.id as to_id', 'tt.label as to_label']);
  q = side === 'to'
    ? q.where('case_referrals.to_team_id', 'in', teamIds)
    : q.where('case_referrals.from_team_id', 'in', teamIds).whereRef('cases.team_id', '=', 'case_referrals.from_team_id');
  return openable(q.orderBy('case_referrals.on').orderBy('cases.case_ref').limit(LIST_MAX), staffId).execute();
}

/** Referrals that came back to these teams (the user leads them) and that this user can open. */
export async function alertList(db: Db, staffId: string, teamIds: string[]) {
  if (teamIds.length === 0) return [];
  const q = db.selectFrom('cases')
    .innerJoin('referral_alerts', 'referral_alerts.case_id', 'cases.id')
    .innerJoin('teams as ft', 'ft.id', 'referral_alerts.team_id')
    .innerJoin('teams as tt', 'tt.id', 'referral_alerts.to_team_id')
    .select(['cases.case_ref', 'referral_alerts.on', 'referral_alerts.reason', 'ft.id as from_id', 'ft.label as from_label', 'tt.id as to_id', 'tt.label as to_label'])
    .where('referral_alerts.team_id', 'in', teamIds).whereRef('cases.team_id', '=', 'referral_alerts.team_id');
  return openable(q.orderBy('referral_alerts.on').orderBy('cases.case_ref').limit(LIST_MAX), staffId).execute();
}
