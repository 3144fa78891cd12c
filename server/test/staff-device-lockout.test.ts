// A stranger's failed sign-ins cannot lock the owner out: the owner's browser
// holds a device cookie and keeps its own count. The owner is then told how
// many failed attempts there were. Names stay unenumerable.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretsOf } from '../../seeds/staff.ts';
import { dialects } from './databases.ts';
import { makeApp, type TestApp } from './helpers.ts';
import { Clock, codeFor } from './staff-helpers.ts';

const OWNER = 'nw-bcu-psu-1';
const WRONG = Buffer.alloc(32, 5).toString('base64url');

const deviceOf = (res: LightMyRequestResponse): string | undefined => {
  const raw = res.headers['set-cookie'];
  const all = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return all.find((c) => c.startsWith('rc_device='))?.split(';')[0];
};

describe.each(dialects)('sign-in back-off per device on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  beforeAll(async () => { t = await makeApp(dialect, { signIn: [OWNER], now: clock.now }); }, 60_000);
  afterAll(async () => { await t?.close(); });

  const login = (loginSecret: string, cookie?: string, username = OWNER) => t.app.inject({
    method: 'POST', url: '/api/v1/staff/auth/login',
    payload: { username, loginSecret, totp: codeFor(OWNER, clock.ms) },
    ...(cookie ? { headers: { cookie } } : {}),
  });

  it('lets the owner in after 100 failures from another browser, and tells them', async () => {
    const { loginSecret } = await secretsOf(OWNER);
    clock.advance(30_000);
    const first = await login(loginSecret);
    expect(first.statusCode).toBe(200);
    const device = deviceOf(first);
    expect(device).toMatch(/^rc_device=[A-Za-z0-9_-]{43}$/);

    // A stranger without the owner's device cookie: 100 wrong passphrases, in bursts.
    const answers: number[] = [];
    for (let i = 0; i < 100; i++) answers.push((await login(WRONG)).statusCode);
    expect(answers.filter((c) => c === 401)).toHaveLength(5);
    expect(answers.filter((c) => c === 429)).toHaveLength(95);
    // A forged or someone else's device cookie is no device at all: still locked.
    expect((await login(WRONG, `rc_device=${'A'.repeat(43)}`)).statusCode).toBe(429);

    clock.advance(30_000);
    const owner = await login(loginSecret, device);
    expect(owner.statusCode).toBe(200);
    // Only the attempts that were checked (not those refused while locked) failed on the account.
    expect(owner.json().failedSignIns).toBe(5);
    expect(deviceOf(owner)).toBeUndefined(); // the browser already has one
    // The stranger is still held back (the lock runs a minute from the fifth failure).
    expect((await login(WRONG)).statusCode).toBe(429);
    // Told once: the next sign-in reports none.
    clock.advance(30_000);
    expect((await login(loginSecret, device)).json().failedSignIns).toBe(0);
  });

  it('keeps the owner\'s own count: their mistakes lock their browser, not others', async () => {
    const { loginSecret } = await secretsOf(OWNER);
    clock.advance(60 * 60_000);
    clock.advance(30_000);
    const device = deviceOf(await login(loginSecret, undefined)) ?? '';
    // The first sign-in above cleared the anonymous count; the owner's own browser now counts apart.
    for (let i = 0; i < 5; i++) expect((await login(WRONG, device)).statusCode).toBe(401);
    expect((await login(loginSecret, device)).statusCode).toBe(429);
  });

  it('answers unknown names exactly as known ones, with or without a device cookie', async () => {
    clock.advance(2 * 60 * 60_000);
    const known = await login(WRONG, undefined, 'nw-bcu-psu-2');
    const unknown = await login(WRONG, undefined, 'nobody-at-all');
    const unknownWithCookie = await login(WRONG, `rc_device=${'B'.repeat(43)}`, 'nobody-else');
    for (const r of [known, unknown, unknownWithCookie]) {
      expect(r.statusCode).toBe(401);
      expect(r.json()).toEqual(known.json());
      expect(r.headers['set-cookie']).toBeUndefined();
    }
  });
});
