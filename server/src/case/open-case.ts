// Opens a stored case with a recipient's key pair, as a triage browser or the
// offline recovery ceremony would. Used by the demo CLI and tests; the server
// itself never calls this with a real key.
import type { Kysely } from 'kysely';
import { openAsRecipient, toB64u, type KeyPair, type RecipientView, type SealedCase } from '../../../shared/src/crypto/index.ts';
import type { Database } from '../db/database.ts';
import { caseKeys, findByRef, messages } from './repository.ts';

export interface OpenedForRecipient extends RecipientView {
  caseRef: string;
  status: string;
  team: string;
  receivedOn: string;
  openedAs: string;
}

/** The recipient id whose public key matches `keyPair` (staff or recovery), if any. */
async function recipientIdOf(db: Kysely<Database>, keyPair: KeyPair): Promise<string | undefined> {
  const pk = toB64u(keyPair.publicKey);
  const staff = await db.selectFrom('staff').select('id').where('public_key', '=', pk).executeTakeFirst();
  if (staff) return staff.id;
  const rk = await db.selectFrom('recovery_keys').select('id').where('public_key', '=', pk).executeTakeFirst();
  return rk?.id;
}

/** Tries each key pair in turn; throws if none holds a wrap for the case. */
export async function openCaseAsRecipient(db: Kysely<Database>, caseRef: string, keyPairs: KeyPair[]): Promise<OpenedForRecipient> {
  const row = await findByRef(db, caseRef);
  if (!row) throw new Error(`no case ${caseRef}`);
  const wraps = await caseKeys(db, row.id);
  const msgs = await messages(db, row.id);
  for (const kp of keyPairs) {
    const id = await recipientIdOf(db, kp);
    const keyWrap = wraps.find((w) => w.recipient_id === id && w.identity === 0);
    if (!id || !keyWrap) continue;
    const identityWrap = wraps.find((w) => w.recipient_id === id && w.identity === 1);
    const sealed: SealedCase = {
      reporterPk: row.reporter_pk,
      report: { nonce: row.report_nonce, ct: row.report_ct } as SealedCase['report'],
      keyWrap: keyWrap.sealed,
      messages: msgs.map((m) => ({ id: m.id, from: m.sender, on: m.on, nonce: m.nonce, ct: m.ct })),
    };
    if (row.identity_nonce && row.identity_ct && identityWrap) {
      sealed.identity = { nonce: row.identity_nonce, ct: row.identity_ct } as SealedCase['report'];
      sealed.identityWrap = identityWrap.sealed;
    }
    return {
      caseRef: row.case_ref, status: row.status, team: row.team_id, receivedOn: row.received_on, openedAs: id,
      ...openAsRecipient(kp, sealed),
    };
  }
  throw new Error('none of the given keys can open this case');
}
