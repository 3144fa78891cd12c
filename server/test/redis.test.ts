// Shared rate-limit state in Redis: two app instances share one bucket (the
// key salt lives in the shared database), and the keys Redis holds are salted
// hashes, never the client address.
import { createConnection } from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { requireService } from '../../shared/test/ci.ts';
import { buildApp } from '../src/app.ts';
import { RATE_LIMIT_SALT_KEY } from '../src/plugins/ratelimit.ts';
import { dialects } from './databases.ts';
import { makeApp } from './helpers.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const reachable = requireService('Redis', await new Promise<boolean>((resolve) => {
  const u = new URL(REDIS_URL);
  const s = createConnection({ host: u.hostname, port: Number(u.port || 6379) });
  s.setTimeout(1000);
  s.once('connect', () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
  s.once('timeout', () => { s.destroy(); resolve(false); });
}), `not reachable at ${REDIS_URL}`);

describe.each(dialects)('rate-limit key salt on $name', (dialect) => {
  it('is one secret in the settings table, made once and kept across instances', async () => {
    const t = await makeApp(dialect);
    try {
      const read = () => t.tdb.handle.db.selectFrom('settings').select('value').where('key', '=', RATE_LIMIT_SALT_KEY).execute();
      const first = await read();
      expect(first).toHaveLength(1);
      expect(Buffer.from(first[0]!.value, 'base64url')).toHaveLength(32);
      const other = await buildApp({ db: t.tdb.handle.db, clientDist: null });
      await other.close();
      expect(await read()).toEqual(first);
    } finally {
      await t.close();
    }
  });
});

describe.runIf(reachable).each(dialects)('rate limits in Redis on $name', (dialect) => {
  it('limits with Redis state shared by instances and stores no address', async () => {
    const redis = new Redis(REDIS_URL);
    const limits = { intake: { max: 1, timeWindow: 60_000 } };
    const t = await makeApp(dialect, { redis, rateLimits: limits });
    const address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    try {
      const get = (app = t.app, remoteAddress = address) => app.inject({ method: 'GET', url: '/api/v1/intake', remoteAddress });
      expect((await get()).statusCode).toBe(200);
      const limited = await get();
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('rate_limited');
      const keys = await redis.keys('rc-rl:*');
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) expect(k).not.toContain(address);
      // A second instance on the same database derives the same key: the client is still limited there.
      const other = await buildApp({ db: t.tdb.handle.db, clientDist: null, redis, rateLimits: limits });
      try {
        expect((await get(other)).statusCode).toBe(429);
        expect((await get(other, '203.0.113.9')).statusCode).toBe(200);
      } finally {
        await other.close();
      }
    } finally {
      await t.close();
      await redis.quit();
    }
  });
});
