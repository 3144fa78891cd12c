// A staff session's seen time, for the idle timeout. It lives in staff_session_seen (migration 022),
// not in staff_sessions: the session cache (session-cache.ts) keeps every session's row under a token
// over staff_sessions, and a seen time moving there about once a minute per active session made every
// other session read its row again. The kept row's seen_ms is therefore old (the session's start), and
// a session's seen time is the latest of:
// - the kept row's seen_ms (the start; or an older release's touch, which moves the row's token);
// - what this instance knows: the seen times it wrote itself or read below (per handle, bounded);
// - only when those two make it look idle: a fresh read of the database, since another instance may
//   have kept the session alive meanwhile. Only then is the session ended.
// Each is a time a request really came, so the timeout is never laxer than IDLE_MS; and nothing is
// ended without asking the database first, so no instance ends a session another one kept alive.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import * as repo from './repository.ts';
import { SESSIONS_KEPT } from './session-cache.ts';

const known = new WeakMap<Kysely<Database>, Map<string, number>>();
let reads = 0;

/** Fresh reads of a session's seen time so far in this process (tests: a live session reads none). */
export const seenReads = (): number => reads;

function knownOf(db: Kysely<Database>): Map<string, number> {
  let m = known.get(db);
  if (!m) known.set(db, (m = new Map()));
  return m;
}

function note(db: Kysely<Database>, idHash: string, ms: number): void {
  const m = knownOf(db);
  const had = m.get(idHash);
  // Map keeps insertion order: re-inserting marks it most recently used; the least recently used goes first.
  m.delete(idHash);
  m.set(idHash, Math.max(ms, had ?? ms));
  if (m.size > SESSIONS_KEPT) m.delete(m.keys().next().value as string);
}

/**
 * When the session was last seen, or undefined when it has been idle for more than `idleMs` (confirmed
 * by a fresh read) or no longer exists. `rowSeen`: the (possibly kept) session row's seen_ms.
 */
export async function lastSeen(db: Kysely<Database>, idHash: string, rowSeen: number, now: number, idleMs: number): Promise<number | undefined> {
  const seen = Math.max(rowSeen, knownOf(db).get(idHash) ?? rowSeen);
  if (now - seen <= idleMs) return seen;
  reads++;
  const fresh = await repo.sessionSeen(db, idHash);
  if (fresh === undefined || now - fresh > idleMs) return undefined;
  // Kept, so this instance's next requests need not ask again until this too is old.
  note(db, idHash, fresh);
  return Math.max(seen, fresh);
}

/** Moves the session's seen time to `now`, in the database and in what this instance knows. */
export async function touch(db: Kysely<Database>, idHash: string, now: number): Promise<void> {
  await repo.touchSession(db, idHash, now);
  note(db, idHash, now);
}

/** The session ended here: nothing more to know about it. */
export function forget(db: Kysely<Database>, idHash: string): void {
  known.get(db)?.delete(idHash);
}
