// The rows holding sealed secrets (today: staff.totp_secret). Kysely only.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function totpSecrets(db: Db): Promise<{ id: string; totp_secret: string }[]> {
  const rows = await db.selectFrom('staff').select(['id', 'totp_secret']).where('totp_secret', 'is not', null).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, totp_secret: r.totp_secret as string }));
}

/** Replaces the value only if it is still `from`: a racing instance doing the same thing changes nothing twice. */
export async function replaceTotpSecret(db: Db, id: string, from: string, to: string): Promise<boolean> {
  const res = await db.updateTable('staff').set({ totp_secret: to }).where('id', '=', id).where('totp_secret', '=', from).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
