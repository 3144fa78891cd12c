// Who may open a case: a member of the case's team who holds its case-key
// wrap and has not recused themselves. Everything else, unknown refs alike,
// is 403, so a reference says nothing about whether a case exists.
// While a referral is pending, a member of the receiving team who holds a wrap
// may also read the case (to prove the wraps open) and confirm or reject it;
// nothing else (referral.ts).
import type { CaseRow } from '../db/database.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Principal } from '../auth/repository.ts';
import { ApiError } from '../plugins/errors.ts';
import { pendingOf } from './referral-repository.ts';
import { conflictOf, findCase, staffWrapsOf } from './repository.ts';

export interface Access {
  row: CaseRow;
  keyWrap: string;
  identityWrap: string | null;
  seesIdentity: boolean;
  /** 'referral': the user is in the team a pending referral goes to, not (yet) the case's team. */
  via: 'team' | 'referral';
}

async function accessAs(db: Kysely<Database>, p: Principal, row: CaseRow, teamId: string, via: Access['via']): Promise<Access> {
  const team = p.teams.find((t) => t.id === teamId);
  if (!team) throw new ApiError('forbidden');
  // A recusal is final: a wrap that somehow reached a recused member opens nothing here.
  if ((await conflictOf(db, row.id, p.id))?.knowsPeople) throw new ApiError('forbidden');
  const wraps = await staffWrapsOf(db, row.id, p.id);
  if (!wraps.key) throw new ApiError('forbidden');
  return { row, keyWrap: wraps.key, identityWrap: wraps.identity ?? null, seesIdentity: team.seesIdentity, via };
}

/** The case's own team: every case action. */
export async function access(db: Kysely<Database>, p: Principal, ref: string): Promise<Access> {
  const row = await findCase(db, ref);
  if (!row) throw new ApiError('forbidden');
  return accessAs(db, p, row, row.team_id, 'team');
}

/** A member of the team a pending referral of the case goes to (confirm, reject). */
export async function incomingAccess(db: Kysely<Database>, p: Principal, ref: string): Promise<Access> {
  const row = await findCase(db, ref);
  const pending = row ? await pendingOf(db, row.id) : undefined;
  if (!row || !pending) throw new ApiError('forbidden');
  return accessAs(db, p, row, pending.to_team_id, 'referral');
}

/** Reading the case: its team, or the receiving team of a pending referral. */
export async function readAccess(db: Kysely<Database>, p: Principal, ref: string): Promise<Access> {
  const row = await findCase(db, ref);
  if (!row) throw new ApiError('forbidden');
  if (p.teams.some((t) => t.id === row.team_id)) return accessAs(db, p, row, row.team_id, 'team');
  return incomingAccess(db, p, ref);
}
