// Staff sessions: server-side rows keyed by SHA-256 of a random cookie value,
// a CSRF token per session, idle and absolute timeouts, and the one guard
// (onRequest) each staff route subtree installs (STYLE.md).
import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { StaffRole } from '../../../shared/src/api/staff.ts';
import type { Kysely, Transaction } from 'kysely';
import { auditIn } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/database.ts';
import { ApiError } from '../plugins/errors.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import * as repo from './repository.ts';
import type { Principal } from './repository.ts';
import { sessionState } from './session-cache.ts';
import { forget, lastSeen, touch } from './session-seen.ts';
import { sameHex, sha256Hex } from './secrets.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const COOKIE = 'rc_staff';
export const COOKIE_PATH = '/api/v1/staff';
export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 12 * 60 * 60_000;
// Writing the seen time on every request would turn each read into a write; a minute's slack is harmless.
const TOUCH_AFTER_MS = 60_000;
const COOKIE_SHAPE = /^[A-Za-z0-9_-]{43}$/;

declare module 'fastify' {
  interface FastifyRequest {
    staff?: Principal;
    staffSession?: string;
  }
}

export function cookieValue(req: FastifyRequest): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return undefined;
}

/** `also`: further Set-Cookie values for the same response (the device cookie at sign-in). */
export function setSessionCookie(reply: FastifyReply, value: string, also: string[] = []): void {
  // No Max-Age: the browser forgets it on close; the server enforces both timeouts anyway.
  const session = `${COOKIE}=${value}; Path=${COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict`;
  reply.header('set-cookie', also.length > 0 ? [session, ...also] : session);
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.header('set-cookie', `${COOKIE}=; Path=${COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict; Max-Age=0`);
}

/**
 * The session's CSRF token is derived from the cookie value with a server key, not stored: a page
 * reloaded within a live session can be handed the same token again when it unlocks, so other tabs
 * of the same session keep working. The row keeps only its hash, as before.
 */
export const csrfTokenFor = (csrfKey: Buffer, cookie: string): string =>
  createHmac('sha256', csrfKey).update(`rc1 csrf ${cookie}`).digest('base64url');

/** `db`: the sign-in's transaction, so the session commits with its audit entry. */
export async function createSession(ctx: AppContext, csrfKey: Buffer, staffId: string, db: Db = ctx.db): Promise<{ cookie: string; csrfToken: string }> {
  const cookie = randomBytes(32).toString('base64url');
  const csrfToken = csrfTokenFor(csrfKey, cookie);
  await repo.insertSession(db, { idHash: sha256Hex(cookie), staffId, csrfHash: sha256Hex(csrfToken), now: ctx.now() });
  return { cookie, csrfToken };
}

export async function revokeSession(ctx: AppContext, idHash: string): Promise<void> {
  forget(ctx.db, idHash);
  await repo.deleteSession(ctx.db, idHash);
}

/** Signing out (one session, or all of the account's) and its audit entry, in one transaction. */
export async function signOut(ctx: AppContext, p: Principal, which: { session: string } | 'everywhere'): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    if (which === 'everywhere') await repo.deleteSessionsOf(tx, p.id);
    else {
      forget(ctx.db, which.session);
      await repo.deleteSession(tx, which.session);
    }
    await auditIn(ctx, tx, { actor: p.id, action: which === 'everywhere' ? 'auth.logout_everywhere' : 'auth.logout', detail: {} });
  });
}

export interface LiveSession {
  principal: Principal;
  idHash: string;
  cookie: string;
  csrfHash: string;
}

/** The live session behind the cookie (timeouts enforced, seen time moved), or 401 not_signed_in. No CSRF check. */
export async function liveSession(ctx: AppContext, req: FastifyRequest): Promise<LiveSession> {
  const cookie = cookieValue(req);
  if (!cookie || !COOKIE_SHAPE.test(cookie)) throw new ApiError('not_signed_in');
  const idHash = sha256Hex(cookie);
  // Kept between requests while nothing it read has changed (session-cache.ts); the timeouts are checked here every time.
  const state = await sessionState(ctx.db, idHash);
  if (!state) throw new ApiError('not_signed_in');
  const { row, principal } = state;
  const now = ctx.now();
  // The kept row's seen_ms is the session's start: later seen times are kept apart (session-seen.ts),
  // and one that looks idle is asked of the database before the session is ended.
  const expired = now - Number(row.created_ms) > ABSOLUTE_MS;
  const seen = expired ? undefined : await lastSeen(ctx.db, idHash, Number(row.seen_ms), now, IDLE_MS);
  if (seen === undefined) {
    await revokeSession(ctx, idHash);
    throw new ApiError('not_signed_in');
  }
  if (!principal) throw new ApiError('not_signed_in');
  if (now - seen > TOUCH_AFTER_MS) {
    // Best effort: a database that takes no writes for a moment (SQLite's nightly rebuild, db/vacuum.ts)
    // must not turn a read into a 503. The next request moves the seen time instead.
    await touch(ctx.db, idHash, now).catch((err: unknown) => { if (!isDatabaseUnavailable(err)) throw err; });
  }
  return { principal, idHash, cookie, csrfHash: row.csrf_hash };
}

/** Loads the session and its principal onto the request; 401 not_signed_in when there is none or it expired. */
export async function authenticate(ctx: AppContext, req: FastifyRequest): Promise<Principal> {
  const s = await liveSession(ctx, req);
  // Same-site cookies already stop most cross-site posts; the header proves the page itself sent it.
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const header = req.headers['x-csrf-token'];
    if (typeof header !== 'string' || !sameHex(sha256Hex(header), s.csrfHash)) throw new ApiError('csrf_failed');
  }
  req.staff = s.principal;
  req.staffSession = s.idHash;
  return s.principal;
}

/** The guard for a route subtree (onRequest, so a signed-out caller learns nothing from validation): signed in, CSRF on writes, one of `roles`. */
export function requireRole(ctx: AppContext, roles: readonly StaffRole[]): onRequestAsyncHookHandler {
  return async (req) => {
    const p = await authenticate(ctx, req);
    if (!roles.includes(p.role)) throw new ApiError('forbidden');
  };
}

/** The principal set by the guard; a route without one is a wiring bug. */
export function principal(req: FastifyRequest): Principal {
  if (!req.staff) throw new Error('staff route without a guard');
  return req.staff;
}
