// Spent challenges in the database (when no Redis is configured). Kysely only.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { isUniqueViolation, toCount } from '../db/dialect.ts';

type Db = Kysely<Database>;

/** true when this call spent the challenge; false when it was already spent (the primary key says so). */
export async function insertSpent(db: Db, id: string, expiresAt: number): Promise<boolean> {
  try {
    await db.insertInto('pow_spent').values({ id, expires_at: expiresAt }).execute();
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

export async function deleteExpired(db: Db, now: number): Promise<void> {
  await db.deleteFrom('pow_spent').where('expires_at', '<', now).execute();
}

/** Spent challenges that have not yet expired: the stamps spent within the last challenge lifetime. */
export async function countLive(db: Db, now: number): Promise<number> {
  const row = await db.selectFrom('pow_spent').select((eb) => eb.fn.countAll().as('n')).where('expires_at', '>=', now).executeTakeFirst();
  return toCount(row?.n);
}
