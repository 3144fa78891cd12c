// Shared state in Redis: two app instances (same server secret) share the
// rate-limit buckets and the spent-stamp store; the keys Redis holds are
// keyed hashes, never a client address, and the global bucket has a real name.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { POW_HEADER } from '../../shared/src/crypto/index.ts';
import { buildApp } from '../src/app.ts';
import { dialects } from './databases.ts';
import { makeApp, postReport, sealFor, stamp, TEST_POW, TEST_SECRET, TODAY } from './helpers.ts';
import { REDIS_URL, redisUp } from './support/redis.ts';


describe.each(dialects)('rate-limit key on $name', (dialect) => {
  it('is not in the database: no salt row in settings', async () => {
    const t = await makeApp(dialect);
    try {
      await t.app.inject({ method: 'GET', url: '/api/v1/intake' });
      const rows = await t.tdb.handle.db.selectFrom('settings').select('key').execute();
      expect(rows.map((r) => r.key).filter((k) => /rate|limit/.test(k))).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe.runIf(redisUp).each(dialects)('Redis on $name', (dialect) => {
  it('limits with state shared by instances, stores no address, names the global bucket', async () => {
    const redis = new Redis(REDIS_URL);
    const limits = { intake: { max: 1, timeWindow: 60_000 } };
    // A fresh secret per run: earlier runs' buckets in the same Redis (same day) cannot interfere.
    const secret = randomBytes(32);
    const t = await makeApp(dialect, { redis, rateLimits: limits, secret });
    const address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    try {
      const get = (app = t.app, remoteAddress = address) => app.inject({ method: 'GET', url: '/api/v1/intake', remoteAddress });
      expect((await get()).statusCode).toBe(200);
      const limited = await get();
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('rate_limited');
      // A second instance with the same server secret derives the same key: the client is still limited there.
      const other = await buildApp({ db: t.tdb.handle.db, clientDist: null, redis, rateLimits: limits, secret, pow: TEST_POW, today: () => TODAY });
      try {
        expect((await get(other)).statusCode).toBe(429);
        expect((await get(other, '203.0.113.9')).statusCode).toBe(200);
      } finally {
        await other.close();
      }
      // A report counts in the shared bucket under its own name.
      expect((await postReport(t.app, (await sealFor(t.app)).body, { remoteAddress: '203.0.113.77' })).statusCode).toBe(201);
      const keys = await redis.keys('rc-rl:*');
      expect(keys).toContain('rc-rl:shared:reports');
      for (const k of keys) {
        expect(k).not.toContain(address);
        expect(k).not.toContain('undefined');
      }
    } finally {
      await t.close();
      await redis.quit();
    }
  });

  it('spends a stamp once across instances', async () => {
    const redis = new Redis(REDIS_URL);
    const t = await makeApp(dialect, { redis });
    const other = await buildApp({ db: t.tdb.handle.db, clientDist: null, redis, secret: TEST_SECRET, pow: TEST_POW });
    try {
      const header = await stamp(t.app);
      const a = await sealFor(t.app);
      const b = await sealFor(t.app);
      const send = (app: typeof other, body: unknown) => app.inject({ method: 'POST', url: '/api/v1/reports', payload: body as object, headers: { [POW_HEADER]: header } });
      expect((await send(t.app, a.body)).statusCode).toBe(201);
      const replay = await send(other, b.body);
      expect([replay.statusCode, replay.json().error.code]).toEqual([403, 'pow_replayed']);
      // Spent in Redis, so the database holds no spent row.
      expect(await t.tdb.handle.db.selectFrom('pow_spent').selectAll().execute()).toEqual([]);
    } finally {
      await other.close();
      await t.close();
      await redis.quit();
    }
  });
});
