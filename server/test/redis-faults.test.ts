// Redis going away under a real server process (a TCP proxy in front of the
// shared Redis, cut and restored; the shared Redis itself is never stopped).
// Chosen behaviour: rate limits fall back to the instance's memory, with one
// warning per outage, so reporter routes keep answering (within 2 s, never 500)
// and /readyz reports Redis as failing; when Redis is back the limits are
// shared again without a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toB64u } from '../../shared/src/crypto/index.ts';
import { demoRecoveryKeyPair } from '../../seeds/demo.ts';
import { prepareDemoDatabase } from '../../seeds/prepare.ts';
import { createDb } from '../src/db/dialect.ts';
import { startTcpProxy, type Cut, type TcpProxy } from './support/tcp-proxy.ts';
import { postJson, sealedReport, spawnServer, stampFrom, timed, type Spawned, type Timed } from './support/spawn.ts';
import { REDIS_URL, redisUp } from './support/redis.ts';

const target = new URL(REDIS_URL);

const count = (lines: string[], code: string): number => lines.filter((l) => l.includes(`"code":"${code}"`)).length;

describe.runIf(redisUp).each<Cut>(['refuse', 'hang'])('Redis cut off (%s)', (mode) => {
  let dir: string;
  let proxy: TcpProxy;
  let server: Spawned;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rc-redis-faults-'));
    const file = join(dir, 'portal.sqlite');
    const handle = createDb(file);
    await prepareDemoDatabase(handle, { demoSignIn: [] });
    await handle.close();
    proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
    server = await spawnServer({ DATABASE_URL: file, REDIS_URL: proxy.url(REDIS_URL), RECOVERY_PUBLIC_KEY: toB64u(demoRecoveryKeyPair().publicKey) });
  });
  afterAll(async () => { await server?.stop(); await proxy?.close(); if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('keeps reporter routes answering within 2 s on per-instance limits, warns once, and goes back to Redis', async () => {
    const base = server.url;
    const reporterRequests = (): Promise<Timed>[] => [
      timed(`${base}/api/v1/intake`),
      timed(`${base}/api/v1/intake/recipients?category=bullying&unit=nw-response-camden`),
    ];
    for (const r of await Promise.all(reporterRequests())) expect(r.status).toBe(200);
    expect((await timed(`${base}/readyz`)).status).toBe(200);
    expect(count(server.lines, 'redis_unavailable')).toBe(0);

    await proxy.cut(mode);
    for (let round = 0; round < 4; round++) {
      for (const r of await Promise.all(reporterRequests())) {
        expect(r.status).toBe(200);
        expect(r.ms).toBeLessThan(2000);
      }
    }
    // A genuine report still goes through: its stamp is spent in the database while Redis is away.
    const t0 = performance.now();
    const stamp = await stampFrom(base);
    const sent = await postJson(`${base}/api/v1/reports`, await sealedReport(base), stamp);
    expect(sent.status).toBe(201);
    expect(performance.now() - t0).toBeLessThan(4000);
    // …and once: the same stamp again is refused.
    expect((await postJson(`${base}/api/v1/reports`, await sealedReport(base), stamp)).status).toBe(403);
    // Polled: the line comes through the child's stdout pipe, which may lag the answer.
    await expect.poll(() => count(server.lines, 'pow_store_fallback'), { timeout: 5000 }).toBe(1);
    const ready = await timed(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect((ready.body as { checks: { redis: string } }).checks.redis).toBe('fail');
    await expect.poll(() => count(server.lines, 'redis_unavailable'), { timeout: 5000 }).toBe(1);
    expect(server.alive()).toBe(true);

    await proxy.restore();
    // Redis is tried again at most 5 s after the last failure.
    for (let i = 0; i < 40 && count(server.lines, 'redis_recovered') === 0; i++) {
      for (const r of await Promise.all(reporterRequests())) expect(r.status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(count(server.lines, 'redis_recovered')).toBe(1);
    expect((await timed(`${base}/readyz`)).status).toBe(200);
    await expect.poll(() => count(server.lines, 'redis_unavailable'), { timeout: 5000 }).toBe(1);
    // The warning says what happened without the Redis address.
    expect(server.lines.join('\n')).not.toContain(`:${proxy.port}`);
  });
});
