// The app as a plugin-composed Fastify instance. server.ts owns the process;
// tests build this and call app.inject().
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { ready } from '../../shared/src/crypto/index.ts';
import { adminRoutes } from './admin/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { reporterCaseRoutes } from './case/routes.ts';
import type { AppContext, RateLimits } from './context.ts';
import type { Database } from './db/database.ts';
import { todayInLondon } from '../../shared/src/domain/clock.ts';
import { intakeRoutes } from './intake/routes.ts';
import { registerErrorHandling } from './plugins/errors.ts';
import { loggerOptions, type LogOptions } from './plugins/logging.ts';
import { registerRateLimit } from './plugins/ratelimit.ts';
import { registerSecurity } from './plugins/security.ts';
import { registerClient } from './plugins/static.ts';
import { oversightRoutes } from './oversight/routes.ts';
import { retentionRoutes } from './retention/routes.ts';
import { triageRoutes } from './triage/routes.ts';
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
  /** Retention purge timer; 0 = off (tests, or when cron runs `npm run purge`). Default hourly. */
  purgeEveryMs?: number;
}

const MINUTE = 60_000;
// Generous per-client limits: staff reach us through a few shared proxies, so
// one "client" may be a whole building. The global bucket is the real brake.
export const DEFAULT_LIMITS: RateLimits = {
  intake: { max: 600, timeWindow: MINUTE },
  reports: { max: 100, timeWindow: 10 * MINUTE },
  reportsGlobal: { max: 1000, timeWindow: 10 * MINUTE },
  case: { max: 600, timeWindow: MINUTE },
};

export const STAFF_PREFIX = '/api/v1/staff';

export const DEFAULT_CLIENT_DIST = fileURLToPath(new URL('../../client/dist', import.meta.url));

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  await ready(); // reporter auth hashes access keys with libsodium
  const app = Fastify({
    logger: loggerOptions(opts.logger),
    trustProxy: false,
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
    redis = new Redis(opts.redis, { maxRetriesPerRequest: 2, connectTimeout: 2000, enableOfflineQueue: true });
    app.addHook('onClose', async () => { await redis?.quit(); });
  } else {
    redis = opts.redis;
  }

  await registerSecurity(app);
  await registerRateLimit(app, redis, opts.db);
  registerErrorHandling(app);

  const ctx: AppContext = {
    db: opts.db,
    today: opts.today ?? (() => todayInLondon()),
    now: opts.now ?? (() => Date.now()),
    limits: { ...DEFAULT_LIMITS, ...opts.rateLimits },
    ...(opts.messagesPerCaseMax !== undefined ? { messagesPerCaseMax: opts.messagesPerCaseMax } : {}),
  };
  await app.register(intakeRoutes, { ctx });
  await app.register(reporterCaseRoutes, { ctx });
  // Staff features under one prefix; each is its own plugin, so one's guard cannot leak onto another's routes.
  for (const feature of [authRoutes, triageRoutes, oversightRoutes, adminRoutes]) await app.register(feature, { ctx, prefix: STAFF_PREFIX });
  await app.register(retentionRoutes, { ctx, prefix: STAFF_PREFIX, ...(opts.purgeEveryMs !== undefined ? { purgeEveryMs: opts.purgeEveryMs } : {}) });
  await registerClient(app, opts.clientDist === undefined ? DEFAULT_CLIENT_DIST : opts.clientDist ?? undefined);
  return app;
}
