// Failed sign-in attempts, per SHA-256 of the lowercased username whether or
// not the account exists, so a locked-out name says nothing about existence.
// After 5 failures: locked for 1 minute, doubling per further failure, up to 1 hour.
//
// Each attempt is counted *before* the credentials are checked, in one atomic
// upsert that also starts the lock when it reaches the limit; a success then
// clears the count. Parallel attempts therefore cannot all slip past a
// "not locked yet" read (they each get their own number, and the ones after
// the limit find the lock already set).
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { ApiError } from '../plugins/errors.ts';
import { normaliseUsername, sha256Hex } from './accounts.ts';

export const MAX_FAILURES = 5;
const BASE_MS = 60_000;
const CAP_MS = 60 * 60_000;

export const attemptKey = (username: string): string => sha256Hex(`rc1 login ${normaliseUsername(username)}`);

export class LockedOut extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super('locked_out');
    this.headers['retry-after'] = String(retryAfterSeconds);
  }
}

/** Lock length once `failures` attempts have been counted (0 below the limit). */
export const lockMs = (failures: number): number =>
  failures < MAX_FAILURES ? 0 : Math.min(BASE_MS * 2 ** (failures - MAX_FAILURES), CAP_MS);

/** `now + lockMs(n)` for n = failures + 1, as SQL over the stored row (integers only, no pow() needed in SQLite). */
function lockUntilSql(now: number) {
  const n = sql.ref('login_attempts.failures');
  const cases: ReturnType<typeof sql>[] = [];
  for (let k = MAX_FAILURES; lockMs(k) < CAP_MS; k++) cases.push(sql`WHEN ${n} + 1 = ${sql.lit(k)} THEN ${sql.lit(now + lockMs(k))}`);
  return sql<number>`CASE WHEN ${n} + 1 < ${sql.lit(MAX_FAILURES)} THEN 0 ${sql.join(cases, sql` `)} ELSE ${sql.lit(now + CAP_MS)} END`;
}

export interface Attempt {
  /** This attempt's number since the last success. */
  failures: number;
  /** True when counting this attempt started a lock (it is still checked; a success clears it). */
  locks: boolean;
}

/**
 * Counts an attempt before it is checked. While a lock runs the row is left alone (not counted)
 * and the attempt is refused with 429 + Retry-After.
 */
export async function countAttempt(ctx: AppContext, username: string): Promise<Attempt> {
  const key = attemptKey(username);
  const now = ctx.now();
  const row = await ctx.db.insertInto('login_attempts')
    .values({ key, failures: 1, locked_until_ms: lockMs(1) > 0 ? now + lockMs(1) : 0 })
    .onConflict((oc) => oc.column('key')
      .doUpdateSet({ failures: sql`login_attempts.failures + 1`, locked_until_ms: lockUntilSql(now) })
      .where('login_attempts.locked_until_ms', '<=', now))
    .returning(['failures', 'locked_until_ms'])
    .executeTakeFirst();
  if (!row) {
    const held = await ctx.db.selectFrom('login_attempts').select('locked_until_ms').where('key', '=', key).executeTakeFirst();
    throw new LockedOut(Math.max(1, Math.ceil((Number(held?.locked_until_ms ?? 0) - now) / 1000)));
  }
  return { failures: Number(row.failures), locks: Number(row.locked_until_ms) > now };
}

export async function clearFailures(ctx: AppContext, username: string): Promise<void> {
  await ctx.db.deleteFrom('login_attempts').where('key', '=', attemptKey(username)).execute();
}
