// Health routes, the proxy trust setting and a busy SQLite file, in process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createDb } from '../src/db/dialect.ts';
import { prepareDemoDatabase } from '../../seeds/prepare.ts';
import { dialects } from './databases.ts';
import { makeApp, postReport, sealFor, TODAY } from './helpers.ts';

describe.each(dialects)('health routes on $name', (dialect) => {
  it('/healthz says alive and /readyz ready, with check names only, uncached', async () => {
    const t = await makeApp(dialect);
    try {
      const live = await t.app.inject({ method: 'GET', url: '/healthz' });
      expect(live.statusCode).toBe(200);
      expect(live.json()).toEqual({ status: 'ok' });
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', redis: 'not_configured' }, mailBacklog: 0 });
      for (const r of [live, ready]) expect(r.headers['cache-control']).toBe('no-store');
    } finally {
      await t.close();
    }
  });

  it('/readyz answers 503 when a migration this code knows has not run', async () => {
    const t = await makeApp(dialect);
    try {
      await t.tdb.handle.db.deleteFrom('kysely_migration' as never).where('name' as never, '=', '003_forget_avoid_own_unit' as never).execute();
      const res = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json()).toEqual({
        error: { code: 'service_unavailable', message: 'The service is unavailable.' },
        checks: { database: 'ok', migrations: 'fail', redis: 'not_configured' },
        mailBacklog: 0,
      });
    } finally {
      await t.close();
    }
  });
});

const sqlite = dialects.find((d) => d.name === 'sqlite')!;

describe('client address behind a reverse proxy', () => {
  const limits = { intake: { max: 1, timeWindow: 60_000 } };
  const get = (app: Awaited<ReturnType<typeof makeApp>>['app'], forwarded: string, remoteAddress = '10.0.0.5') =>
    app.inject({ method: 'GET', url: '/api/v1/intake', remoteAddress, headers: { 'x-forwarded-for': forwarded } });

  it('ignores X-Forwarded-For unless the proxy is configured (anyone can send the header)', async () => {
    const t = await makeApp(sqlite, { rateLimits: limits });
    try {
      expect((await get(t.app, '198.51.100.1')).statusCode).toBe(200);
      expect((await get(t.app, '198.51.100.2')).statusCode).toBe(429); // same socket address, same client
    } finally {
      await t.close();
    }
  });

  it('takes the client from X-Forwarded-For when it comes from a trusted proxy, and only then', async () => {
    const t = await makeApp(sqlite, { rateLimits: limits, trustProxy: ['10.0.0.0/8'] });
    try {
      expect((await get(t.app, '198.51.100.1')).statusCode).toBe(200);
      expect((await get(t.app, '198.51.100.2')).statusCode).toBe(200); // another client behind the same proxy
      expect((await get(t.app, '198.51.100.1')).statusCode).toBe(429);
      // Not from the proxy: the header is ignored and the socket address counts.
      expect((await get(t.app, '198.51.100.3', '203.0.113.7')).statusCode).toBe(200);
      expect((await get(t.app, '198.51.100.4', '203.0.113.7')).statusCode).toBe(429);
    } finally {
      await t.close();
    }
  });
});

describe('a busy SQLite database', () => {
  it('answers 503 + Retry-After after the busy timeout, stores nothing, and works once the lock is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-busy-'));
    const file = join(dir, 'busy.sqlite');
    const handle = createDb(file, { statementTimeoutMs: 200 });
    const other = new SQLite(file, { timeout: 0 });
    try {
      await prepareDemoDatabase(handle, { today: TODAY, demoSignIn: [] });
      const app = await buildApp({ db: handle.db, clientDist: null, today: () => TODAY });
      const sealed = await sealFor(app);
      const before = other.prepare('SELECT count(*) AS n FROM cases').get() as { n: number };
      other.exec('BEGIN EXCLUSIVE'); // e.g. a maintenance tool holding the write lock
      const busy = await postReport(app, sealed.body);
      expect(busy.statusCode).toBe(503);
      expect(busy.json().error.code).toBe('service_unavailable');
      expect(busy.headers['retry-after']).toBe('5');
      // WAL: readers are not blocked by a writer.
      expect((await app.inject({ method: 'GET', url: '/api/v1/intake' })).statusCode).toBe(200);
      other.exec('COMMIT');
      expect((other.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n).toBe(before.n);
      expect((await postReport(app, sealed.body)).statusCode).toBe(201);
      await app.close();
    } finally {
      other.close();
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
