// Keeping server-held secrets sealed (box.ts): sealing plaintext rows at
// start-up (rows written before migration 012, or by the demo seeds), refusing
// to start on rows sealed under another server secret, and rotation to a new
// secret in one transaction (cli/secrets-rotate.ts).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { isPostgres } from '../db/dialect.ts';
import { checkHead, dayOf, storedHead, storeHead, type AuditSigner } from '../audit/head.ts';
import { keyIdOf, rowAd, SecretUnreadable, type SecretBox } from './box.ts';
import { replaceTotpSecret, totpSecrets } from './repository.ts';

export const totpAd = (staffId: string): string => rowAd('staff', 'totp_secret', staffId);

/**
 * At start-up: seals every plaintext TOTP secret under `box`, in one transaction, and refuses to
 * start (throws) when a row is sealed under another key: signing in would fail for that account
 * with no clue why. Returns how many rows were sealed.
 */
export async function sealPlaintextSecrets(db: Kysely<Database>, box: SecretBox): Promise<number> {
  return db.transaction().execute(async (tx) => {
    let sealed = 0;
    for (const r of await totpSecrets(tx)) {
      const kid = keyIdOf(r.totp_secret);
      if (kid === null) {
        if (await replaceTotpSecret(tx, r.id, r.totp_secret, box.seal(r.totp_secret, totpAd(r.id)))) sealed++;
      } else if (kid !== box.keyId) {
        throw new Error(`TOTP secrets are sealed under another server secret (key id ${kid}; this one is ${box.keyId}): start with that secret, or run npm run secrets:rotate`);
      }
    }
    return sealed;
  });
}

export interface Rotated {
  totpSecrets: number;
  /** The stored audit head was re-signed with the new key (none before the first entry). */
  headResigned: boolean;
}

async function lockForRotation(tx: Transaction<Database>): Promise<void> {
  if (!isPostgres(tx)) return;
  await sql`LOCK TABLE staff IN SHARE ROW EXCLUSIVE MODE`.execute(tx);
  await sql`LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE`.execute(tx);
}

/**
 * Re-seals every stored secret from `old` to `next` and re-signs the stored audit head, in one
 * transaction: all or nothing. Rows already under `next` (a rerun) are left; plaintext rows are
 * sealed; a row that opens under neither stops the rotation. The stored head must verify under
 * the old key first: rotation must not launder a forged head.
 */
export async function rotateSecrets(db: Kysely<Database>, old: { box: SecretBox; signer: AuditSigner }, next: { box: SecretBox; signer: AuditSigner }, now: Date): Promise<Rotated> {
  return db.transaction().execute(async (tx) => {
    await lockForRotation(tx);
    let count = 0;
    for (const r of await totpSecrets(tx)) {
      const kid = keyIdOf(r.totp_secret);
      if (kid === next.box.keyId) continue;
      let plain: string;
      try {
        plain = kid === null ? r.totp_secret : old.box.open(r.totp_secret, totpAd(r.id));
      } catch (err) {
        throw err instanceof SecretUnreadable ? new Error(`staff ${r.id}: ${err.message}`) : err;
      }
      await replaceTotpSecret(tx, r.id, r.totp_secret, next.box.seal(plain, totpAd(r.id)));
      count++;
    }
    const head = await storedHead(tx);
    if (head && head.publicKey !== next.signer.publicKey) {
      if (checkHead(head, [old.signer.publicKey]) !== 'ok') throw new Error('the stored audit head does not verify under the old key: run npm run audit:verify before rotating');
      await storeHead(tx, next.signer.sign({ seq: head.seq, hash: head.hash, day: dayOf(now) }));
    }
    return { totpSecrets: count, headResigned: head !== undefined && head.publicKey !== next.signer.publicKey };
  });
}
