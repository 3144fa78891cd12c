// Who may hold a case's key wraps, after the security review: a recused
// member stays out across referral away and back (and even with a stray wrap).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStaffKeyPair } from '../../seeds/demo.ts';
import { fromB64u, generateKey, toB64u, unwrapKey, wrapKey, type PublicKey, type SymmetricKey } from '../../shared/src/crypto/index.ts';
import { access } from '../src/triage/access.ts';
import { inbox } from '../src/triage/inbox.ts';
import { dialects } from './databases.ts';
import { makeApp, postReport, staffRecipients, sealFor, testContext, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

const USERS = ['nw-bcu-psu-1', 'nw-bcu-psu-2', 'nw-bcu-psu-lead', 'dps-central-1', 'admin-demo'];
type Member = { id: string; publicKey: string };

describe.each(dialects)('case key wraps on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  const s: Record<string, Session> = {};
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: USERS, now: clock.now });
    for (const u of USERS) s[u] = await signIn(t.app, clock, u);
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  const newCase = async (): Promise<string> => {
    const sealed = await sealFor(t.app, { mode: 'anonymous', category: 'bullying', unit: 'nw-response-camden', report: { narrative: 'n' } });
    const res = await postReport(t.app, sealed.body);
    expect(res.statusCode).toBe(201);
    return res.json().caseRef;
  };
  const keyOf = async (u: string, ref: string) => {
    const d = (await call(t.app, s[u]!, 'GET', `/cases/${ref}`)).json();
    return unwrapKey(demoStaffKeyPair(u), fromB64u(d.keyWrap)) as SymmetricKey;
  };
  const members = async (team: string) => (await call(t.app, s['nw-bcu-psu-2']!, 'GET', `/teams/${team}/members`)).json() as Member[];
  const wrapsFor = (ms: Member[], key: SymmetricKey, kind: 'case' | 'internal' = 'case') =>
    ms.map((m) => ({ recipient: m.id, kind, sealed: toB64u(wrapKey(fromB64u(m.publicKey) as PublicKey, key)) }));
  const caseId = async (ref: string) =>
    (await t.tdb.handle.db.selectFrom('cases').select('id').where('case_ref', '=', ref).executeTakeFirstOrThrow()).id;
  const inboxRefs = async (u: string) => (await call(t.app, s[u]!, 'GET', '/cases?limit=100')).json().cases.map((c: { caseRef: string }) => c.caseRef);

  it('keeps a recused officer out after referral away and back, even with a stray wrap', async () => {
    const ref = await newCase();
    const key = await keyOf('nw-bcu-psu-2', ref);
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/conflict`, { knowsPeople: true })).statusCode).toBe(204);
    const d = (await call(t.app, s['nw-bcu-psu-2']!, 'GET', `/cases/${ref}`)).json();
    expect(d.recused).toEqual(['nw-bcu-psu-1']);
    expect(d.holders).toEqual(['nw-bcu-psu-2', 'nw-bcu-psu-lead']);

    const away = await call(t.app, s['nw-bcu-psu-2']!, 'POST', `/cases/${ref}/refer`, { teamId: 'dps-central', wraps: wrapsFor(await members('dps-central'), key) });
    expect(away.statusCode).toBe(204);
    expect((await call(t.app, s['dps-central-1']!, 'POST', `/cases/${ref}/referral/confirm`, {})).statusCode).toBe(204);
    const home = await members('nw-bcu-psu');
    const withRecused = await call(t.app, s['dps-central-1']!, 'POST', `/cases/${ref}/refer`, { teamId: 'nw-bcu-psu', wraps: wrapsFor(home, key) });
    expect(withRecused.statusCode).toBe(403);
    const back = await call(t.app, s['dps-central-1']!, 'POST', `/cases/${ref}/refer`,
      { teamId: 'nw-bcu-psu', wraps: wrapsFor(home.filter((m) => m.id !== 'nw-bcu-psu-1'), key) });
    expect(back.statusCode).toBe(204);
    expect((await call(t.app, s['nw-bcu-psu-2']!, 'POST', `/cases/${ref}/referral/confirm`, {})).statusCode).toBe(204);
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'GET', `/cases/${ref}`)).statusCode).toBe(403);
    expect(await inboxRefs('nw-bcu-psu-1')).not.toContain(ref);
    const after = (await call(t.app, s['nw-bcu-psu-2']!, 'GET', `/cases/${ref}`)).json();
    expect(after.holders).toContain('dps-central-1');
    expect(after.holders).not.toContain('nw-bcu-psu-1');

    // A stray wrap (however it got there) restores nothing.
    const psu1 = home.find((m) => m.id === 'nw-bcu-psu-1')!;
    await t.tdb.handle.db.insertInto('case_keys').values({
      case_id: await caseId(ref), recipient_id: psu1.id, kind: 'staff', identity: 0,
      sealed: toB64u(wrapKey(fromB64u(psu1.publicKey) as PublicKey, key)),
    }).execute();
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'GET', `/cases/${ref}`)).statusCode).toBe(403);
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/read`, {})).statusCode).toBe(403);
    expect(await inboxRefs('nw-bcu-psu-1')).not.toContain(ref);
    expect((await call(t.app, s['nw-bcu-psu-2']!, 'GET', `/cases/${ref}`)).json().holders).not.toContain('nw-bcu-psu-1');

    // No internal-key or assignment wrap reaches them either.
    const internalKey = generateKey();
    const r = await staffRecipients(t, { category: 'bullying', unit: 'nw-response-camden' });
    const ik = r.recipients.map((x) => ({ recipient: x.id, sealed: toB64u(wrapKey(fromB64u(x.publicKey) as PublicKey, internalKey)) }));
    expect((await call(t.app, s['nw-bcu-psu-2']!, 'POST', `/cases/${ref}/internal-key`, { wraps: ik })).statusCode).toBe(403);
    const assign = await call(t.app, s['nw-bcu-psu-2']!, 'POST', `/cases/${ref}/assign`, { staffId: psu1.id, wraps: wrapsFor([psu1], internalKey, 'internal') });
    expect(assign.statusCode).toBe(403);
    const db = t.tdb.handle.db;
    expect(await db.selectFrom('internal_keys').selectAll().where('recipient_id', '=', psu1.id).execute()).toEqual([]);
  });
  it('never replaces a colleague\'s existing wrap (junk via assign or refer changes nothing)', async () => {
    const ref = await newCase();
    const internalKey = generateKey();
    const r = await staffRecipients(t, { category: 'bullying', unit: 'nw-response-camden' });
    const ik = r.recipients.map((x) => ({ recipient: x.id, sealed: toB64u(wrapKey(fromB64u(x.publicKey) as PublicKey, internalKey)) }));
    expect((await call(t.app, s['nw-bcu-psu-2']!, 'POST', `/cases/${ref}/internal-key`, { wraps: ik })).statusCode).toBe(204);
    const db = t.tdb.handle.db;
    const id = await caseId(ref);
    const stored = async () => [
      ...(await db.selectFrom('case_keys').select(['recipient_id', 'identity', 'sealed']).where('case_id', '=', id).orderBy('recipient_id').execute()),
      ...(await db.selectFrom('internal_keys').select(['recipient_id', 'sealed']).where('case_id', '=', id).orderBy('recipient_id').execute()),
    ];
    const before = await stored();
    const junk = (kind: 'case' | 'internal') => ({ recipient: 'nw-bcu-psu-lead', kind, sealed: toB64u(randomBytes(80)) });
    const res = await call(t.app, s['nw-bcu-psu-2']!, 'POST', `/cases/${ref}/assign`, { staffId: 'nw-bcu-psu-lead', wraps: [junk('case'), junk('internal')] });
    expect(res.statusCode).toBe(204);
    expect(await stored()).toEqual(before);
    const d = (await call(t.app, s['nw-bcu-psu-lead']!, 'GET', `/cases/${ref}`)).json();
    expect(() => unwrapKey(demoStaffKeyPair('nw-bcu-psu-lead'), fromB64u(d.keyWrap))).not.toThrow();
    expect(() => unwrapKey(demoStaffKeyPair('nw-bcu-psu-lead'), fromB64u(d.internalKeyWrap))).not.toThrow();
    // Referral to a team whose member already holds a wrap keeps that wrap too.
    const key = await keyOf('nw-bcu-psu-2', ref);
    const dps = await members('dps-central');
    const good = wrapsFor(dps, key);
    await db.insertInto('case_keys').values({ case_id: id, recipient_id: 'dps-central-1', kind: 'staff', identity: 0, sealed: good[0]!.sealed }).execute();
    const wraps = good.map((w) => (w.recipient === 'dps-central-1' ? { ...w, sealed: toB64u(randomBytes(80)) } : w));
    expect((await call(t.app, s['nw-bcu-psu-2']!, 'POST', `/cases/${ref}/refer`, { teamId: 'dps-central', wraps })).statusCode).toBe(204);
    expect(await keyOf('dps-central-1', ref)).toEqual(key);
  });
  it('keeps staff ids and recovery key ids apart: reserved prefix, wraps read by kind', async () => {
    const admin = await signIn(t.app, clock, 'admin-demo');
    const create = (username: string) => call(t.app, admin, 'POST', '/admin/accounts', { username, displayName: 'R', role: 'triage', teams: [] });
    const taken = await create('recovery-0123456789ab');
    expect([taken.statusCode, taken.json().error.code]).toEqual([400, 'invalid_request']);
    expect((await create('recoveryofficer')).statusCode).toBe(201);
    // An account whose id equals the recovery key's (say, from before the rule) gets nothing from the recovery wrap.
    const ref = await newCase();
    const r = await staffRecipients(t, { category: 'bullying', unit: 'nw-response-camden' });
    const recoveryId = r.recipients.find((x) => x.id.startsWith('recovery-'))!.id;
    const p = { id: recoveryId, username: recoveryId, displayName: 'x', role: 'triage' as const, teams: [{ id: 'nw-bcu-psu', label: 'x', lead: false, seesIdentity: true }] };
    await expect(access(t.tdb.handle.db, p, ref)).rejects.toMatchObject({ code: 'forbidden' });
    const page = await inbox(testContext(t.tdb.handle.db), p, {});
    expect(page.cases.map((c) => c.caseRef)).not.toContain(ref);
  });
});
