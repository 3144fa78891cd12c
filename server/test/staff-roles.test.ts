// Every staff route × role: allowed (anything but 401/403) or forbidden
// (403), and signed out always 401. Bodies are minimal on purpose: an allowed
// role may get a 400 or 409 from validation, which still proves the guard let it in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from './databases.ts';
import { makeApp, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

const ROLES = { triage: 'nw-bcu-psu-1', lead: 'nw-bcu-psu-lead', oversight: 'oversight-demo', admin: 'admin-demo' } as const;
type Role = keyof typeof ROLES;
const REF = 'RC-0000-0000';
const CASE: Role[] = ['triage', 'lead'];

const ROUTES: { method: 'GET' | 'POST'; url: string; body?: object; allowed: Role[] }[] = [
  { method: 'GET', url: '/cases', allowed: CASE },
  { method: 'GET', url: `/cases/${REF}`, allowed: CASE },
  { method: 'POST', url: `/cases/${REF}/conflict`, body: { knowsPeople: false }, allowed: CASE },
  { method: 'POST', url: `/cases/${REF}/internal-key`, body: { wraps: [] }, allowed: CASE },
  { method: 'POST', url: `/cases/${REF}/status`, body: { status: 'acknowledged' }, allowed: CASE },
  { method: 'POST', url: `/cases/${REF}/messages`, body: {}, allowed: CASE },
  { method: 'POST', url: `/cases/${REF}/read`, body: {}, allowed: CASE },
  { method: 'POST', url: `/cases/${REF}/notes`, body: {}, allowed: CASE },
  { method: 'POST', url: `/cases/${REF}/assign`, body: {}, allowed: CASE },
  { method: 'POST', url: `/cases/${REF}/refer`, body: {}, allowed: CASE },
  { method: 'POST', url: `/cases/${REF}/referral/confirm`, body: {}, allowed: CASE },
  { method: 'POST', url: `/cases/${REF}/referral/reject`, body: { reason: 'case_key' }, allowed: CASE },
  { method: 'POST', url: `/cases/${REF}/referral/dismiss`, body: {}, allowed: CASE },
  { method: 'GET', url: '/referrals', allowed: CASE },
  { method: 'GET', url: '/teams', allowed: CASE },
  { method: 'GET', url: '/teams/dps-central/members', allowed: CASE },
  { method: 'GET', url: '/oversight/stats', allowed: ['oversight'] },
  { method: 'GET', url: '/admin/accounts', allowed: ['admin'] },
  { method: 'POST', url: '/admin/accounts', body: {}, allowed: ['admin'] },
  { method: 'POST', url: '/admin/accounts/nobody/reset', body: {}, allowed: ['admin'] },
  { method: 'GET', url: '/admin/accounts/nobody', allowed: ['admin'] },
  { method: 'POST', url: '/admin/accounts/nobody', body: {}, allowed: ['admin'] },
  { method: 'POST', url: '/admin/accounts/nobody/deactivate', body: {}, allowed: ['admin'] },
  { method: 'POST', url: '/admin/accounts/nobody/reactivate', body: {}, allowed: ['admin'] },
  { method: 'GET', url: '/admin/structure', allowed: ['admin'] },
  { method: 'GET', url: '/admin/retention', allowed: ['admin'] },
  { method: 'POST', url: '/admin/retention', body: {}, allowed: ['admin'] },
  { method: 'GET', url: '/admin/retention/preview?key=withdrawn&months=12', allowed: ['admin'] },
  { method: 'GET', url: '/auth/session', allowed: ['triage', 'lead', 'oversight', 'admin'] },
];

describe.each(dialects)('staff roles on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  const s = {} as Record<Role, Session>;
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: Object.values(ROLES), now: clock.now });
    for (const [role, u] of Object.entries(ROLES)) s[role as Role] = await signIn(t.app, clock, u);
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  it.each(ROUTES)('$method $url', async (r) => {
    const out = await call(t.app, null, r.method, r.url, r.body);
    expect(out.statusCode, 'signed out').toBe(401);
    expect(out.json().error.code).toBe('not_signed_in');
    for (const role of Object.keys(ROLES) as Role[]) {
      const res = await call(t.app, s[role], r.method, r.url, r.body);
      if (r.allowed.includes(role)) {
        // Unknown ref is 403 for case roles too; the case routes below prove access with a real case.
        if (!r.url.includes(REF)) expect([401, 403], `${role} allowed`).not.toContain(res.statusCode);
      } else {
        expect(res.statusCode, `${role} forbidden`).toBe(403);
        expect(res.json().error.code).toBe('forbidden');
      }
    }
  });

  it('gives oversight counts with small numbers suppressed, and no case data', async () => {
    const res = await call(t.app, s.oversight, 'GET', '/oversight/stats');
    const body = res.json();
    // Ended months only: of the three demo cases, the one received in December (40 days before 15 January).
    expect(body.period).toEqual({ through: '2025-12-31' });
    expect(body.total).toBe('<5');
    expect(body.byCategory.find((c: { id: string }) => c.id === 'bullying').count).toBe('<5');
    // bullying is the lone small cell, so the zeros are shown as "<5" alike (secondary suppression).
    expect(body.byCategory.find((c: { id: string }) => c.id === 'corruption').count).toBe('<5');
    expect(body.byCategory.find((c: { id: string }) => c.id === 'discrimination').count).toBe('<5');
    expect(res.body).not.toMatch(/RC-|sealed|nonce|"ct"/);
  });

  it('lets admin create and reset accounts, with the secret shown once and stored hashed', async () => {
    const created = await call(t.app, s.admin, 'POST', '/admin/accounts', {
      username: 'cs-officer-9', displayName: 'New CS officer', role: 'triage', teams: [{ id: 'cs-bcu-psu', seesIdentity: false, lead: false }],
    });
    expect(created.statusCode).toBe(201);
    const { id, enrolmentSecret } = created.json();
    const dump = JSON.stringify(await t.tdb.handle.db.selectFrom('staff').selectAll().execute());
    expect(dump).not.toContain(enrolmentSecret);
    expect((await call(t.app, s.admin, 'POST', '/admin/accounts', {
      username: 'cs-officer-9', displayName: 'x', role: 'triage', teams: [],
    })).json().error.code).toBe('username_taken');
    const { accounts } = (await call(t.app, s.admin, 'GET', '/admin/accounts?q=cs-officer')).json();
    expect(accounts.find((a: { id: string }) => a.id === id)).toMatchObject({ state: 'enrol', teams: [{ id: 'cs-bcu-psu' }] });
    const reset = await call(t.app, s.admin, 'POST', `/admin/accounts/${ROLES.lead}/reset`, {});
    expect(reset.statusCode).toBe(200);
    expect(reset.json().enrolmentSecret).not.toBe(enrolmentSecret);
    expect((await call(t.app, s.lead, 'GET', '/auth/session')).statusCode).toBe(401);
    expect(JSON.stringify(accounts)).not.toMatch(/sealed|public_?key|login/i);
  });
});
