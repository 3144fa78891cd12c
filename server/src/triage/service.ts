// What a triage user does to a case. Each action checks access first
// (access.ts), then writes in one transaction whose last statement appends the
// audit entry (ids and codes only), so the action and its entry commit together.
import type { Kysely, Transaction } from 'kysely';
import { LIMITS, STATUSES, type CaseStatus } from '../../../shared/src/api/domain.ts';
import type {
  AssignRequest, InternalKeyRequest, SealedRecordWire, StaffRole, StatusRequest, TeamList, TeamMemberList,
} from '../../../shared/src/api/staff.ts';
import { answerAdvice, clearMessageOnClosed, countMessages, recordSupportOffered, setStatusIn, touchActivity } from '../case/repository.ts';
import type { Database } from '../db/database.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { keyedMembers } from '../directory/repository.ts';
import { checkCiphertext, decodeExact } from '../intake/validate.ts';
import { ApiError } from '../plugins/errors.ts';
import type { Principal } from '../auth/repository.ts';
import type { Access } from './access.ts';
import { pendingOf } from './referral-repository.ts';
import * as repo from './repository.ts';
import { recusedOf } from './repository.ts';
import { checkKinded, refuseRecused, storeWraps } from './wraps.ts';
import { canMove } from '../../../shared/src/domain/statuses.ts';

type Db = Kysely<Database>;
type Tx = Transaction<Database>;

/** Appends the action's audit entry inside its transaction; the route binds actor, action and case. */
export type Audit<T = void> = (tx: Tx, result: T) => Promise<unknown>;


function checkRecord(r: SealedRecordWire): void {
  decodeExact(r.id, 16);
  decodeExact(r.nonce, 24);
  checkCiphertext(r.ct, LIMITS.messagePaddedMax);
}

async function insertTriageMessage(tx: Tx, caseId: number, m: SealedRecordWire, on: string): Promise<void> {
  // Staff have their own allowance: no number of staff messages can use up the reporter's.
  if ((await countMessages(tx, caseId, 'triage')) >= LIMITS.triageMessagesPerCaseMax) throw new ApiError('too_many_messages');
  try {
    await repo.insertTriageMessage(tx, caseId, m, on);
  } catch (err) {
    throw isUniqueViolation(err) ? new ApiError('message_exists') : err;
  }
}

export async function postMessage(db: Db, a: Access, m: SealedRecordWire, on: string, audit: Audit): Promise<void> {
  checkRecord(m);
  await db.transaction().execute(async (tx) => {
    await insertTriageMessage(tx, a.row.id, m, on);
    await touchActivity(tx, a.row.id, on);
    // An answer to a reporter who wrote after closure: the case leaves the open work again.
    if (a.row.status === 'closed') await clearMessageOnClosed(tx, a.row.id);
    // An answer to an advice request stops its reply clock until the reporter asks again.
    if (a.row.kind === 'advice') await answerAdvice(tx, a.row.id);
    await audit(tx);
  });
}

/** A lead of the case's team: role 'lead', or a member with the team's lead flag. */
export const leadsCase = (p: Principal, a: Access): boolean =>
  p.role === 'lead' || p.teams.some((t) => t.id === a.row.team_id && t.lead);

/** The status a reopened case returns to: assessment starts again, with a new feedback clock. */
export const REOPENED_STATUS: CaseStatus = 'assessing';

/**
 * A lead reopens a closed case. The reason is free text, so the browser seals it as an internal
 * note (the server stores it and never reads it); the audit entry carries the note id only.
 * The outcome is cleared and the feedback clock restarts from today.
 */
export async function reopen(db: Db, p: Principal, a: Access, note: SealedRecordWire, on: string, audit: Audit): Promise<void> {
  if (!leadsCase(p, a)) throw new ApiError('forbidden');
  refuseAdvice(a);
  if (a.row.status !== 'closed') throw new ApiError('invalid_transition');
  checkRecord(note);
  try {
    await db.transaction().execute(async (tx) => {
      if (!(await repo.claimStatus(tx, a.row.id, 'closed'))) throw new ApiError('invalid_transition');
      await setStatusIn(tx, a.row.id, REOPENED_STATUS, { on, restartClock: true, by: p.id });
      await repo.insertNote(tx, a.row.id, p.id, note, on);
      await audit(tx);
    });
  } catch (err) {
    throw isUniqueViolation(err) ? new ApiError('message_exists') : err;
  }
}

/** `by`: the acting staff member, kept on the history entry for the team's timeline. */
export async function changeStatus(db: Db, a: Access, body: StatusRequest, on: string, audit: Audit, by?: string): Promise<void> {
  // An advice request is not a case: no acknowledgement, assessment or outcome is recorded for it.
  refuseAdvice(a);
  const from = a.row.status as CaseStatus;
  if (!(STATUSES as readonly string[]).includes(from) || !canMove(from, body.status)) throw new ApiError('invalid_transition');
  const closing = body.status === 'closed';
  // Closing needs an outcome and the sealed explanation; an outcome on any other step is a client bug.
  if (closing ? !body.outcome || !body.message : body.outcome !== undefined) throw new ApiError('invalid_request');
  if (body.message) checkRecord(body.message);
  await db.transaction().execute(async (tx) => {
    // Conditional on the status read above, so two officers cannot both move it.
    if (!(await repo.claimStatus(tx, a.row.id, from))) throw new ApiError('invalid_transition');
    // While another team is checking a referral, the case must not be closed (or moved on) under it.
    if (await pendingOf(tx, a.row.id)) throw new ApiError('referral_pending');
    await setStatusIn(tx, a.row.id, body.status, { on, ...(by ? { by } : {}), ...(body.outcome ? { outcome: body.outcome } : {}) });
    if (body.message) await insertTriageMessage(tx, a.row.id, body.message, on);
    await audit(tx);
  });
}

/** Status, assessment and outcome belong to reports: refused on an advice request (409 advice_not_case). */
export function refuseAdvice(a: Access): void {
  if (a.row.kind === 'advice') throw new ApiError('advice_not_case');
}

/** Staff record that support was offered (on a report or an advice request); an open welfare request is answered. */
export async function supportOffered(db: Db, a: Access, on: string, audit: Audit): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await recordSupportOffered(tx, a.row.id, on);
    await touchActivity(tx, a.row.id, on);
    await audit(tx);
  });
}

export async function postNote(db: Db, a: Access, authorId: string, n: SealedRecordWire, on: string, audit: Audit): Promise<void> {
  checkRecord(n);
  try {
    await db.transaction().execute(async (tx) => {
      await repo.insertNote(tx, a.row.id, authorId, n, on);
      await touchActivity(tx, a.row.id, on);
      await audit(tx);
    });
  } catch (err) {
    throw isUniqueViolation(err) ? new ApiError('message_exists') : err;
  }
}

export async function markRead(db: Db, a: Access, staffId: string, audit: Audit): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await repo.markAllRead(tx, a.row.id, staffId);
    await audit(tx);
  });
}

/**
 * internalKey is made once, by the first browser to open the case. Every wrap must go to a
 * current holder of the case key; the caller's own wrap and a recovery wrap are required so
 * neither the author nor the organisation can lose the notes. Other holders may be added later
 * (assignment) if the browser did not know them yet.
 */
export async function setInternalKey(db: Db, a: Access, callerId: string, body: InternalKeyRequest, audit: Audit<number>): Promise<void> {
  for (const w of body.wraps) decodeExact(w.sealed, 80);
  if (await repo.hasInternalKey(db, a.row.id)) throw new ApiError('internal_key_exists');
  const recused = await recusedOf(db, a.row.id);
  if (body.wraps.some((w) => recused.has(w.recipient))) throw new ApiError('forbidden');
  const holders = (await repo.caseKeyHolders(db, a.row.id)).filter((h) => h.kind === 'recovery' || !recused.has(h.id));
  const kindOf = new Map(holders.map((h) => [h.id, h.kind]));
  const seen = new Set<string>();
  for (const w of body.wraps) {
    if (seen.has(w.recipient)) throw new ApiError('duplicate_recipient');
    seen.add(w.recipient);
    if (!kindOf.has(w.recipient)) throw new ApiError('recipients_changed');
  }
  const recovery = holders.filter((h) => h.kind === 'recovery').map((h) => h.id);
  if (!seen.has(callerId) || !recovery.every((r) => seen.has(r))) throw new ApiError('recipients_changed');
  try {
    await db.transaction().execute(async (tx) => {
      await refuseRecused(tx, a.row.id, body.wraps.map((w) => w.recipient));
      await repo.insertInternalKeys(tx, a.row.id, body.wraps);
      await audit(tx, body.wraps.length);
    });
  } catch (err) {
    throw isUniqueViolation(err) ? new ApiError('internal_key_exists') : err;
  }
}

/** Recusal deletes every wrap the user holds and hands the case to the team's lead. */
export async function declareConflict(db: Db, a: Access, staffId: string, knowsPeople: boolean, on: string, audit: Audit<string | null>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await repo.recordConflict(tx, a.row.id, staffId, knowsPeople, on);
    if (!knowsPeople) {
      await audit(tx, null);
      return;
    }
    await repo.deleteWrapsOf(tx, a.row.id, staffId);
    const assignee = await repo.firstFreeLead(tx, a.row.id, a.row.team_id, staffId);
    await repo.setAssignee(tx, a.row.id, assignee);
    await audit(tx, assignee);
  });
}

export async function assign(db: Db, a: Access, body: AssignRequest, audit: Audit): Promise<void> {
  const members = await keyedMembers(db, a.row.team_id);
  const target = members.find((m) => m.id === body.staffId);
  if (!target) throw new ApiError('invalid_request');
  // A recused colleague must not be handed the case back.
  await refuseRecused(db, a.row.id, [body.staffId]);
  checkKinded(a, body.wraps, [target]);
  const holdsCase = await repo.holdsCaseKey(db, a.row.id, body.staffId);
  if (!holdsCase && !body.wraps.some((w) => w.kind === 'case')) throw new ApiError('recipients_changed');
  await db.transaction().execute(async (tx) => {
    await storeWraps(tx, a.row.id, body.wraps);
    await repo.setAssignee(tx, a.row.id, body.staffId);
    await audit(tx);
  });
}

export const listTeams = (db: Db): Promise<TeamList> => repo.teams(db);

/** Keyed members of any team (the browser wraps to them when referring). */
export async function teamMembers(db: Db, teamId: string): Promise<TeamMemberList> {
  return (await keyedMembers(db, teamId)).map((m) => ({ ...m, role: m.role as StaffRole }));
}
