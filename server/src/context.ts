// What routes need from the app, passed explicitly instead of decorating the instance.
import type { Kysely } from 'kysely';
import type { Database } from './db/database.ts';
import type { Pow } from './pow/service.ts';
import type { ServerKeys } from './server-keys.ts';

export interface RouteLimit {
  max: number;
  /** Milliseconds. */
  timeWindow: number;
}

export interface RateLimits {
  /** GET /intake and /intake/recipients, per (hashed) client address. */
  intake: RouteLimit;
  /** POST /reports per (hashed) client address. */
  reports: RouteLimit;
  /** POST /reports across all clients: staff share a few proxies, so per-address limits alone do not brake a flood. */
  reportsGlobal: RouteLimit;
  /** GET /case and POST /case/messages per (hashed) client address. */
  case: RouteLimit;
  /** Upload steps (start, chunk, status, complete) and chunk downloads, per (hashed) client address. */
  uploads: RouteLimit;
}

export interface AppContext {
  db: Kysely<Database>;
  today: () => string;
  /** Milliseconds since the epoch: staff sessions, TOTP and lockouts (tests move it). */
  now: () => number;
  limits: RateLimits;
  /** Proof-of-work challenges and stamps for anonymous writes. */
  pow: Pow;
  /** Keys derived from the server secret (never stored): sealing TOTP secrets, signing the audit head, sign-in keys. */
  serverKeys: ServerKeys;
  /** A bucket shared by all clients (in Redis when configured), e.g. every report submission. */
  sharedBucket(name: string, limit: RouteLimit): { take(): Promise<void> };
  messagesPerCaseMax?: number;
}
