// The per-name back-off holds under parallel guessing: each attempt is
// counted atomically before it is checked, on both dialects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from './databases.ts';
import { makeApp, type TestApp } from './helpers.ts';
import { Clock } from './staff-helpers.ts';

describe.each(dialects)('lockout under parallel attempts on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  beforeAll(async () => { t = await makeApp(dialect, { now: clock.now }); });
  afterAll(async () => { await t?.close(); });
  const statuses = async (url: string, payload: object, n = 40) => {
    const res = await Promise.all(Array.from({ length: n }, () => t.app.inject({ method: 'POST', url: `/api/v1/staff/auth/${url}`, payload })));
    const codes: Record<number, number> = {};
    for (const r of res) codes[r.statusCode] = (codes[r.statusCode] ?? 0) + 1;
    return codes;
  };

  it('answers at most 5 of 40 parallel bad logins with 401, the rest 429', async () => {
    const bad = { username: 'nw-bcu-psu-1', loginSecret: 'A'.repeat(43), totp: '123456' };
    const codes = await statuses('login', bad);
    expect(codes[401] ?? 0).toBeLessThanOrEqual(5);
    expect((codes[401] ?? 0) + (codes[429] ?? 0)).toBe(40);
    const rows = await t.tdb.handle.db.selectFrom('login_attempts').selectAll().execute();
    expect(rows.map((r) => r.failures)).toEqual([5]);
    // When the lock ends, one more try is checked (and fails): the next lock is two minutes.
    clock.advance(61_000);
    const after = await statuses('login', bad, 10);
    expect(after).toEqual({ 401: 1, 429: 9 });
    clock.advance(61_000);
    expect(await statuses('login', bad, 1)).toEqual({ 429: 1 });
    clock.advance(60_000);
    expect(await statuses('login', bad, 1)).toEqual({ 401: 1 });
  });

  it('does the same for enrolment secrets', async () => {
    const codes = await statuses('enrol/start', { username: 'new-officer', enrolmentSecret: 'AAAA-BBBB-CCCC-DDDD-EEEE' });
    expect(codes[401] ?? 0).toBeLessThanOrEqual(5);
    expect((codes[401] ?? 0) + (codes[429] ?? 0)).toBe(40);
  });
});
