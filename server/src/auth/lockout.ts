// Failed sign-in attempts, per SHA-256 of the lowercased username (whether or
// not the account exists, so a locked-out name says nothing about existence)
// and device: browsers holding the account's device cookie (device.ts) each
// count apart from all others, so strangers cannot lock the owner out.
// After 5 failures: locked for 1 minute, doubling per further failure, up to 1 hour.
//
// Each attempt is counted *before* the credentials are checked, in one atomic
// upsert that also starts the lock when it reaches the limit; a success then
// clears the count. Parallel attempts therefore cannot all slip past a
// "not locked yet" read (they each get their own number, and the ones after
// the limit find the lock already set).
import type { AppContext } from '../context.ts';
import { ApiError } from '../plugins/errors.ts';
import { clearAttempts, countAttemptRow, lockedUntil } from './repository.ts';
import { normaliseUsername, sha256Hex } from './secrets.ts';

export const MAX_FAILURES = 5;
const BASE_MS = 60_000;
const CAP_MS = 60 * 60_000;

/**
 * One count per (username, device): `device` is the nonce of a valid device cookie for this name, or
 * null for every browser without one. The owner's browser therefore keeps its own count.
 */
export const attemptKey = (username: string, device: string | null = null): string =>
  sha256Hex(`rc1 login ${normaliseUsername(username)}${device ? ` device ${device}` : ''}`);

export class LockedOut extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super('locked_out');
    this.headers['retry-after'] = String(retryAfterSeconds);
  }
}

/** Lock length once `failures` attempts have been counted (0 below the limit). */
export const lockMs = (failures: number): number =>
  failures < MAX_FAILURES ? 0 : Math.min(BASE_MS * 2 ** (failures - MAX_FAILURES), CAP_MS);

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
export async function countAttempt(ctx: AppContext, username: string, device: string | null = null): Promise<Attempt> {
  const key = attemptKey(username, device);
  const now = ctx.now();
  const row = await countAttemptRow(ctx.db, key, now, { maxFailures: MAX_FAILURES, capMs: CAP_MS, lockMs });
  if (!row) throw new LockedOut(Math.max(1, Math.ceil((await lockedUntil(ctx.db, key) - now) / 1000)));
  return { failures: Number(row.failures), locks: Number(row.locked_until_ms) > now };
}

export async function clearFailures(ctx: AppContext, username: string, device: string | null = null): Promise<void> {
  await clearAttempts(ctx.db, attemptKey(username, device));
}
