// Rate limits keyed by an HMAC of the client's network: IPv4 addresses as
// they are, IPv6 grouped per /64 (one home or phone gets a whole /64, so a
// per-address limit would be no limit). The HMAC key is derived from the
// server secret (outside the database) and changes every day, so a limiter key
// in Redis or memory cannot be mapped back to an address, even with a copy of
// the database, and keys of different days cannot be linked.
//
// Reporter responses carry no x-ratelimit-* headers (they would tell an
// observer how many requests came before); a 429 carries Retry-After only.
//
// When Redis is unreachable, limits fall back to this instance's memory (one
// warning per outage, and a line when Redis is back) instead of failing the
// request: a reporter must be able to submit while Redis is down. The cost is
// that limits are then per instance (N instances admit up to N times the limit).
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import rateLimit, { normalizeIP, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { RouteLimit } from '../context.ts';
import { deriveKey } from '../secret.ts';
import { ApiError } from './errors.ts';

export const IPV6_PREFIX = 64;
export const NAMESPACE = 'rc-rl:';

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
  constructor(private readonly redis: Redis, private readonly log: Pick<FastifyBaseLogger, 'warn' | 'info'>) {}
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

/** One state per Redis client, so the per-client limits and the shared buckets warn once between them. */
const states = new WeakMap<Redis, RedisState>();
function stateOf(redis: Redis, log: Pick<FastifyBaseLogger, 'warn' | 'info'>): RedisState {
  let state = states.get(redis);
  if (!state) states.set(redis, (state = new RedisState(redis, log)));
  return state;
}

function fallbackStoreFor(redis: Redis, log: FastifyBaseLogger): FastifyRateLimitStoreCtor {
  const state = stateOf(redis, log);
  return class {
    constructor(o: { continueExceeding: boolean; exponentialBackoff: boolean }) {
      const r = new RedisStore(o.continueExceeding, o.exponentialBackoff, redis, NAMESPACE);
      const l = new LocalStore(o.continueExceeding, o.exponentialBackoff);
      return new FallbackStore(r, l, state);
    }
  } as unknown as FastifyRateLimitStoreCtor;
}

/** The day's address key: HMAC(HMAC(secret, label), day). */
export const dayKey = (secret: Uint8Array, day: string): Buffer =>
  createHmac('sha256', deriveKey(secret, 'rc2 client address key')).update(day).digest();

/** What the limiter stores for a client on `day`: never the address itself. */
export const clientKey = (key: Uint8Array, ip: string): string =>
  createHmac('sha256', key).update(normalizeIP(ip, IPV6_PREFIX)).digest('base64url');

/** Client keys kept per day before the memo starts over (a clear, not an LRU: cheap and rare). */
const CLIENTS_KEPT = 10_000;

export interface RateLimitOptions {
  secret: Uint8Array;
  /** Today's date, YYYY-MM-DD, Europe/London: the key changes with it. */
  today: () => string;
}

export async function registerRateLimit(app: FastifyInstance, redis: Redis | undefined, opts: RateLimitOptions): Promise<void> {
  // The day's key, and the clients already keyed under it: a poll repeats the same address many
  // times, and its HMAC (with the IPv6 /64 parsing) was about 5% of a status check's CPU. Held in
  // memory only, for the day at most (dropped with the day's key), bounded; never stored or logged.
  let current: { day: string; key: Buffer; seen: Map<string, string> } | undefined;
  const keyOf = (ip: string): string => {
    const day = opts.today();
    if (current?.day !== day) current = { day, key: dayKey(opts.secret, day), seen: new Map() };
    let k = current.seen.get(ip);
    if (k === undefined) {
      k = clientKey(current.key, ip);
      if (current.seen.size >= CLIENTS_KEPT) current.seen.clear();
      current.seen.set(ip, k);
    }
    return k;
  };
  const none = { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false } as const;
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (req: FastifyRequest) => keyOf(req.ip),
    addHeaders: { ...none, 'retry-after': true },
    addHeadersOnExceeding: none,
    errorResponseBuilder: () => new ApiError('rate_limited'),
    ...(redis ? { store: fallbackStoreFor(redis, app.log) } : {}),
  });
}


/**
 * The app's shared buckets, one per name: without Redis each bucket is an in-memory store, so building one per
 * route would give reports, advice requests and record conversions separate brakes instead of one shared one.
 */
export function sharedBuckets(redis: Redis | undefined, log?: FastifyBaseLogger): (name: string, limit: RouteLimit) => { take(): Promise<void> } {
  const buckets = new Map<string, { take(): Promise<void> }>();
  return (name, limit) => {
    let bucket = buckets.get(name);
    if (!bucket) buckets.set(name, (bucket = sharedBucket(redis, name, limit, log)));
    return bucket;
  };
}

/**
 * One bucket shared by every client (e.g. all report submissions). Built on
 * the plugin's own stores with an explicit key: `createRateLimit` builds its
 * Redis key from route information it does not have (`undefinedundefined-`).
 * Call `take()` only for requests that should count; it throws rate_limited
 * with Retry-After when the bucket is empty.
 */
export function sharedBucket(redis: Redis | undefined, name: string, limit: RouteLimit, log?: FastifyBaseLogger): { take(): Promise<void> } {
  const local = new LocalStore(false, false);
  // While Redis is down the shared bucket, like every limit, is kept per instance (see above).
  const store: Store = redis ? new FallbackStore(new RedisStore(false, false, redis, `${NAMESPACE}shared:`), local, stateOf(redis, log ?? console)) : local;
  return {
    async take() {
      const res = await new Promise<Result>((resolve, reject) => {
        store.incr(name, (err, r) => (err || !r ? reject(err ?? new Error('no result')) : resolve(r)), limit.timeWindow, limit.max);
      });
      if (res.current > limit.max) {
        const err = new ApiError('rate_limited');
        err.headers['retry-after'] = String(Math.max(1, Math.ceil(res.ttl / 1000)));
        throw err;
      }
    },
  };
}
