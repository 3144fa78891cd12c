// Who may open a case: a member of the case's team who holds its case-key
// wrap and has not recused themselves. Everything else, unknown refs alike,
// is 403, so a reference says nothing about whether a case exists.
import type { CaseRow } from '../db/database.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Principal } from '../auth/repository.ts';
import { ApiError } from '../plugins/errors.ts';
import { conflictOf, findCase, staffWrapsOf } from './repository.ts';

export interface Access {
  row: CaseRow;
  keyWrap: string;
  identityWrap: string | null;
  seesIdentity: boolean;
}

export async function access(db: Kysely<Database>, p: Principal, ref: string): Promise<Access> {
  const row = await findCase(db, ref);
  const team = row ? p.teams.find((t) => t.id === row.team_id) : undefined;
  if (!row || !team) throw new ApiError('forbidden');
  // A recusal is final: a wrap that somehow reached a recused member opens nothing here.
  if ((await conflictOf(db, row.id, p.id))?.knowsPeople) throw new ApiError('forbidden');
  const wraps = await staffWrapsOf(db, row.id, p.id);
  if (!wraps.key) throw new ApiError('forbidden');
  return { row, keyWrap: wraps.key, identityWrap: wraps.identity ?? null, seesIdentity: team.seesIdentity };
}
