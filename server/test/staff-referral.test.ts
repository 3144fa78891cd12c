// A referral is confirmed by the receiving team's browser before the sending
// team loses access (issue "Trust the keys, not the administrator"): good wraps
// → pending, then confirmed by a receiving member who opened the case; junk
// wraps → rejected, the case stays with the sender, whose lead is alerted; only
// the receiving team may answer; a referral left waiting is shown overdue.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStaffKeyPair } from '../../seeds/demo.ts';
import { adReport, fromB64u, openDoc, toB64u, unwrapKey, wrapKey, type PublicKey, type SymmetricKey } from '../../shared/src/crypto/index.ts';
import { auditEntries } from '../src/audit/log.ts';
import { dialects } from './databases.ts';
import { makeApp, postReport, sealFor, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

const USERS = ['nw-bcu-psu-1', 'nw-bcu-psu-lead', 'dps-central-1', 'dps-central-2'];
type Member = { id: string; publicKey: string };

describe.each(dialects)('referral confirmed by the receiving browser on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  let today = '2026-01-15';
  const s: Record<string, Session> = {};
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: USERS, now: clock.now, today: () => today });
    for (const u of USERS) s[u] = await signIn(t.app, clock, u);
    // The sending lead has an address, so the "came back" notice can be seen in the outbox.
    await t.tdb.handle.db.updateTable('staff').set({ email: 'lead@example.test' }).where('id', '=', 'nw-bcu-psu-lead').execute();
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  const newCase = async (): Promise<string> => {
    const sealed = await sealFor(t.app, { mode: 'anonymous', category: 'bullying', unit: 'nw-response-camden', report: { narrative: 'Referral Wendleby' } });
    const res = await postReport(t.app, sealed.body);
    expect(res.statusCode).toBe(201);
    return res.json().caseRef;
  };
  const get = (u: string, ref: string) => call(t.app, s[u]!, 'GET', `/cases/${ref}`);
  const keyOf = async (u: string, ref: string) => unwrapKey(demoStaffKeyPair(u), fromB64u((await get(u, ref)).json().keyWrap)) as SymmetricKey;
  const wrapsFor = (ms: Member[], key: SymmetricKey) =>
    ms.map((m) => ({ recipient: m.id, kind: 'case' as const, sealed: toB64u(wrapKey(fromB64u(m.publicKey) as PublicKey, key)) }));
  const dps = async () => (await call(t.app, s['nw-bcu-psu-1']!, 'GET', '/teams/dps-central/members')).json() as Member[];
  const inboxRefs = async (u: string) => (await call(t.app, s[u]!, 'GET', '/cases?limit=100')).json().cases.map((c: { caseRef: string }) => c.caseRef);
  const referrals = async (u: string) => (await call(t.app, s[u]!, 'GET', '/referrals')).json();
  const refs = (list: { caseRef: string }[]) => list.map((r) => r.caseRef);

  it('good wraps: pending with the sender keeping access; a receiving member confirms, then the sender gets 403', async () => {
    const ref = await newCase();
    const key = await keyOf('nw-bcu-psu-1', ref);
    const res = await call(t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/refer`, { teamId: 'dps-central', wraps: wrapsFor(await dps(), key) });
    expect(res.statusCode).toBe(204);

    // Pending: the case is still the sender's, in their inbox, with every action.
    const sender = (await get('nw-bcu-psu-1', ref)).json();
    expect(sender.team.id).toBe('nw-bcu-psu');
    expect(sender.status).toBe('received');
    expect(sender.referral).toMatchObject({ direction: 'outgoing', from: { id: 'nw-bcu-psu' }, to: { id: 'dps-central' }, on: today });
    expect(await inboxRefs('nw-bcu-psu-1')).toContain(ref);
    expect(refs((await referrals('nw-bcu-psu-1')).outgoing)).toContain(ref);
    // A second referral, or a status change (closing it under the other team), waits for the answer.
    const again = await call(t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/refer`, { teamId: 'dps-central', wraps: wrapsFor(await dps(), key) });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'referral_pending']);
    const status = await call(t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/status`, { status: 'acknowledged' });
    expect([status.statusCode, status.json().error.code]).toEqual([409, 'referral_pending']);

    // The receiving team sees it waiting, not in its inbox; a member reads it with their own key...
    expect(refs((await referrals('dps-central-1')).incoming)).toContain(ref);
    expect(await inboxRefs('dps-central-1')).not.toContain(ref);
    const incoming = (await get('dps-central-1', ref)).json();
    expect(incoming.referral).toMatchObject({ direction: 'incoming', from: { id: 'nw-bcu-psu' }, to: { id: 'dps-central' } });
    const pk = fromB64u(incoming.reporterPk) as PublicKey;
    expect(openDoc(await keyOf('dps-central-1', ref), adReport(pk), incoming.report, 'rc1/report').narrative).toBe('Referral Wendleby');
    // ...but may do nothing else with it before confirming.
    expect((await call(t.app, s['dps-central-1']!, 'POST', `/cases/${ref}/read`, {})).statusCode).toBe(403);

    expect((await call(t.app, s['dps-central-1']!, 'POST', `/cases/${ref}/referral/confirm`, {})).statusCode).toBe(204);
    expect((await get('nw-bcu-psu-1', ref)).statusCode).toBe(403);
    expect(await inboxRefs('nw-bcu-psu-1')).not.toContain(ref);
    const moved = (await get('dps-central-2', ref)).json();
    expect(moved.team.id).toBe('dps-central');
    expect(moved.status).toBe('referred');
    expect(moved.referral).toBeUndefined();
    expect(await inboxRefs('dps-central-1')).toContain(ref);
    expect(refs((await referrals('dps-central-1')).incoming)).not.toContain(ref);
    // Answered once: a second confirmation finds nothing pending.
    expect((await call(t.app, s['dps-central-2']!, 'POST', `/cases/${ref}/referral/confirm`, {})).statusCode).toBe(403);

    const log = await auditEntries(t.tdb.handle.db, { caseRef: ref });
    const steps = log.filter((e) => e.action.startsWith('case.refer'));
    expect(steps.map((e) => [e.action, e.actor, JSON.parse(e.detail)])).toEqual([
      ['case.refer', 'nw-bcu-psu-1', { from: 'nw-bcu-psu', to: 'dps-central', pending: true }],
      ['case.refer_confirm', 'dps-central-1', { from: 'nw-bcu-psu', to: 'dps-central' }],
    ]);
  });

  it('junk wraps: the receiving member rejects; the case is back with the sender, the lead flagged, the receiving team shut out', async () => {
    const ref = await newCase();
    const junk = (await dps()).map((m) => ({ recipient: m.id, kind: 'case' as const, sealed: toB64u(randomBytes(80)) }));
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/refer`, { teamId: 'dps-central', wraps: junk })).statusCode).toBe(204);
    const incoming = (await get('dps-central-1', ref)).json();
    // The receiving browser cannot open its wrap...
    expect(() => unwrapKey(demoStaffKeyPair('dps-central-1'), fromB64u(incoming.keyWrap))).toThrow();
    // ...so it says so, with a reason code and nothing else.
    const bad = await call(t.app, s['dps-central-1']!, 'POST', `/cases/${ref}/referral/reject`, { reason: 'case_key', note: 'x' });
    expect(bad.statusCode).toBe(400);
    expect((await call(t.app, s['dps-central-1']!, 'POST', `/cases/${ref}/referral/reject`, { reason: 'case_key' })).statusCode).toBe(204);

    const back = (await get('nw-bcu-psu-1', ref)).json();
    expect(back.team.id).toBe('nw-bcu-psu');
    expect(back.referral).toBeUndefined();
    expect(await inboxRefs('nw-bcu-psu-1')).toContain(ref);
    for (const u of ['dps-central-1', 'dps-central-2']) {
      expect((await get(u, ref)).statusCode).toBe(403);
      expect((await call(t.app, s[u]!, 'POST', `/cases/${ref}/referral/confirm`, {})).statusCode).toBe(403);
      expect(refs((await referrals(u)).incoming)).not.toContain(ref);
    }
    // The junk wraps are gone, so a new referral can bring good ones.
    const db = t.tdb.handle.db;
    const id = (await db.selectFrom('cases').select('id').where('case_ref', '=', ref).executeTakeFirstOrThrow()).id;
    expect(await db.selectFrom('case_keys').select('recipient_id').where('case_id', '=', id).where('recipient_id', 'like', 'dps-central%').execute()).toEqual([]);

    // The lead is flagged (inbox list and a notification); an officer is not shown the flag.
    const flagged = (await referrals('nw-bcu-psu-lead')).returned;
    expect(flagged).toEqual([expect.objectContaining({ caseRef: ref, reason: 'case_key', to: expect.objectContaining({ id: 'dps-central' }) })]);
    expect((await referrals('nw-bcu-psu-1')).returned).toEqual([]);
    const notices = await db.selectFrom('notification_events').select(['staff_id', 'kind']).where('kind', '=', 'referral_returned').execute();
    expect(notices).toEqual([{ staff_id: 'nw-bcu-psu-lead', kind: 'referral_returned' }]);
    expect(JSON.parse((await auditEntries(db, { caseRef: ref, action: 'case.refer_reject' }))[0]!.detail))
      .toEqual({ from: 'nw-bcu-psu', to: 'dps-central', reason: 'case_key' });

    // Referring again with good wraps clears the flag and works.
    const key = await keyOf('nw-bcu-psu-1', ref);
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/refer`, { teamId: 'dps-central', wraps: wrapsFor(await dps(), key) })).statusCode).toBe(204);
    expect((await referrals('nw-bcu-psu-lead')).returned).toEqual([]);
    expect(await keyOf('dps-central-2', ref)).toEqual(key);
    expect((await call(t.app, s['dps-central-2']!, 'POST', `/cases/${ref}/referral/confirm`, {})).statusCode).toBe(204);
  });

  it('only a member of the receiving team can confirm or reject; a lead may dismiss a returned referral', async () => {
    const ref = await newCase();
    const key = await keyOf('nw-bcu-psu-1', ref);
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/refer`, { teamId: 'dps-central', wraps: wrapsFor(await dps(), key) })).statusCode).toBe(204);
    for (const u of ['nw-bcu-psu-1', 'nw-bcu-psu-lead']) {
      expect((await call(t.app, s[u]!, 'POST', `/cases/${ref}/referral/confirm`, {})).statusCode).toBe(403);
      expect((await call(t.app, s[u]!, 'POST', `/cases/${ref}/referral/reject`, { reason: 'report' })).statusCode).toBe(403);
    }
    expect((await get('nw-bcu-psu-1', ref)).json().referral.direction).toBe('outgoing');

    // Left waiting past REFERRAL_STALE_DAYS: shown overdue to the sending team.
    expect((await referrals('nw-bcu-psu-lead')).outgoing.find((r: { caseRef: string }) => r.caseRef === ref).overdue).toBe(false);
    today = '2026-01-18';
    try {
      expect((await referrals('nw-bcu-psu-lead')).outgoing.find((r: { caseRef: string }) => r.caseRef === ref).overdue).toBe(true);
    } finally {
      today = '2026-01-15';
    }

    expect((await call(t.app, s['dps-central-2']!, 'POST', `/cases/${ref}/referral/reject`, { reason: 'report' })).statusCode).toBe(204);
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/referral/dismiss`, {})).statusCode).toBe(403);
    expect((await call(t.app, s['nw-bcu-psu-lead']!, 'POST', `/cases/${ref}/referral/dismiss`, {})).statusCode).toBe(204);
    expect(refs((await referrals('nw-bcu-psu-lead')).returned)).not.toContain(ref);
    expect((await call(t.app, s['nw-bcu-psu-lead']!, 'POST', `/cases/${ref}/referral/dismiss`, {})).statusCode).toBe(404);
  });
});
