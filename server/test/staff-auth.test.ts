// Staff sign-in: params without enumeration, real Argon2id secrets and TOTP,
// identical failures, replay, lockout, cookie attributes, CSRF, timeouts,
// logout, enrolment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnrolmentSecret } from '../../seeds/demo.ts';
import { secretsOf } from '../../seeds/staff.ts';
import { deriveStaffSecrets, newKdfParams, sealStaffSecretKey } from '../../shared/src/crypto/staff.ts';
import { generateKeyPair, toB64u } from '../../shared/src/crypto/index.ts';
import { totpFor } from '../src/auth/totp.ts';
import { dialects } from './databases.ts';
import { makeApp, type TestApp } from './helpers.ts';
import { call, Clock, codeFor, cookieOf, signIn, type Session } from './staff-helpers.ts';

const U = 'nw-bcu-psu-1';

describe.each(dialects)('staff auth on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: [U], now: clock.now });
    await secretsOf(U);
  }, 60_000);
  afterAll(async () => { await t?.close(); });
  const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url: `/api/v1/staff${url}`, payload });

  it('answers params for unknown users in the same shape and state', async () => {
    const known = (await post('/auth/params', { username: U })).json();
    const unknown = await post('/auth/params', { username: 'nobody-here' });
    expect(unknown.statusCode).toBe(200);
    const u = unknown.json();
    expect(Object.keys(u).sort()).toEqual(Object.keys(known).sort());
    expect(Object.keys(u.kdf).sort()).toEqual(Object.keys(known.kdf).sort());
    expect(u.state).toBe('active');
    expect(u.kdf.salt).toHaveLength(known.kdf.salt.length);
    expect((await post('/auth/params', { username: 'NOBODY-here' })).json()).toEqual(u); // stable, case-insensitive
    expect((await post('/auth/params', { username: 'new-officer' })).json().state).toBe('enrol');
  });

  it('signs in with real secrets and sets the session cookie exactly', async () => {
    clock.advance(30_000);
    const { loginSecret } = await secretsOf(U);
    const res = await post('/auth/login', { username: U, loginSecret, totp: codeFor(U, clock.ms) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.staff.teams).toEqual([{ id: 'nw-bcu-psu', label: expect.any(String), lead: false }]);
    expect(body.keys.encryptedSecretKey.ct).toMatch(/^[A-Za-z0-9_-]+$/);
    const [cookie, device] = res.headers['set-cookie'] as string[];
    expect(cookie).toMatch(/^rc_staff=[A-Za-z0-9_-]{43}; Path=\/api\/v1\/staff; HttpOnly; Secure; SameSite=Strict$/);
    // The device cookie: long-lived, sent to the sign-in routes only, unreadable by scripts.
    expect(device).toMatch(/^rc_device=[A-Za-z0-9_-]{43}; Path=\/api\/v1\/staff\/auth; Max-Age=15552000; HttpOnly; Secure; SameSite=Strict$/);
    expect(body.failedSignIns).toBe(0);
    const session = await t.app.inject({ method: 'GET', url: '/api/v1/staff/auth/session', headers: { cookie: cookieOf(res) } });
    expect(session.json().staff.username).toBe(U);
    // A reused code is refused even with the right login secret, and only its owner is told why.
    const again = await post('/auth/login', { username: U, loginSecret, totp: codeFor(U, clock.ms) });
    expect([again.statusCode, again.json().error.code]).toEqual([401, 'code_used']);
    expect(again.headers['set-cookie']).toBeUndefined();
    const guess = await post('/auth/login', { username: U, loginSecret: toB64u(new Uint8Array(32).fill(9)), totp: codeFor(U, clock.ms) });
    expect([guess.statusCode, guess.json().error.code]).toEqual([401, 'invalid_credentials']);
  });

  it('unlocks a live session after a reload with the passphrase alone, and nothing else', async () => {
    const s = await signIn(t.app, clock, U);
    const { loginSecret } = await secretsOf(U);
    // The reloaded page has only the cookie: the session tells it who, the kdf, and the session's CSRF token.
    const info = await call(t.app, { ...s, csrf: '' }, 'GET', '/auth/session');
    expect(info.statusCode).toBe(200);
    expect(info.json()).toEqual({ staff: s.login.staff, kdf: s.login.keys!.kdf, csrfToken: s.csrf });
    const unlock = (secret: string, session: Session | null = s) => call(t.app, session, 'POST', '/auth/unlock', { loginSecret: secret });
    const ok = await unlock(loginSecret);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ csrfToken: s.csrf, staff: s.login.staff, keys: s.login.keys });
    expect(ok.headers['set-cookie']).toBeUndefined();
    // A wrong passphrase opens nothing and counts against the back-off; no session, no CSRF: refused first.
    const wrong = await unlock(toB64u(new Uint8Array(32).fill(3)));
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([401, 'invalid_credentials']);
    expect(wrong.json().keys).toBeUndefined();
    expect((await unlock(loginSecret, null)).json().error.code).toBe('not_signed_in');
    expect((await unlock(loginSecret, { ...s, csrf: 'x'.repeat(43) })).json().error.code).toBe('csrf_failed');
    for (let i = 0; i < 5; i++) await unlock(toB64u(new Uint8Array(32).fill(3)));
    const locked = await unlock(loginSecret);
    expect([locked.statusCode, locked.json().error.code]).toEqual([429, 'locked_out']);
    clock.advance(61_000);
    expect((await unlock(loginSecret)).statusCode).toBe(200);
    // The session's timeouts still run: after 30 idle minutes there is nothing to unlock.
    clock.advance(31 * 60_000);
    expect((await unlock(loginSecret)).json().error.code).toBe('not_signed_in');
    expect((await call(t.app, s, 'GET', '/auth/session')).statusCode).toBe(401);
  });

  it('answers every wrong part with the same 401', async () => {
    clock.advance(30_000);
    const { loginSecret } = await secretsOf(U);
    const wrongSecret = toB64u(new Uint8Array(32).fill(7));
    const bodies = [
      { username: U, loginSecret: wrongSecret, totp: codeFor(U, clock.ms) },
      { username: U, loginSecret, totp: codeFor(U, clock.ms - 10 * 60_000) },
      { username: 'nobody-here', loginSecret, totp: codeFor(U, clock.ms) },
    ];
    const answers = await Promise.all(bodies.map((b) => post('/auth/login', b)));
    for (const a of answers) {
      expect(a.statusCode).toBe(401);
      expect(a.json()).toEqual(answers[0]!.json());
      expect(a.headers['set-cookie']).toBeUndefined();
    }
    expect(answers[0]!.json().error.code).toBe('invalid_credentials');
    await signIn(t.app, clock, U); // failures below the limit are cleared by a success
  });

  it('locks out after 5 failures with Retry-After, for unknown names too', async () => {
    for (const name of [U, 'ghost-user']) {
      const bad = { username: name, loginSecret: toB64u(new Uint8Array(32)), totp: '000000' };
      for (let i = 0; i < 5; i++) expect((await post('/auth/login', bad)).statusCode).toBe(401);
      const locked = await post('/auth/login', bad);
      expect(locked.statusCode).toBe(429);
      expect(locked.json().error.code).toBe('locked_out');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    }
    clock.advance(61_000);
    await signIn(t.app, clock, U); // the first lock lasts one minute
  });

  it('requires the CSRF header on writes and enforces idle and absolute timeouts', async () => {
    const s = await signIn(t.app, clock, U);
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/staff/auth/logout', headers: { cookie: s.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf_failed');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/staff/auth/logout', headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(43) } });
    expect(wrong.json().error.code).toBe('csrf_failed');
    clock.advance(29 * 60_000);
    expect((await call(t.app, s, 'GET', '/auth/session')).statusCode).toBe(200);
    clock.advance(31 * 60_000);
    const idle = await call(t.app, s, 'GET', '/auth/session');
    expect(idle.statusCode).toBe(401);
    expect(idle.json().error.code).toBe('not_signed_in');
    const s2 = await signIn(t.app, clock, U);
    for (let i = 0; i < 25; i++) {
      clock.advance(29 * 60_000);
      if ((await call(t.app, s2, 'GET', '/auth/session')).statusCode !== 200) break;
    }
    expect((await call(t.app, s2, 'GET', '/auth/session')).statusCode).toBe(401);
  });

  it('logout revokes one session, logout-everywhere all of them', async () => {
    const a = await signIn(t.app, clock, U);
    const b = await signIn(t.app, clock, U);
    const c = await signIn(t.app, clock, U);
    expect((await call(t.app, a, 'POST', '/auth/logout')).statusCode).toBe(204);
    expect((await call(t.app, a, 'GET', '/auth/session')).statusCode).toBe(401);
    expect((await call(t.app, b, 'GET', '/auth/session')).statusCode).toBe(200);
    expect((await call(t.app, b, 'POST', '/auth/logout-everywhere')).statusCode).toBe(204);
    expect((await call(t.app, b, 'GET', '/auth/session')).statusCode).toBe(401);
    expect((await call(t.app, c, 'GET', '/auth/session')).statusCode).toBe(401);
  });

  it('enrols new-officer once, then signs in with the new passphrase', async () => {
    const secret = demoEnrolmentSecret();
    expect((await post('/auth/enrol/start', { username: 'new-officer', enrolmentSecret: 'WRONG-SECRET-1234' })).statusCode).toBe(401);
    const start = await post('/auth/enrol/start', { username: 'new-officer', enrolmentSecret: secret });
    expect(start.statusCode).toBe(200);
    const { totpSecret, otpauthUri } = start.json();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    const kdf = newKdfParams();
    const secrets = await deriveStaffSecrets('a new long passphrase', kdf);
    const kp = generateKeyPair();
    clock.advance(30_000);
    const complete = {
      username: 'new-officer', enrolmentSecret: secret, totp: totpFor(totpSecret).generate({ timestamp: clock.ms }), kdf,
      loginSecret: secrets.loginSecret, publicKey: toB64u(kp.publicKey), encryptedSecretKey: sealStaffSecretKey(secrets.wrappingKey, 'new-officer', kp.secretKey),
    };
    expect((await post('/auth/enrol/complete', { ...complete, kdf: { ...kdf, opslimit: 2 } })).statusCode).toBe(400);
    expect((await post('/auth/enrol/complete', complete)).statusCode).toBe(204);
    // Spent: neither start nor complete works again.
    expect((await post('/auth/enrol/start', { username: 'new-officer', enrolmentSecret: secret })).statusCode).toBe(401);
    expect((await post('/auth/enrol/complete', complete)).statusCode).toBe(401);
    expect((await post('/auth/params', { username: 'new-officer' })).json()).toEqual({ kdf, state: 'active' });
    clock.advance(30_000);
    const login = await post('/auth/login', { username: 'new-officer', loginSecret: secrets.loginSecret, totp: totpFor(totpSecret).generate({ timestamp: clock.ms }) });
    expect(login.statusCode).toBe(200);
    expect(login.json().keys.publicKey).toBe(toB64u(kp.publicKey));
  });

  it('keeps reporter routes cookie-free even with a staff session', async () => {
    const s = await signIn(t.app, clock, U);
    for (const url of ['/api/v1/intake', '/api/v1/case']) {
      const r = await t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
      expect(r.headers['set-cookie']).toBeUndefined();
    }
  });
});
