// Who may receive a wrap of a case's keys. A member who declared a conflict
// is recused for good: no wrap is ever addressed to them again, whatever the
// route (assign, refer, internal-key).
import type { Kysely, Transaction } from 'kysely';
import type { WrapKindWire } from '../../../shared/src/api/staff.ts';
import type { Database } from '../db/database.ts';
import { decodeExact } from '../intake/validate.ts';
import { ApiError } from '../plugins/errors.ts';
import type { Access } from './access.ts';
import { caseKeyHolders, insertWraps, recusedOf } from './repository.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface Member { id: string; seesIdentity: boolean }
export type KindedWrap = { recipient: string; kind: WrapKindWire; sealed: string };

/** Refuses (403) any wrap addressed to someone recused from the case. */
export async function refuseRecused(db: Db, caseId: number, recipients: Iterable<string>): Promise<void> {
  const recused = await recusedOf(db, caseId);
  for (const r of recipients) if (recused.has(r)) throw new ApiError('forbidden');
}

/** Staff (not recovery) ids holding the case-key wrap, recused members left out; sorted. */
export async function caseHolders(db: Db, caseId: number): Promise<{ holders: string[]; recused: string[] }> {
  const recused = await recusedOf(db, caseId);
  const holders = (await caseKeyHolders(db, caseId)).filter((h) => h.kind === 'staff' && !recused.has(h.id)).map((h) => h.id).sort();
  return { holders, recused: [...recused].sort() };
}

/** Checks wraps against who may receive them; identity wraps only for named reports and people who may see identity. */
export function checkKinded(a: Access, wraps: KindedWrap[], members: Member[]): void {
  const byId = new Map(members.map((m) => [m.id, m]));
  const seen = new Set<string>();
  for (const w of wraps) {
    decodeExact(w.sealed, 80);
    const m = byId.get(w.recipient);
    if (!m) throw new ApiError('recipients_changed');
    if (w.kind === 'identity' && (!m.seesIdentity || a.row.identity_ct === null)) throw new ApiError('forbidden');
    const key = `${w.recipient}/${w.kind}`;
    if (seen.has(key)) throw new ApiError('duplicate_recipient');
    seen.add(key);
  }
}

/**
 * Stores wraps inside the action's transaction, re-checking recusal there (a recusal may have just landed).
 * An existing wrap is never replaced: the server cannot tell a good wrap from junk, so a colleague's
 * assign/refer could otherwise lock someone out. A repeated wrap (a retry) is a no-op.
 */
export async function storeWraps(tx: Transaction<Database>, caseId: number, wraps: KindedWrap[]): Promise<void> {
  await refuseRecused(tx, caseId, wraps.map((w) => w.recipient));
  await insertWraps(tx, caseId, wraps);
}
