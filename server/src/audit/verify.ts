// Verifying the audit log against signed heads. The chain (log.ts verifyAudit)
// finds an edited or removed row; the heads find what the chain cannot: an end
// cut off, a whole chain recomputed, an entry appended by someone without the
// key. A head counts only if signed by a trusted key (derived from the server
// secret, or given by the auditor), never merely by the key written in it.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { checkHead, storedHead, type SignedHead } from './head.ts';
import { chainBreak } from './log.ts';

export type AnchoredResult =
  | { ok: true; entries: number; storedHead: number | null; exportedHeads: number }
  | { ok: false; entries: number; problem: string; brokenAt?: number };

interface Options {
  /** Public keys (base64url) whose heads are believed. */
  trusted: readonly string[];
  /** Heads exported earlier (npm run audit:head) and kept elsewhere. */
  heads?: readonly SignedHead[];
}

/**
 * The chain from seq 1, the head stored in the database (which must sit on the last entry),
 * and each exported head (which must sit on the entry it names, with the same hash). Read in one
 * snapshot so an append during the check is not mistaken for tampering.
 */
export async function verifyAnchored(db: Kysely<Database>, opts: Options): Promise<AnchoredResult> {
  const { rows, stored } = await db.transaction().setIsolationLevel('repeatable read').execute(async (tx) => ({
    stored: await storedHead(tx),
    rows: await tx.selectFrom('audit_log').select(['seq', 'at', 'actor', 'action', 'case_ref', 'detail', 'prev_hash', 'hash']).orderBy('seq').execute(),
  }));
  const entries = rows.length;
  const fail = (problem: string, brokenAt?: number): AnchoredResult => ({ ok: false, entries, problem, ...(brokenAt !== undefined ? { brokenAt } : {}) });
  const broken = chainBreak(rows);
  if (broken !== null) return fail(`chain broken at seq ${broken}`, broken);
  const against = (h: SignedHead, name: string): AnchoredResult | null => {
    const check = checkHead(h, opts.trusted);
    if (check === 'untrusted_key') return fail(`${name}: signed by a key that is not trusted (${h.publicKey})`);
    if (check === 'bad_signature') return fail(`${name}: signature does not verify`);
    if (h.seq > entries) return fail(`${name}: the log ends at seq ${entries} but the head was signed at seq ${h.seq} (entries removed from the end)`, entries + 1);
    if (rows[h.seq - 1]!.hash !== h.hash) return fail(`${name}: entry ${h.seq} does not match the signed head (the log was rewritten)`, h.seq);
    return null;
  };
  // Exported heads first: they hold even when the stored one was put back from an older copy.
  for (const h of opts.heads ?? []) {
    const bad = against(h, `head of ${h.day} (seq ${h.seq})`);
    if (bad) return bad;
  }
  if (!stored && entries > 0) return fail('no signed head in the database (removed?)');
  if (stored) {
    const bad = against(stored, 'stored head');
    if (bad) return bad;
    // Every append re-signs the head in its own transaction: an entry past it was not made by the server.
    if (stored.seq < entries) return fail(`entries after seq ${stored.seq} are not covered by the stored signed head`, stored.seq + 1);
  }
  return { ok: true, entries, storedHead: stored?.seq ?? null, exportedHeads: opts.heads?.length ?? 0 };
}
