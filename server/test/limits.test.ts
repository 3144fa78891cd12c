// Limits that leak nothing: no x-ratelimit-* headers (only Retry-After on a
// 429), IPv6 clients grouped per /64, and a limiter key derived per day from
// the server secret, so stored keys neither reveal nor link addresses.
import { describe, expect, it } from 'vitest';
import {
  createRecord, DEMO_ORG_LABEL, demoSigningKeyPair, POW_HEADER, sealRecordReport, type CaseToken,
} from '../../shared/src/crypto/index.ts';
import { clientKey, dayKey } from '../src/plugins/ratelimit.ts';
import { dialects } from './databases.ts';
import { makeApp, postReport, recipients, sealFor, stamp, TEST_SECRET } from './helpers.ts';

const noRateHeaders = (headers: Record<string, unknown>) => Object.keys(headers).filter((h) => h.startsWith('x-ratelimit'));

describe('limiter keys', () => {
  const today = dayKey(TEST_SECRET, '2026-01-15');
  it('group IPv6 per /64 and IPv4-mapped addresses with their IPv4 form', () => {
    expect(clientKey(today, '2001:db8:1:2::1')).toBe(clientKey(today, '2001:db8:1:2:ffff:ffff:ffff:fffe'));
    expect(clientKey(today, '2001:db8:1:2::1')).not.toBe(clientKey(today, '2001:db8:1:3::1'));
    expect(clientKey(today, '::ffff:192.0.2.7')).toBe(clientKey(today, '192.0.2.7'));
    expect(clientKey(today, '192.0.2.7')).not.toBe(clientKey(today, '192.0.2.8'));
  });

  it('change every day and with the secret, and never contain the address', () => {
    const key = clientKey(today, '192.0.2.7');
    expect(clientKey(dayKey(TEST_SECRET, '2026-01-16'), '192.0.2.7')).not.toBe(key);
    expect(clientKey(dayKey(new Uint8Array(32).fill(8), '2026-01-15'), '192.0.2.7')).not.toBe(key);
    expect(key).not.toContain('192');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe.each(dialects)('reporter limits on $name', (dialect) => {
  it('send no x-ratelimit-* headers, and Retry-After only on a 429', async () => {
    // Each route has its own bucket per client: two recipient lists, two challenges, two intake reads.
    const t = await makeApp(dialect, { rateLimits: { intake: { max: 2, timeWindow: 60_000 }, reportsGlobal: { max: 1, timeWindow: 60_000 } } });
    try {
      const a = await sealFor(t.app);
      const b = await sealFor(t.app);
      await t.app.inject({ method: 'GET', url: '/api/v1/intake' });
      const ok = await t.app.inject({ method: 'GET', url: '/api/v1/intake' });
      expect(ok.statusCode).toBe(200);
      expect(noRateHeaders(ok.headers)).toEqual([]);
      expect(ok.headers['retry-after']).toBeUndefined();
      const limited = await t.app.inject({ method: 'GET', url: '/api/v1/intake' });
      expect(limited.statusCode).toBe(429);
      expect(noRateHeaders(limited.headers)).toEqual([]);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // The shared reports bucket too (one stamped report allowed, the next refused).
      expect((await postReport(t.app, a.body, { remoteAddress: '198.51.100.1' })).statusCode).toBe(201);
      const brake = await postReport(t.app, b.body, { remoteAddress: '198.51.100.2' });
      expect([brake.statusCode, brake.json().error.code]).toEqual([429, 'rate_limited']);
      expect(noRateHeaders(brake.headers)).toEqual([]);
      expect(Number(brake.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('make a record turned into a report take from the same all-clients brake as a new report', async () => {
    // Both open a case for a team: a flood of conversions must not get round the brake that reports share.
    const t = await makeApp(dialect, { rateLimits: { reportsGlobal: { max: 1, timeWindow: 60_000 } } });
    try {
      const db = t.tdb.handle.db;
      const rec = createRecord();
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/records', payload: rec.body, headers: { [POW_HEADER]: await stamp(t.app) } })).statusCode).toBe(201);
      const { body } = sealRecordReport(
        { mode: 'anonymous', category: 'bullying', unit: 'nw-response-camden', report: { narrative: 'Please look at my record.' } },
        await recipients(t.app, { category: 'bullying', unit: 'nw-response-camden' }), demoSigningKeyPair(DEMO_ORG_LABEL).publicKey,
        rec.session.token as CaseToken, rec.recordKey,
      );
      expect((await postReport(t.app, (await sealFor(t.app)).body, { remoteAddress: '198.51.100.1' })).statusCode).toBe(201);
      const countCases = async () => Number((await db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const cases = await countCases();
      const braked = await t.app.inject({
        method: 'POST', url: '/api/v1/record/report', payload: body, remoteAddress: '198.51.100.2',
        headers: { authorization: rec.session.authorization, [POW_HEADER]: await stamp(t.app) },
      });
      expect([braked.statusCode, braked.json().error.code]).toEqual([429, 'rate_limited']);
      expect(Number(braked.headers['retry-after'])).toBeGreaterThan(0);
      // Nothing changed: no new case, and the record is still the holder's alone.
      expect(await countCases()).toBe(cases);
      const record = await db.selectFrom('records').select(['holder_key', 'access_hash']).where('id', '=', rec.body.id).executeTakeFirstOrThrow();
      expect(record.holder_key).not.toBeNull();
      expect(record.access_hash).not.toBeNull();
    } finally {
      await t.close();
    }
  });

  it('count one IPv6 /64 as one client, and start afresh when the day (hence the key) changes', async () => {
    let today = '2026-01-15';
    const t = await makeApp(dialect, { today: () => today, rateLimits: { intake: { max: 1, timeWindow: 24 * 3600_000 } } });
    try {
      const get = (remoteAddress: string) => t.app.inject({ method: 'GET', url: '/api/v1/intake', remoteAddress });
      expect((await get('2001:db8:5:6::1')).statusCode).toBe(200);
      expect((await get('2001:db8:5:6:a:b:c:d')).statusCode).toBe(429); // same /64
      expect((await get('2001:db8:5:7::1')).statusCode).toBe(200); // next /64
      today = '2026-01-16';
      expect((await get('2001:db8:5:6::1')).statusCode).toBe(200); // a new day's key: a new bucket
    } finally {
      await t.close();
    }
  });
});
