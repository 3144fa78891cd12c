// Failed sign-in attempts, per SHA-256 of the lowercased username whether or
// not the account exists, so a locked-out name says nothing about existence.
// After 5 failures: locked for 1 minute, doubling per further failure, up to 1 hour.
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

export async function checkLock(ctx: AppContext, username: string): Promise<void> {
  const row = await ctx.db.selectFrom('login_attempts').selectAll().where('key', '=', attemptKey(username)).executeTakeFirst();
  const until = Number(row?.locked_until_ms ?? 0);
  const now = ctx.now();
  if (until > now) throw new LockedOut(Math.ceil((until - now) / 1000));
}

/** Counts a failure; returns true when this failure (re)started a lock. */
export async function recordFailure(ctx: AppContext, username: string): Promise<boolean> {
  const key = attemptKey(username);
  return ctx.db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('login_attempts').selectAll().where('key', '=', key).executeTakeFirst();
    const failures = (row?.failures ?? 0) + 1;
    const locked = failures >= MAX_FAILURES;
    const until = locked ? ctx.now() + Math.min(BASE_MS * 2 ** (failures - MAX_FAILURES), CAP_MS) : 0;
    await tx.insertInto('login_attempts').values({ key, failures, locked_until_ms: until })
      .onConflict((oc) => oc.column('key').doUpdateSet({ failures, locked_until_ms: until }))
      .execute();
    return locked;
  });
}

export async function clearFailures(ctx: AppContext, username: string): Promise<void> {
  await ctx.db.deleteFrom('login_attempts').where('key', '=', attemptKey(username)).execute();
}
