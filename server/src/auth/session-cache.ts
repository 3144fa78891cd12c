// Every staff request checks its session: the session row, the account and its
// teams (three round trips on PostgreSQL, ~1.4 ms; 160 us on SQLite) for data
// that changes a few times a day. The row and the principal are kept per
// session (keyed by the id hash, never the cookie) under a change token
// (db/data-version.ts) over every table they read, taken BEFORE reading: any
// write to those tables (a sign-out, a deactivation, a team change; through
// this handle or any other connection) makes the next request read them again.
// The seen time is NOT among them (session-seen.ts): it moves about once a
// minute per active session, and each move would make every other session
// read again. The caller still applies the idle and absolute timeouts on every
// request, against its own clock.
import type { Kysely } from 'kysely';
import { changeToken } from '../db/data-version.ts';
import type { Database, StaffSessionRow } from '../db/database.ts';
import { findSession, principalOf, type Principal } from './repository.ts';

/** Every table findSession and principalOf read. */
export const SESSION_TABLES = ['staff_sessions', 'staff', 'team_members', 'teams'] as const;
/** Sessions kept per database handle, least recently used out first. */
export const SESSIONS_KEPT = 5000;

export interface SessionState {
  row: StaffSessionRow;
  /** undefined: the account is unknown or deactivated. */
  principal: Principal | undefined;
}

interface Entry extends SessionState { token: string }

const caches = new WeakMap<Kysely<Database>, Map<string, Entry>>();
let reads = 0;

/** Session reads from the database so far in this process (tests: a kept session reads nothing). */
export const sessionReads = (): number => reads;

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** The session row behind `idHash` and its principal, kept or read afresh; undefined when there is no such session. */
export async function sessionState(db: Kysely<Database>, idHash: string): Promise<SessionState | undefined> {
  const token = await changeToken(db, SESSION_TABLES);
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(idHash);
  if (token !== null && hit?.token === token) {
    // Map keeps insertion order: re-inserting marks it most recently used.
    cache.delete(idHash);
    cache.set(idHash, hit);
    return hit;
  }
  reads++;
  cache.delete(idHash);
  const row = await findSession(db, idHash);
  if (!row) return undefined;
  const principal = await principalOf(db, row.staff_id);
  // Shared by the requests that follow: frozen so that no caller can change what the next one sees.
  const state: Entry = deepFreeze({ token: token ?? '', row, principal });
  // Only a live account's session is kept; a null token means results may not be reused.
  if (token !== null && principal) {
    cache.set(idHash, state);
    if (cache.size > SESSIONS_KEPT) cache.delete(cache.keys().next().value as string);
  }
  return state;
}
