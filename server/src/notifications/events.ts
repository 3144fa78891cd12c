// The hook calls the rest of the server makes, each inside the transaction
// of the event that causes it, so a notification exists exactly when its
// event committed. Extension point: a new kind gets a line in
// shared/src/domain/notifications.ts and a function here.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { caseOpenersReachable, filterReachable, reachableMembers, teamMembersReachable } from './repository.ts';
import type { EventRow } from './repository.ts';
import { enqueue, enqueueAll, eventRows } from './service.ts';

type Tx = Transaction<Database> | Kysely<Database>;

/** A new report reached a team (reporter-caused: batched). */
export async function onNewCase(tx: Tx, teamId: string, now: number): Promise<void> {
  await enqueue(tx, { kind: 'new_case', recipients: await teamMembersReachable(tx, teamId) }, now);
}

/** Several new reports at once (a group commit): the same rows as onNewCase for each, with shared reads. */
export async function onNewCases(tx: Tx, cases: readonly { teamId: string; now: number }[]): Promise<void> {
  const members = new Map<string, string[]>();
  for (const c of cases) if (!members.has(c.teamId)) members.set(c.teamId, await teamMembersReachable(tx, c.teamId));
  await enqueueAll(tx, cases.map((c) => ({ notice: { kind: 'new_case' as const, recipients: members.get(c.teamId)! }, now: c.now })));
}

/**
 * The rows onNewCases would write, read but not written: intake's one-statement batch on PostgreSQL
 * writes them in the statement that stores the cases, so they commit exactly when the cases do.
 */
export async function newCaseEventRows(db: Tx, cases: readonly { teamId: string; now: number }[]): Promise<EventRow[]> {
  const members = new Map<string, string[]>();
  for (const c of cases) if (!members.has(c.teamId)) members.set(c.teamId, await teamMembersReachable(db, c.teamId));
  return eventRows(db, cases.map((c) => ({ notice: { kind: 'new_case' as const, recipients: members.get(c.teamId)! }, now: c.now })));
}

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
