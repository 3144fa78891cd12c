// Staff sessions: server-side rows keyed by SHA-256 of a random cookie value,
// a CSRF token per session, idle and absolute timeouts, and the one guard
// (preHandler) each staff route subtree installs (STYLE.md).
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { StaffRole } from '../../../shared/src/api/staff.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../plugins/errors.ts';
import { principalOf, sameHex, sha256Hex, type Principal } from './accounts.ts';

export const COOKIE = 'rc_staff';
export const COOKIE_PATH = '/api/v1/staff';
export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 12 * 60 * 60_000;
// Writing seen_ms on every request would turn each read into a write; a minute's slack is harmless.
const TOUCH_AFTER_MS = 60_000;

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

export function setSessionCookie(reply: FastifyReply, value: string): void {
  // No Max-Age: the browser forgets it on close; the server enforces both timeouts anyway.
  reply.header('set-cookie', `${COOKIE}=${value}; Path=${COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict`);
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.header('set-cookie', `${COOKIE}=; Path=${COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict; Max-Age=0`);
}

export async function createSession(ctx: AppContext, staffId: string): Promise<{ cookie: string; csrfToken: string }> {
  const cookie = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const now = ctx.now();
  await ctx.db.insertInto('staff_sessions').values({
    id_hash: sha256Hex(cookie), staff_id: staffId, csrf_hash: sha256Hex(csrfToken), created_ms: now, seen_ms: now,
  }).execute();
  return { cookie, csrfToken };
}

export async function revokeSession(ctx: AppContext, idHash: string): Promise<void> {
  await ctx.db.deleteFrom('staff_sessions').where('id_hash', '=', idHash).execute();
}

export async function revokeAllSessions(ctx: AppContext, staffId: string): Promise<void> {
  await ctx.db.deleteFrom('staff_sessions').where('staff_id', '=', staffId).execute();
}

/** Loads the session and its principal onto the request; 401 not_signed_in when there is none or it expired. */
export async function authenticate(ctx: AppContext, req: FastifyRequest): Promise<Principal> {
  const value = cookieValue(req);
  if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) throw new ApiError('not_signed_in');
  const idHash = sha256Hex(value);
  const row = await ctx.db.selectFrom('staff_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  if (!row) throw new ApiError('not_signed_in');
  const now = ctx.now();
  const created = Number(row.created_ms);
  const seen = Number(row.seen_ms);
  if (now - seen > IDLE_MS || now - created > ABSOLUTE_MS) {
    await revokeSession(ctx, idHash);
    throw new ApiError('not_signed_in');
  }
  const principal = await principalOf(ctx.db, row.staff_id);
  if (!principal) throw new ApiError('not_signed_in');
  // Same-site cookies already stop most cross-site posts; the header proves the page itself sent it.
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const header = req.headers['x-csrf-token'];
    if (typeof header !== 'string' || !sameHex(sha256Hex(header), row.csrf_hash)) throw new ApiError('csrf_failed');
  }
  if (now - seen > TOUCH_AFTER_MS) await ctx.db.updateTable('staff_sessions').set({ seen_ms: now }).where('id_hash', '=', idHash).execute();
  req.staff = principal;
  req.staffSession = idHash;
  return principal;
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
