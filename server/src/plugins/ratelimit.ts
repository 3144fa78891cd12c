// Rate limits keyed by an HMAC of the client address under a salt kept in the
// settings table: every instance sharing the database (and Redis) derives the
// same key for a client, so per-client limits hold across instances, and the
// limiter store (memory or Redis) never holds an IP address.
//
// When Redis is unreachable, limits fall back to this instance's memory (one
// warning per outage, and a line when Redis is back) instead of failing the
// request: a reporter must be able to submit while Redis is down. The cost is
// that limits are then per instance (N instances admit up to N times the limit).
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { installationSecret } from '../db/secrets.ts';
import { ApiError } from './errors.ts';

export const RATE_LIMIT_SALT_KEY = 'rate_limit_key_salt';
export const RATE_LIMIT_NAMESPACE = 'rc-rl:';

type Result = { current: number; ttl: number };
type Callback = (err: Error | null, res?: Result) => void;
interface Store {
  incr(key: string, cb: Callback, timeWindow: number, max: number): void;
  read?(key: string, cb: Callback, timeWindow: number, max: number): void;
  child(routeOptions: unknown): Store;
}
// The plugin's own two stores (not exported by name, but part of the published package; a test
// covers the fallback), so limits behave the same whichever one answers.
const require = createRequire(import.meta.url);
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (continueExceeding: boolean, exponentialBackoff: boolean) => Store;
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (continueExceeding: boolean, exponentialBackoff: boolean, redis: Redis, key: string) => Store;

/** After a failed command, Redis is left alone this long: a partition (no answer) costs one command timeout, not one per request. */
const RETRY_REDIS_AFTER_MS = 5000;

/** Whether Redis answers, with one log line per change of state rather than one per request. */
class RedisState {
  private degraded = false;
  private skipUntil = 0;
  constructor(private readonly redis: Redis, private readonly log: FastifyBaseLogger) {}
  usable(): boolean {
    if (this.redis.status === 'ready' && Date.now() >= this.skipUntil) return true;
    this.failed();
    return false;
  }
  failed(err?: Error): void {
    if (err) this.skipUntil = Date.now() + RETRY_REDIS_AFTER_MS;
    if (this.degraded) return;
    this.degraded = true;
    // No error text: it names the Redis host.
    this.log.warn({ code: 'redis_unavailable', errCode: (err as { code?: string } | undefined)?.code }, 'Redis unreachable: rate limits fall back to per-instance memory');
  }
  succeeded(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.log.info({ code: 'redis_recovered' }, 'Redis reachable again: rate limits shared across instances');
  }
}

class FallbackStore implements Store {
  constructor(private readonly redis: Store, private readonly local: Store, private readonly state: RedisState) {}
  incr(key: string, cb: Callback, timeWindow: number, max: number): void {
    if (!this.state.usable()) return this.local.incr(key, cb, timeWindow, max);
    this.redis.incr(key, (err, res) => {
      if (err || !res) {
        this.state.failed(err ?? undefined);
        this.local.incr(key, cb, timeWindow, max);
      } else {
        this.state.succeeded();
        cb(null, res);
      }
    }, timeWindow, max);
  }
  child(routeOptions: unknown): Store {
    return new FallbackStore(this.redis.child(routeOptions), this.local.child(routeOptions), this.state);
  }
}

function fallbackStoreFor(redis: Redis, log: FastifyBaseLogger): FastifyRateLimitStoreCtor {
  const state = new RedisState(redis, log);
  return class {
    constructor(o: { continueExceeding: boolean; exponentialBackoff: boolean }) {
      const r = new RedisStore(o.continueExceeding, o.exponentialBackoff, redis, RATE_LIMIT_NAMESPACE);
      const l = new LocalStore(o.continueExceeding, o.exponentialBackoff);
      return new FallbackStore(r, l, state);
    }
  } as unknown as FastifyRateLimitStoreCtor;
}

export async function registerRateLimit(app: FastifyInstance, redis: Redis | undefined, db: Kysely<Database>): Promise<void> {
  const salt = await installationSecret(db, RATE_LIMIT_SALT_KEY);
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (req: FastifyRequest) => createHmac('sha256', salt).update(req.ip).digest('base64url'),
    errorResponseBuilder: () => new ApiError('rate_limited'),
    ...(redis ? { store: fallbackStoreFor(redis, app.log) } : {}),
  });
}
