// Malformed input answers 400 on both dialects (PostgreSQL used to answer 500
// for a NUL byte in text or an out-of-range id in the inbox cursor).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from './databases.ts';
import { makeApp, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

const cursor = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

describe.each(dialects)('staff input checks on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  const s: Record<string, Session> = {};
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: ['nw-bcu-psu-1', 'admin-demo'], now: clock.now });
    for (const u of ['nw-bcu-psu-1', 'admin-demo']) s[u] = await signIn(t.app, clock, u);
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  it('refuses a malformed inbox cursor with 400', async () => {
    const bad = [
      cursor(['2026-01-01', '2026-01-01', 1e20]), cursor(['2026-01-01', '2026-01-01', 2 ** 31]), cursor(['2026-01-01', '2026-01-01', 0]),
      cursor(['\u0000', '2026-01-01', 1]), cursor(['2026-01-01', 'b', 1]), cursor(['a', 'b', 1]), cursor([1, 2, 3]), 'AAAA',
      cursor(['2026-01-01', '2026-01-01', 1.5]), cursor(['2026-01-01', '2026-01-01', 1, 4]),
    ];
    for (const c of bad) {
      const res = await call(t.app, s['nw-bcu-psu-1']!, 'GET', `/cases?cursor=${c}`);
      expect([c, res.statusCode, res.json().error?.code]).toEqual([c, 400, 'invalid_request']);
    }
    const good = await call(t.app, s['nw-bcu-psu-1']!, 'GET', `/cases?cursor=${cursor(['2026-01-01', '2026-01-01', 2 ** 31 - 1])}`);
    expect(good.statusCode).toBe(200);
  });

  it('refuses NUL and other control characters in free-text staff fields', async () => {
    const account = (displayName: string, username: string) =>
      call(t.app, s['admin-demo']!, 'POST', '/admin/accounts', { username, displayName, role: 'triage', teams: [] });
    for (const name of ['a\u0000b', 'tab\there', 'bell\u0007', 'new\nline', 'del\u007f']) {
      const res = await account(name, 'ctl-test');
      expect([name, res.statusCode, res.json().error.code]).toEqual([name, 400, 'invalid_request']);
    }
    expect((await account('Zoë O’Brien-Ng', 'ctl-test')).statusCode).toBe(201);
    const enrol = await t.app.inject({
      method: 'POST', url: '/api/v1/staff/auth/enrol/start', payload: { username: 'ctl-test', enrolmentSecret: 'AAAA\u0000BBBB-CCCC' },
    });
    expect(enrol.statusCode).toBe(400);
  });
  it('takes no body or {} on read and logout routes, and refuses any other body', async () => {
    const u = s['nw-bcu-psu-1']!;
    const ref = (await call(t.app, u, 'GET', '/cases')).json().cases[0].caseRef as string;
    const junk = { anything: 'x'.repeat(100) };
    for (const url of [`/cases/${ref}/read`, '/auth/logout', '/auth/logout-everywhere']) {
      expect([url, (await call(t.app, null, 'POST', url, junk)).statusCode]).toEqual([url, 401]);
      const noCsrf = await t.app.inject({ method: 'POST', url: `/api/v1/staff${url}`, headers: { cookie: u.cookie }, payload: junk });
      expect([url, noCsrf.statusCode]).toEqual([url, 403]);
      const res = await call(t.app, u, 'POST', url, junk);
      expect([url, res.statusCode, res.json().error.code]).toEqual([url, 400, 'invalid_request']);
      expect([url, (await call(t.app, u, 'POST', url, [])).statusCode]).toEqual([url, 400]);
    }
    expect((await call(t.app, u, 'POST', `/cases/${ref}/read`, {})).statusCode).toBe(204);
    expect((await call(t.app, u, 'POST', `/cases/${ref}/read`)).statusCode).toBe(204);
    const a = await signIn(t.app, clock, 'nw-bcu-psu-1');
    expect((await call(t.app, a, 'POST', '/auth/logout', {})).statusCode).toBe(204);
    const b = await signIn(t.app, clock, 'nw-bcu-psu-1');
    expect((await call(t.app, b, 'POST', '/auth/logout')).statusCode).toBe(204);
    const c = await signIn(t.app, clock, 'nw-bcu-psu-1');
    expect((await call(t.app, c, 'POST', '/auth/logout-everywhere')).statusCode).toBe(204);
    expect((await call(t.app, u, 'GET', '/cases')).statusCode).toBe(401);
  });
});
