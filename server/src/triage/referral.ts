// A referral in two steps, so no insider can bury a case by referring it with
// wraps nobody can open (the server cannot tell a good wrap from junk):
// 1. refer: the sending browser wraps the keys to the receiving team; the
//    referral waits (case_referrals). The case stays with the sending team,
//    which keeps full access.
// 2. The first receiving member to open it proves their wraps open (their
//    browser unwraps the case key and opens the report), then confirms: only
//    now does the case move. If it cannot open them it rejects with a reason
//    code: the case stays with the sender, the referral's wraps are dropped and
//    the sending team's leads are alerted (inbox and notification).
// A referral unconfirmed for REFERRAL_STALE_DAYS is shown overdue to the sender.
import type { Kysely } from 'kysely';
import type { CaseStatus } from '../../../shared/src/api/domain.ts';
import { REFERRAL_STALE_DAYS, type ReferralList, type ReferralRejectReason, type ReferRequest } from '../../../shared/src/api/staff.ts';
import { addDays } from '../../../shared/src/domain/clock.ts';
import type { Principal } from '../auth/repository.ts';
import { setStatusIn } from '../case/repository.ts';
import type { Database } from '../db/database.ts';
import { keyedMembers } from '../directory/repository.ts';
import { ApiError } from '../plugins/errors.ts';
import type { Access } from './access.ts';
import * as rrepo from './referral-repository.ts';
import type { PendingReferral } from './referral-repository.ts';
import * as repo from './repository.ts';
import type { Audit } from './service.ts';
import { checkKinded, storeWraps } from './wraps.ts';

type Db = Kysely<Database>;

/** Records the referral as pending; the case keeps its team until the receiving browser confirms. */
export async function refer(db: Db, p: Principal, a: Access, body: ReferRequest, on: string, audit: Audit): Promise<void> {
  if (body.teamId === a.row.team_id) throw new ApiError('invalid_request');
  if (!(await repo.teamExists(db, body.teamId))) throw new ApiError('invalid_request');
  if (a.row.status === 'closed') throw new ApiError('invalid_transition');
  if (await rrepo.pendingOf(db, a.row.id)) throw new ApiError('referral_pending');
  // A member recused from this case gets no wrap, and none is required for them.
  const recused = await repo.recusedOf(db, a.row.id);
  if (body.wraps.some((w) => recused.has(w.recipient))) throw new ApiError('forbidden');
  const members = (await keyedMembers(db, body.teamId)).filter((m) => !recused.has(m.id));
  checkKinded(a, body.wraps, members);
  // Every keyed, non-recused member of the new team must be able to open the case.
  const withCase = new Set(body.wraps.filter((w) => w.kind === 'case').map((w) => w.recipient));
  if (members.some((m) => !withCase.has(m.id))) throw new ApiError('recipients_changed');
  await db.transaction().execute(async (tx) => {
    // Conditional on the status read above: a status change racing with the referral waits for it (changeStatus checks for a pending referral).
    if (!(await repo.claimStatus(tx, a.row.id, a.row.status as CaseStatus))) throw new ApiError('invalid_transition');
    await storeWraps(tx, a.row.id, body.wraps);
    const r: PendingReferral = { case_id: a.row.id, from_team_id: a.row.team_id, to_team_id: body.teamId, referred_by: p.id, on };
    if (!(await rrepo.insertPending(tx, r))) throw new ApiError('referral_pending');
    // A new attempt answers any earlier "came back" alert.
    await rrepo.clearAlert(tx, a.row.id);
    await audit(tx);
  });
}

/** The pending referral this receiving member may answer, or 403. */
async function answerable(db: Db, a: Access): Promise<PendingReferral> {
  const pending = await rrepo.pendingOf(db, a.row.id);
  if (!pending || a.via !== 'referral') throw new ApiError('forbidden');
  return pending;
}

/** The receiving browser opened the case with its wraps: the case moves; the sending team loses access. */
export async function confirmReferral(db: Db, a: Access, on: string, audit: Audit<PendingReferral>): Promise<void> {
  const pending = await answerable(db, a);
  await db.transaction().execute(async (tx) => {
    if (!(await rrepo.takePending(tx, a.row.id, pending.to_team_id))) throw new ApiError('forbidden');
    await repo.moveToTeam(tx, a.row.id, pending.to_team_id);
    if (a.row.status !== 'referred') await setStatusIn(tx, a.row.id, 'referred', { on, by: pending.referred_by, team: pending.to_team_id });
    await audit(tx, pending);
  });
}

/** The receiving browser could not open the case: it stays with the sender, whose leads are alerted. */
export async function rejectReferral(db: Db, a: Access, reason: ReferralRejectReason, on: string, audit: Audit<PendingReferral>): Promise<void> {
  const pending = await answerable(db, a);
  await db.transaction().execute(async (tx) => {
    if (!(await rrepo.takePending(tx, a.row.id, pending.to_team_id))) throw new ApiError('forbidden');
    await rrepo.deleteReferralWraps(tx, a.row.id, pending.from_team_id, pending.to_team_id);
    await rrepo.setAlert(tx, { case_id: a.row.id, team_id: pending.from_team_id, to_team_id: pending.to_team_id, reason, on });
    await audit(tx, pending);
  });
}

const leads = (p: Principal, teamId: string): boolean => p.role === 'lead' || p.teams.some((t) => t.id === teamId && t.lead);

/** A lead of the case's team has seen the returned referral. */
export async function dismissAlert(db: Db, p: Principal, a: Access, audit: Audit): Promise<void> {
  if (!leads(p, a.row.team_id)) throw new ApiError('forbidden');
  await db.transaction().execute(async (tx) => {
    if ((await rrepo.clearAlert(tx, a.row.id)) === 0) throw new ApiError('not_found');
    await audit(tx);
  });
}

export async function referralList(db: Db, p: Principal, today: string): Promise<ReferralList> {
  const teams = p.teams.map((t) => t.id);
  const stale = addDays(today, -REFERRAL_STALE_DAYS);
  const item = (r: { case_ref: string; on: string; from_id: string; from_label: string; to_id: string; to_label: string }) => ({
    caseRef: r.case_ref, on: r.on, from: { id: r.from_id, label: r.from_label }, to: { id: r.to_id, label: r.to_label },
  });
  const [incoming, outgoing, returned] = [
    await rrepo.pendingList(db, p.id, teams, 'to'),
    await rrepo.pendingList(db, p.id, teams, 'from'),
    await rrepo.alertList(db, p.id, teams.filter((t) => leads(p, t))),
  ];
  return {
    incoming: incoming.map(item),
    outgoing: outgoing.map((r) => ({ ...item(r), overdue: r.on <= stale })),
    returned: returned.map((r) => ({ ...item(r), reason: r.reason as ReferralRejectReason })),
  };
}

/** The pending referral as the detail page shows it, if any. */
export async function referralOf(db: Db, p: Principal, caseId: number) {
  const pending = await rrepo.pendingOf(db, caseId);
  if (!pending) return undefined;
  const [from, to] = [await repo.labelOf(db, 'teams', pending.from_team_id), await repo.labelOf(db, 'teams', pending.to_team_id)];
  const incoming = p.teams.some((t) => t.id === pending.to_team_id);
  return {
    direction: incoming ? 'incoming' as const : 'outgoing' as const,
    from: from ?? { id: pending.from_team_id, label: pending.from_team_id },
    to: to ?? { id: pending.to_team_id, label: pending.to_team_id },
    on: pending.on,
  };
}
