// The hook calls the rest of the server makes, each inside the transaction
// of the event that causes it, so a notification exists exactly when its
// event committed. Extension point: a new kind gets a line in
// shared/src/domain/notifications.ts and a function here.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { caseOpenersReachable, filterReachable, reachableMembers, teamMembersReachable } from './repository.ts';
import type { EventRow } from './repository.ts';
import { KeptAnswers } from '../db/kept-answers.ts';
import { enqueue, eventInputs, rowsOf, type EventInputs } from './service.ts';

type Tx = Transaction<Database> | Kysely<Database>;

/** A new report reached a team (reporter-caused: batched). */
export async function onNewCase(tx: Tx, teamId: string, now: number): Promise<void> {
  await enqueue(tx, { kind: 'new_case', recipients: await teamMembersReachable(tx, teamId) }, now);
}

/**
 * New reports at once (a group commit): the rows onNewCase would write for each, read but not
 * written: the group commit of new cases writes them
 * with the cases (on PostgreSQL in the one statement that stores them, case/repository.ts
 * insertCasesAtOnce), so they commit exactly when the cases do. What they are made from (the team's
 * reachable members, the organisation's settings, their choices) is kept per team under a change token
 * over the tables read (db/kept-answers.ts): a batch of submissions read it three times on every
 * commit, a round trip each on PostgreSQL. Reads on a miss go through `via` (the caller's transaction
 * on SQLite, whose one connection it holds); the token comes from the handle `db`.
 */
export async function newCaseEventRows(
  db: Kysely<Database>, cases: readonly { teamId: string; now: number }[], via: Tx = db,
): Promise<EventRow[]> {
  const plans = new Map<string, NewCasePlan>();
  for (const c of cases) if (!plans.has(c.teamId)) plans.set(c.teamId, (await newCasePlans.get(db, c.teamId, '', () => newCasePlan(via, c.teamId)))!);
  return cases.flatMap((c) => {
    const plan = plans.get(c.teamId)!;
    return rowsOf([{ notice: { kind: 'new_case', recipients: plan.members }, now: c.now }], plan.inputs);
  });
}

interface NewCasePlan { members: string[]; inputs: EventInputs }
const newCasePlan = async (db: Tx, teamId: string): Promise<NewCasePlan> => {
  const members = await teamMembersReachable(db, teamId);
  return { members, inputs: await eventInputs(db, [{ notice: { kind: 'new_case', recipients: members }, now: 0 }]) };
};
/** Every table newCasePlan reads: teamMembersReachable (team_members, staff), orgConfig (settings), prefsFor (notification_prefs). */
export const NEW_CASE_PLAN_TABLES = ['team_members', 'staff', 'settings', 'notification_prefs'] as const;
const newCasePlans = new KeptAnswers<NewCasePlan>({ tables: NEW_CASE_PLAN_TABLES, size: () => 1, budget: 1000 });
/** Plans read so far (tests: a batch while nothing they read changed reads none). */
export const newCasePlanBuilds = (): number => newCasePlans.builds;

/** A new advice request reached a team (reporter-caused: batched, exactly like a new case). */
export async function onNewAdvice(tx: Tx, teamId: string, now: number): Promise<void> {
  await enqueue(tx, { kind: 'new_advice', recipients: await teamMembersReachable(tx, teamId) }, now);
}

/** A reporter asked for a welfare contact (reporter-caused: batched): whoever can open the case. */
export async function onWelfareRequest(tx: Tx, caseId: number, now: number): Promise<void> {
  await enqueue(tx, { kind: 'welfare_request', recipients: await caseOpenersReachable(tx, caseId) }, now);
}

/** A reporter wrote on a case (reporter-caused: batched): whoever can open it. */
export async function onReporterMessage(tx: Tx, caseId: number, now: number): Promise<void> {
  await enqueue(tx, { kind: 'reporter_message', recipients: await caseOpenersReachable(tx, caseId) }, now);
}

/** A case was assigned to someone (including the lead who takes it after a recusal). */
export async function onAssigned(tx: Tx, staffId: string | null, actor: string, now: number): Promise<void> {
  if (staffId === null) return;
  await enqueue(tx, { kind: 'assigned', recipients: await filterReachable(tx, [staffId]), actor }, now);
}

/** A case was referred to another team: its members. */
export async function onReferred(tx: Tx, teamId: string, actor: string, now: number): Promise<void> {
  await enqueue(tx, { kind: 'referred', recipients: await teamMembersReachable(tx, teamId), actor }, now);
}

/** A key was certified for a team or revoked (staff-caused): every member but the one who did it. */
export async function onTeamKeysChanged(tx: Tx, teamId: string, actor: string | null, now: number): Promise<void> {
  await enqueue(tx, { kind: 'team_keys_changed', recipients: await teamMembersReachable(tx, teamId), ...(actor ? { actor } : {}) }, now);
}

/** A referral's wraps did not open in the receiving browser and the case came back: the sending team's leads. */
export async function onReferralReturned(tx: Tx, teamId: string, actor: string, now: number): Promise<void> {
  const leads = [...new Set((await reachableMembers(tx, [teamId], true)).map((m) => m.staff_id))];
  await enqueue(tx, { kind: 'referral_returned', recipients: leads, actor }, now);
}
