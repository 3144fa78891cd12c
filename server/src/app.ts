// The app as a plugin-composed Fastify instance. server.ts owns the process;
// tests build this and call app.inject().
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { ready } from '../../shared/src/crypto/index.ts';
import { adminRoutes } from './admin/routes.ts';
import { keysAdminRoutes, keysRoutes } from './directory/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { reporterCaseRoutes } from './case/routes.ts';
import { surveyRoutes } from './survey/routes.ts';
import { reporterUploadRoutes, staffUploadRoutes } from './attachments/routes.ts';
import { adviceRoutes } from './advice/routes.ts';
import { supportAdminRoutes, supportRoutes } from './support/routes.ts';
import type { AppContext, RateLimits } from './context.ts';
import type { Database } from './db/database.ts';
import { todayInLondon } from '../../shared/src/domain/clock.ts';
import { healthRoutes } from './health/routes.ts';
import { readinessProbe } from './health/service.ts';
import { intakeRoutes } from './intake/routes.ts';
import { recordRoutes } from './records/routes.ts';
import { registerErrorHandling } from './plugins/errors.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { loggerOptions, requestLogging, type LogOptions } from './plugins/logging.ts';
import { registerRateLimit, sharedBuckets } from './plugins/ratelimit.ts';
import { registerSecurity } from './plugins/security.ts';
import { registerClient } from './plugins/static.ts';
import { oversightRoutes } from './oversight/routes.ts';
import { registerDurability } from './plugins/durability.ts';
import { notificationAdminRoutes, notificationRoutes, startNotificationSender, type NotificationOptions } from './notifications/plugin.ts';
import { retentionRoutes } from './retention/routes.ts';
import { triageRoutes } from './triage/routes.ts';
import { receiptCheckRoutes, receiptKeyRoutes } from './receipts/routes.ts';
import { receiptKeyOf } from '../../shared/src/crypto/receipt.ts';
import { fromB64u } from '../../shared/src/crypto/encoding.ts';
import { powRoutes } from './pow/routes.ts';
import { createPow, DEFAULT_POW, type PowSettings } from './pow/service.ts';
import { dbSpentStore, resilientSpentStore } from './pow/store.ts';
import { deriveKey } from './secret.ts';
import { serverKeys } from './server-keys.ts';
import { sealPlaintextSecrets } from './atrest/service.ts';
import { ensureAuditHead } from './audit/log.ts';
import type { SharedTypeProvider } from './plugins/typebox.ts';

export interface AppOptions {
  /** A migrated, seeded database (see prepareDatabase in setup.ts). */
  db: Kysely<Database>;
  /** false (default) = silent; tests pass a stream to read the lines. */
  logger?: LogOptions | false;
  rateLimits?: Partial<RateLimits>;
  /** Redis URL or client for shared rate-limit state; in-memory when absent. */
  redis?: string | Redis;
  /** Built client directory; null = API only. Defaults to client/dist. */
  clientDist?: string | null;
  /** Today's date, YYYY-MM-DD, Europe/London (tests pin it). */
  today?: () => string;
  /** Clock in ms for staff sessions, TOTP and lockouts (tests move it). */
  now?: () => number;
  messagesPerCaseMax?: number;
  /** Mail delivery for staff notifications; absent = notifications wait in the outbox (tests drive a sender themselves). */
  notifications?: NotificationOptions;
  /**
   * Addresses (IPs or CIDRs) of reverse proxies whose X-Forwarded-For is believed. Empty (default):
   * the socket address is the client, and a forwarded header is ignored (anyone could send one).
   */
  trustProxy?: string[];
  /**
   * The server secret (32+ bytes, kept outside the database; see secret.ts): keys the proof-of-work
   * challenges and the daily rate-limit key. Every instance must share it. When absent, a random one
   * for this process only, which suits a single test instance and nothing else.
   */
  secret?: Uint8Array;
  /** Proof-of-work tuning; tests lower the difficulty. */
  pow?: Partial<PowSettings>;
  /** Public keys of earlier receipt keys (before a rotation of the server secret), still published: RECEIPT_PREVIOUS_KEYS. */
  receiptPreviousKeys?: readonly string[];
  /** Retention purge timer; 0 = off (tests, or when cron runs `npm run purge`). Default hourly. */
  purgeEveryMs?: number;
  /** How often to check whether today's reshuffle (retention/reshuffle.ts) has run; 0 = off (tests, or cron runs `npm run reshuffle`). Default 10 min. */
  reshuffleEveryMs?: number;
}

/**
 * Redis that fails fast: no offline queue (a command while disconnected fails at once instead of
 * waiting), short connect and command timeouts, one retry; it keeps reconnecting in the background.
 */
export const REDIS_OPTIONS = {
  enableOfflineQueue: false,
  connectTimeout: 1000,
  commandTimeout: 500,
  maxRetriesPerRequest: 1,
  retryStrategy: (times: number) => Math.min(times * 200, 2000),
} as const;

/** Waits briefly for the first connection, so a normal start does not begin in fallback mode. */
async function redisReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return;
  await once(redis, 'ready', { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
}

function connectRedis(url: string): Redis {
  const redis = new Redis(url, REDIS_OPTIONS);
  // Without a listener ioredis prints every failed reconnect; the rate limiter logs outages once.
  redis.on('error', () => undefined);
  return redis;
}

const MINUTE = 60_000;
// Generous per-client limits: staff reach us through a few shared proxies, so
// one "client" may be a whole building. The global bucket is the real brake.
export const DEFAULT_LIMITS: RateLimits = {
  intake: { max: 600, timeWindow: MINUTE },
  reports: { max: 100, timeWindow: 10 * MINUTE },
  reportsGlobal: { max: 1000, timeWindow: 10 * MINUTE },
  case: { max: 600, timeWindow: MINUTE },
  // A 25 MiB file is 400 chunks: a reporter sending ten at once must not wait minutes.
  uploads: { max: 3000, timeWindow: MINUTE },
};

export const STAFF_PREFIX = '/api/v1/staff';

export const DEFAULT_CLIENT_DIST = fileURLToPath(new URL('../../client/dist', import.meta.url));

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  await ready(); // reporter auth hashes access keys with libsodium
  const secret = opts.secret ?? randomBytes(32);
  const today = opts.today ?? (() => todayInLondon());
  const now = opts.now ?? (() => Date.now());
  const keys = serverKeys(secret);
  // Before serving: TOTP secrets written in the clear (older releases, demo seeds) are sealed, and a
  // database whose log predates signed heads gets its first one (docs/OPERATIONS.md, Keys).
  await sealPlaintextSecrets(opts.db, keys.box);
  await ensureAuditHead(opts.db, keys.auditSigner, new Date(now()));
  const app = Fastify({
    logger: loggerOptions(opts.logger),
    ...requestLogging(),
    trustProxy: opts.trustProxy && opts.trustProxy.length > 0 ? opts.trustProxy : false,
    requestIdHeader: false,
    bodyLimit: 64 * 1024,
    ajv: {
      // Unknown fields are refused, not silently dropped; bodies are not coerced.
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false },
    },
  }).withTypeProvider<SharedTypeProvider>();

  // Only JSON is accepted; a text/plain body would otherwise reach the schema as a string.
  app.removeContentTypeParser('text/plain');

  let redis: Redis | undefined;
  if (typeof opts.redis === 'string') {
    const own = connectRedis(opts.redis);
    redis = own;
    app.addHook('onClose', async () => {
      if (own.status === 'ready') await own.quit().catch(() => own.disconnect());
      else own.disconnect();
    });
  } else {
    redis = opts.redis;
  }
  if (redis) await redisReady(redis);

  await registerSecurity(app);
  await registerRateLimit(app, redis, { secret, today });
  registerErrorHandling(app);
  registerDurability(app, opts.db);
  await registerOpenApi(app);

  // One warning per process for a Redis outage seen by stamp spending (the limiter warns on its own).
  let warned = false;
  const spentStore = redis
    ? resilientSpentStore(redis, opts.db, () => { if (!warned) { warned = true; app.log.warn({ code: 'pow_store_fallback' }, 'Redis unreachable: proof-of-work stamps spent in the database'); } })
    : dbSpentStore(opts.db);
  const ctx: AppContext = {
    db: opts.db,
    today,
    now,
    limits: { ...DEFAULT_LIMITS, ...opts.rateLimits },
    pow: createPow(deriveKey(secret, 'rc2 pow challenge key'), spentStore, { ...DEFAULT_POW, ...opts.pow }, now),
    sharedBucket: sharedBuckets(redis, app.log),
    serverKeys: keys,
    ...(opts.messagesPerCaseMax !== undefined ? { messagesPerCaseMax: opts.messagesPerCaseMax } : {}),
  };
  await app.register(healthRoutes, { readiness: readinessProbe(opts.db, redis) });
  await app.register(powRoutes, { ctx });
  await app.register(intakeRoutes, { ctx });
  await app.register(reporterCaseRoutes, { ctx });
  await app.register(recordRoutes, { ctx });
  const previous = (opts.receiptPreviousKeys ?? []).map((pk) => receiptKeyOf(fromB64u(pk)));
  await app.register(receiptKeyRoutes, { ctx, previous });
  await app.register(receiptCheckRoutes, { ctx, previous, prefix: STAFF_PREFIX });
  await app.register(surveyRoutes, { ctx });
  await app.register(reporterUploadRoutes, { ctx });
  await app.register(staffUploadRoutes, { ctx, prefix: STAFF_PREFIX });
  await app.register(adviceRoutes, { ctx });
  await app.register(supportRoutes, { ctx });
  await app.register(supportAdminRoutes, { ctx, prefix: STAFF_PREFIX });
  // Staff features under one prefix; each is its own plugin, so one's guard cannot leak onto another's routes.
  for (const feature of [authRoutes, triageRoutes, oversightRoutes, adminRoutes, keysRoutes, keysAdminRoutes]) await app.register(feature, { ctx, prefix: STAFF_PREFIX });
  // Staff notifications (server/src/notifications/): preferences, their administration, and the sender.
  for (const feature of [notificationRoutes, notificationAdminRoutes]) await app.register(feature, { ctx, prefix: STAFF_PREFIX });
  if (opts.notifications) startNotificationSender(app, ctx, opts.notifications);
  await app.register(retentionRoutes, { ctx, prefix: STAFF_PREFIX, ...(opts.purgeEveryMs !== undefined ? { purgeEveryMs: opts.purgeEveryMs } : {}),
    ...(opts.reshuffleEveryMs !== undefined ? { reshuffleEveryMs: opts.reshuffleEveryMs } : {}) });
  await registerClient(app, opts.clientDist === undefined ? DEFAULT_CLIENT_DIST : opts.clientDist ?? undefined);
  return app;
}
