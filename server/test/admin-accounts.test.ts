// Account administration on both dialects: deactivation (no sign-in, no
// session, no enrolment, no new wraps; reactivation gives everything back),
// edits with their audit entries (ids and codes, never the name typed), the
// display-name rule, self-protection and the searchable account list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretsOf } from '../../seeds/staff.ts';
import { demoEnrolmentSecret } from '../../seeds/demo.ts';
import { auditEntries } from '../src/audit/log.ts';
import { dialects } from './databases.ts';
import { makeApp, staffRecipients, type TestApp } from './helpers.ts';
import { call, Clock, codeFor, signIn, type Session } from './staff-helpers.ts';

const ADMIN = 'admin-demo';
const OFFICER = 'nw-bcu-psu-2';
const NAMED = 'nw-bcu-psu-1';
const LEAD = 'nw-bcu-psu-lead';
const CAMDEN = { category: 'bullying', unit: 'nw-response-camden' };
const BIDI = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C', '\u200B', '\uFEFF'];

describe.each(dialects)('account administration on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  let admin: Session;
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: [ADMIN, OFFICER, NAMED, LEAD], now: clock.now });
    admin = await signIn(t.app, clock, ADMIN);
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  const db = () => t.tdb.handle.db;
  /** A sign-in attempt with the account's own passphrase (or another account's) and a fresh code. */
  async function login(username: string, secretsFrom = username) {
    clock.advance(30_000);
    const { loginSecret } = await secretsOf(secretsFrom);
    return t.app.inject({ method: 'POST', url: '/api/v1/staff/auth/login', payload: { username, loginSecret, totp: codeFor(username, clock.ms) } });
  }
  const wrapsOf = async (id: string) => ({
    caseKeys: (await db().selectFrom('case_keys').select('case_id').where('recipient_id', '=', id).where('kind', '=', 'staff').execute()).length,
    identity: (await db().selectFrom('case_keys').select('case_id').where('recipient_id', '=', id).where('identity', '=', 1).execute()).length,
  });
  const account = async (id: string) => (await call(t.app, admin, 'GET', `/admin/accounts/${id}`)).json();

  it('deactivates: sessions end, sign-in refused (401 without the passphrase, 403 with it), no new wraps; reactivation restores all', async () => {
    const officer = await signIn(t.app, clock, OFFICER);
    expect((await staffRecipients(t, CAMDEN)).recipients.map((r) => r.id)).toContain(OFFICER);
    const before = await wrapsOf(OFFICER);
    expect(before.caseKeys).toBeGreaterThan(0);

    const res = await call(t.app, admin, 'POST', `/admin/accounts/${OFFICER}/deactivate`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: OFFICER, state: 'active', deactivatedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });

    expect((await call(t.app, officer, 'GET', '/auth/session')).statusCode).toBe(401);
    expect((await call(t.app, officer, 'GET', '/cases')).statusCode).toBe(401);
    const unlock = await t.app.inject({
      method: 'POST', url: '/api/v1/staff/auth/unlock', headers: { cookie: officer.cookie }, payload: { loginSecret: (await secretsOf(OFFICER)).loginSecret },
    });
    expect(unlock.statusCode).toBe(401);
    expect(await db().selectFrom('staff_sessions').select('id_hash').where('staff_id', '=', OFFICER).execute()).toEqual([]);

    // Without the passphrase: exactly what a wrong passphrase on an active account gets.
    const guessed = await login(OFFICER, NAMED);
    const guessedActive = await login(LEAD, NAMED);
    expect([guessed.statusCode, guessed.json()]).toEqual([guessedActive.statusCode, guessedActive.json()]);
    expect(guessed.json().error.code).toBe('invalid_credentials');
    const owner = await login(OFFICER);
    expect([owner.statusCode, owner.json().error.code]).toEqual([403, 'account_inactive']);
    expect(owner.headers['set-cookie']).toBeUndefined();

    expect((await staffRecipients(t, CAMDEN)).recipients.map((r) => r.id)).not.toContain(OFFICER);
    const lead = await signIn(t.app, clock, LEAD);
    const members = (await call(t.app, lead, 'GET', '/teams/nw-bcu-psu/members')).json() as { id: string }[];
    expect(members.map((m) => m.id)).not.toContain(OFFICER);
    expect(await wrapsOf(OFFICER)).toEqual(before);

    const listed = (await call(t.app, admin, 'GET', '/admin/accounts?state=deactivated')).json();
    expect(listed.accounts.map((a: { id: string }) => a.id)).toEqual([OFFICER]);

    const again = await call(t.app, admin, 'POST', `/admin/accounts/${OFFICER}/reactivate`, {});
    expect(again.json()).toMatchObject({ id: OFFICER, state: 'active', deactivatedOn: null, teams: [{ id: 'nw-bcu-psu' }] });
    expect((await staffRecipients(t, CAMDEN)).recipients.map((r) => r.id)).toContain(OFFICER);
    expect((await login(OFFICER)).statusCode).toBe(200);
    expect(await wrapsOf(OFFICER)).toEqual(before);
    const audited = [...await auditEntries(db(), { action: 'admin.account_deactivate' }), ...await auditEntries(db(), { action: 'admin.account_reactivate' })];
    expect(audited.map((e) => [e.actor, JSON.parse(e.detail).id])).toEqual([[ADMIN, OFFICER], [ADMIN, OFFICER]]);
  });

  it('refuses enrolment to a deactivated account awaiting enrolment, saying so only to the secret holder', async () => {
    expect((await call(t.app, admin, 'POST', '/admin/accounts/new-officer/deactivate')).statusCode).toBe(200);
    const enrol = (enrolmentSecret: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/staff/auth/enrol/start', payload: { username: 'new-officer', enrolmentSecret } });
    expect((await enrol('WRNG-WRNG-WRNG-WRNG')).json().error.code).toBe('invalid_credentials');
    const right = await enrol(demoEnrolmentSecret());
    expect([right.statusCode, right.json().error.code]).toEqual([403, 'account_inactive']);
    expect((await call(t.app, admin, 'POST', '/admin/accounts/new-officer/reactivate')).json()).toMatchObject({ state: 'enrol', deactivatedOn: null });
    expect((await enrol(demoEnrolmentSecret())).statusCode).toBe(200);
  });

  it('will not let an administrator deactivate themselves or give up the admin role', async () => {
    const self = await call(t.app, admin, 'POST', `/admin/accounts/${ADMIN}/deactivate`);
    expect([self.statusCode, self.json().error.code]).toEqual([409, 'own_account']);
    const demote = await call(t.app, admin, 'POST', `/admin/accounts/${ADMIN}`, { displayName: 'Admin', role: 'oversight', teams: [] });
    expect([demote.statusCode, demote.json().error.code]).toEqual([409, 'own_account']);
    expect(await account(ADMIN)).toMatchObject({ role: 'admin', deactivatedOn: null });
    expect((await call(t.app, admin, 'GET', '/auth/session')).statusCode).toBe(200);
    expect((await call(t.app, admin, 'POST', '/admin/accounts/nobody/deactivate')).statusCode).toBe(404);
  });

  it('edits name and teams with an audit entry of ids and codes only, and drops identity wraps with the permission', async () => {
    const newName = 'Renamed Officer Zed';
    // The demo cases are anonymous: give the officer an identity wrap on one, as a named report would.
    const demoCase = await db().selectFrom('cases').select('id').where('team_id', '=', 'nw-bcu-psu').executeTakeFirstOrThrow();
    await db().insertInto('case_keys').values({ case_id: demoCase.id, recipient_id: NAMED, kind: 'staff', sealed: 'A'.repeat(107), identity: 1 }).execute();
    const identityBefore = (await wrapsOf(NAMED)).identity;
    expect(identityBefore).toBe(1);
    const res = await call(t.app, admin, 'POST', `/admin/accounts/${NAMED}`, {
      displayName: newName, role: 'triage',
      teams: [{ id: 'nw-bcu-psu', seesIdentity: false, lead: false }, { id: 'dps-central', seesIdentity: false, lead: false }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ displayName: newName, teams: [{ id: 'dps-central' }, { id: 'nw-bcu-psu', seesIdentity: false }] });
    expect((await wrapsOf(NAMED)).identity).toBe(0);
    expect((await wrapsOf(NAMED)).caseKeys).toBeGreaterThan(0);

    const [entry, ...more] = await auditEntries(db(), { action: 'admin.account_edit' });
    expect(more).toEqual([]);
    expect(entry?.actor).toBe(ADMIN);
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({
      id: NAMED, displayNameChanged: true, role: 'triage', fromRole: 'triage',
      teams: ['dps-central', 'nw-bcu-psu'], fromTeams: ['nw-bcu-psu'], seesIdentity: [], fromSeesIdentity: ['nw-bcu-psu'],
      leads: [], fromLeads: [], wrapsRemoved: identityBefore,
    });
    expect(entry?.detail).not.toMatch(/Renamed|Zed|Demo officer/);
  });

  it('moving an officer into oversight takes their teams, wraps and assignments; teams are refused for oversight', async () => {
    expect((await wrapsOf(OFFICER)).caseKeys).toBeGreaterThan(0);
    const withTeams = await call(t.app, admin, 'POST', `/admin/accounts/${OFFICER}`, {
      displayName: 'Officer two', role: 'oversight', teams: [{ id: 'nw-bcu-psu', seesIdentity: false, lead: false }],
    });
    expect([withTeams.statusCode, withTeams.json().error.code]).toEqual([400, 'invalid_request']);
    const res = await call(t.app, admin, 'POST', `/admin/accounts/${OFFICER}`, { displayName: 'Officer two', role: 'oversight', teams: [] });
    expect(res.json()).toMatchObject({ role: 'oversight', teams: [] });
    expect(await wrapsOf(OFFICER)).toEqual({ caseKeys: 0, identity: 0 });
    expect(await db().selectFrom('internal_keys').select('case_id').where('recipient_id', '=', OFFICER).execute()).toEqual([]);
    expect(await db().selectFrom('cases').select('id').where('assigned_to', '=', OFFICER).execute()).toEqual([]);
    expect((await staffRecipients(t, CAMDEN)).recipients.map((r) => r.id)).not.toContain(OFFICER);
    const officer = await signIn(t.app, clock, OFFICER);
    expect(officer.login.staff.role).toBe('oversight');
    expect((await call(t.app, officer, 'GET', '/cases')).statusCode).toBe(403);
  });

  it('refuses bidirectional and invisible characters in display names on create and edit', async () => {
    for (const c of BIDI) {
      const name = `Ann${c}a Smith`;
      const created = await call(t.app, admin, 'POST', '/admin/accounts', { username: 'bidi-test', displayName: name, role: 'triage', teams: [] });
      const edited = await call(t.app, admin, 'POST', `/admin/accounts/${LEAD}`, { displayName: name, role: 'lead', teams: [] });
      expect([c.codePointAt(0), created.statusCode, created.json().error.code, edited.statusCode, edited.json().error.code])
        .toEqual([c.codePointAt(0), 400, 'invalid_request', 400, 'invalid_request']);
    }
    expect((await account(LEAD)).displayName).not.toContain('Ann');
    expect((await call(t.app, admin, 'POST', '/admin/accounts', { username: 'bidi-test', displayName: 'محمد علی', role: 'triage', teams: [] })).statusCode).toBe(201);
  });

  it('searches and filters the account list on the server, a page at a time', async () => {
    const list = async (q: string) => {
      const res = await call(t.app, admin, 'GET', `/admin/accounts${q}`);
      expect([q, res.statusCode]).toEqual([q, 200]);
      return res.json() as { accounts: { id: string; role: string }[]; total: number; page: number; pageSize: number };
    };
    const all = await list('');
    expect(all.total).toBeGreaterThan(all.pageSize);
    expect(all.accounts).toHaveLength(all.pageSize);
    const second = await list('?page=2');
    expect(second.accounts.length).toBe(Math.min(all.pageSize, all.total - all.pageSize));
    expect(second.accounts.map((a) => a.id)).not.toContain(all.accounts[0]?.id);

    expect((await list('?q=PSU-LEAD')).accounts.map((a) => a.id)).toContain(LEAD);
    expect((await list(`?q=${encodeURIComponent('renamed OFFICER')}`)).accounts.map((a) => a.id)).toEqual([NAMED]);
    expect((await list('?q=%25')).total).toBe(0);
    expect((await list('?role=admin')).accounts.map((a) => a.id)).toEqual([ADMIN]);
    const team = await list('?team=dps-central&role=triage');
    expect(team.accounts.map((a) => a.id)).toEqual(['dps-central-1', 'dps-central-2', NAMED]);
    expect((await list('?state=enrol')).accounts.map((a) => a.id)).toEqual(['bidi-test', 'new-officer']);
    for (const bad of ['?state=gone', '?role=root', '?page=0', '?team=Bad!', '?other=1', `?q=${encodeURIComponent('a\u0000')}`]) {
      expect([bad, (await call(t.app, admin, 'GET', `/admin/accounts${bad}`)).statusCode]).toEqual([bad, 400]);
    }
  });
});
