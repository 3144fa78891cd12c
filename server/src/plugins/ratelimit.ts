// Rate limits keyed by an HMAC of the client's network: IPv4 addresses as
// they are, IPv6 grouped per /64 (one home or phone gets a whole /64, so a
// per-address limit would be no limit). The HMAC key is derived from the
// server secret (outside the database) and changes every day, so a limiter key
// in Redis or memory cannot be mapped back to an address, even with a copy of
// the database, and keys of different days cannot be linked.
//
// Reporter responses carry no x-ratelimit-* headers (they would tell an
// observer how many requests came before); a 429 carries Retry-After only.
import { createHmac } from 'node:crypto';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import RedisStore from '@fastify/rate-limit/store/RedisStore.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { RouteLimit } from '../context.ts';
import { deriveKey } from '../secret.ts';
import { ApiError } from './errors.ts';

export const IPV6_PREFIX = 64;
export const NAMESPACE = 'rc-rl:';

/** The day's address key: HMAC(HMAC(secret, label), day). */
export const dayKey = (secret: Uint8Array, day: string): Buffer =>
  createHmac('sha256', deriveKey(secret, 'rc2 client address key')).update(day).digest();

/** What the limiter stores for a client on `day`: never the address itself. */
export const clientKey = (key: Uint8Array, ip: string): string =>
  createHmac('sha256', key).update(normalizeIP(ip, IPV6_PREFIX)).digest('base64url');

export interface RateLimitOptions {
  secret: Uint8Array;
  /** Today's date, YYYY-MM-DD, Europe/London: the key changes with it. */
  today: () => string;
}

export async function registerRateLimit(app: FastifyInstance, redis: Redis | undefined, opts: RateLimitOptions): Promise<void> {
  let current: { day: string; key: Buffer } | undefined;
  const keyFor = (day: string): Buffer => {
    if (current?.day !== day) current = { day, key: dayKey(opts.secret, day) };
    return current.key;
  };
  const none = { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false } as const;
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (req: FastifyRequest) => clientKey(keyFor(opts.today()), req.ip),
    addHeaders: { ...none, 'retry-after': true },
    addHeadersOnExceeding: none,
    errorResponseBuilder: () => new ApiError('rate_limited'),
    ...(redis ? { redis, nameSpace: NAMESPACE } : {}),
  });
}

interface StoreResult { current: number; ttl: number }
interface Store { incr(key: string, cb: (err: Error | null, res: StoreResult) => void, timeWindow: number, max: number): void }

/**
 * One bucket shared by every client (e.g. all report submissions). Built on
 * the plugin's own stores with an explicit key: `createRateLimit` builds its
 * Redis key from route information it does not have (`undefinedundefined-`).
 * Call `take()` only for requests that should count; it throws rate_limited
 * with Retry-After when the bucket is empty.
 */
export function sharedBucket(redis: Redis | undefined, name: string, limit: RouteLimit): { take(): Promise<void> } {
  const store: Store = redis ? new RedisStore(false, false, redis, `${NAMESPACE}shared:`) : new LocalStore(false, false, 16);
  return {
    async take() {
      const res = await new Promise<StoreResult>((resolve, reject) => {
        store.incr(name, (err, r) => (err ? reject(err) : resolve(r)), limit.timeWindow, limit.max);
      });
      if (res.current > limit.max) {
        const err = new ApiError('rate_limited');
        err.headers['retry-after'] = String(Math.max(1, Math.ceil(res.ttl / 1000)));
        throw err;
      }
    },
  };
}
