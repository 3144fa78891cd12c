// Spent challenges in the database (when no Redis is configured). Kysely only.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { toCount } from '../db/dialect.ts';

type Db = Kysely<Database>;

/**
 * Spends several challenges in the caller's transaction with one statement (db/group-commit.ts):
 * true for each item this call spent. ON CONFLICT DO NOTHING instead of a unique violation, which
 * would abort a PostgreSQL transaction shared with other spends; an id twice in one batch is spent
 * by its first occurrence only.
 */
export async function insertSpentMany(tx: Db, items: { id: string; expiresAt: number }[]): Promise<boolean[]> {
  // In id order: two batches written at once (group commit on PostgreSQL, or two instances) that hold the
  // same stamps then wait for each other in one order, never in a circle (a deadlock would fail both).
  const rows = await tx.insertInto('pow_spent').values(items.map((i) => ({ id: i.id, expires_at: i.expiresAt })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
    .onConflict((oc) => oc.column('id').doNothing()).returning('id').execute();
  const fresh = new Set(rows.map((r) => r.id));
  return items.map((i) => fresh.delete(i.id));
}

export async function deleteExpired(db: Db, now: number): Promise<void> {
  await db.deleteFrom('pow_spent').where('expires_at', '<', now).execute();
}

/** Spent challenges that have not yet expired: the stamps spent within the last challenge lifetime. */
export async function countLive(db: Db, now: number): Promise<number> {
  const row = await db.selectFrom('pow_spent').select((eb) => eb.fn.countAll().as('n')).where('expires_at', '>=', now).executeTakeFirst();
  return toCount(row?.n);
}
