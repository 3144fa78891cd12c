// Shared rate-limit state in Redis: two app instances share one bucket, and
// the keys Redis holds are salted hashes, never the client address.
import { createConnection } from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { dialects } from './databases.ts';
import { makeApp } from './helpers.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const reachable = await new Promise<boolean>((resolve) => {
  const u = new URL(REDIS_URL);
  const s = createConnection({ host: u.hostname, port: Number(u.port || 6379) });
  s.setTimeout(1000);
  s.once('connect', () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
  s.once('timeout', () => { s.destroy(); resolve(false); });
});

describe.skipIf(!reachable)('rate limits in Redis', () => {
  it('limits with Redis state and stores no address', async () => {
    const redis = new Redis(REDIS_URL);
    const limits = { intake: { max: 1, timeWindow: 60_000 } };
    const t = await makeApp(dialects[0]!, { redis, rateLimits: limits });
    try {
      const get = () => t.app.inject({ method: 'GET', url: '/api/v1/intake', remoteAddress: '198.51.100.23' });
      expect((await get()).statusCode).toBe(200);
      const limited = await get();
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('rate_limited');
      const keys = await redis.keys('rc-rl:*');
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) expect(k).not.toContain('198.51.100.23');
      // A second instance (its own salt, as after a restart) starts a fresh bucket but uses the same store.
      const other = await buildApp({ db: t.tdb.handle.db, clientDist: null, redis, rateLimits: limits });
      expect((await other.inject({ method: 'GET', url: '/api/v1/intake' })).statusCode).toBe(200);
      await other.close();
    } finally {
      await t.close();
      await redis.quit();
    }
  });
});
