// Notifications caused through the staff API (app.inject), end to end to a
// real SMTP server: an assignment tells the assignee at once and never the
// one who assigned; a referral tells the receiving team when it is made
// (pending), not the sending team, and nothing more when it is confirmed; a
// referral that comes back tells the sending team's leads. A refused request
// queues nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoStaffKeyPair } from '../../seeds/demo.ts';
import { fromB64u, toB64u, unwrapKey, wrapKey, type PublicKey, type SymmetricKey } from '../../shared/src/crypto/index.ts';
import { dialects } from './databases.ts';
import { clearOutbox, giveAddresses, mailOf, membersOf, notifyEnv, type NotifyEnv } from './notify-helpers.ts';
import { call, signIn, type Session } from './staff-helpers.ts';

const USERS = ['nw-bcu-psu-1', 'nw-bcu-psu-2', 'nw-bcu-psu-lead', 'dps-central-1'];
type Member = { id: string; publicKey: string };

describe.each(dialects)('notifications from staff actions over HTTP ($name)', (dialect) => {
  let env: NotifyEnv;
  let psu: string[];
  let dps: string[];
  const s: Record<string, Session> = {};
  const db = () => env.t.tdb.handle.db;

  beforeAll(async () => {
    env = await notifyEnv(dialect, USERS);
    for (const u of USERS) s[u] = await signIn(env.t.app, env.clock, u);
    // Everyone in both teams has an address, the actors included: silence for them is the point.
    psu = await giveAddresses(env.t, await membersOf(env.t, env.team));
    dps = await giveAddresses(env.t, await membersOf(env.t, 'dps-central'));
    expect(psu).toEqual(expect.arrayContaining(['nw-bcu-psu-1', 'nw-bcu-psu-2', 'nw-bcu-psu-lead']));
    expect(dps.length).toBeGreaterThanOrEqual(2);
  }, 120_000);
  afterAll(async () => env?.close());
  beforeEach(async () => { await clearOutbox(env); });

  /** A new case in the PSU's inbox, with the report's own batched notices cleared. */
  async function newCase(): Promise<{ ref: string; key: SymmetricKey }> {
    const { caseRef } = await env.submit();
    await clearOutbox(env);
    const d = (await call(env.t.app, s['nw-bcu-psu-1']!, 'GET', `/cases/${caseRef}`)).json();
    return { ref: caseRef, key: unwrapKey(demoStaffKeyPair('nw-bcu-psu-1'), fromB64u(d.keyWrap)) as SymmetricKey };
  }
  const wrapsFor = (ms: Member[], key: SymmetricKey) =>
    ms.map((m) => ({ recipient: m.id, kind: 'case' as const, sealed: toB64u(wrapKey(fromB64u(m.publicKey) as PublicKey, key)) }));
  const membersWithKeys = async (team: string) => (await call(env.t.app, s['nw-bcu-psu-1']!, 'GET', `/teams/${team}/members`)).json() as Member[];
  const events = async () => (await db().selectFrom('notification_events').select(['staff_id', 'kind', 'channel', 'send_at_ms']).orderBy('staff_id').execute())
    .map((e) => ({ ...e, send_at_ms: Number(e.send_at_ms) }));

  it('an assignment queues one immediate notice for the assignee, none for the assigner, and mails it on the next pass', async () => {
    const { ref, key } = await newCase();
    const target = (await membersWithKeys(env.team)).find((m) => m.id === 'nw-bcu-psu-2')!;
    // Refused (not a member of the case's team): nothing queued.
    const refused = await call(env.t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/assign`, { staffId: 'dps-central-1', wraps: wrapsFor([{ ...target, id: 'dps-central-1' }], key) });
    expect(refused.statusCode).toBe(400);
    expect(await events()).toEqual([]);

    const res = await call(env.t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/assign`, { staffId: target.id, wraps: wrapsFor([target], key) });
    expect(res.statusCode).toBe(204);
    expect(await events()).toEqual([{ staff_id: 'nw-bcu-psu-2', kind: 'assigned', channel: 'immediate', send_at_ms: env.clock.ms }]);
    expect((await env.sender().tick()).sent).toBe(1);
    expect(env.smtp.received.map((m) => m.to)).toEqual([[mailOf('nw-bcu-psu-2')]]);
    expect(env.smtp.received[0]!.body).toContain('- Cases assigned to you: 1\n');
    expect(env.smtp.received[0]!.body).not.toContain(ref);
  });

  it('taking a case oneself queues nothing', async () => {
    const { ref, key } = await newCase();
    const me = (await membersWithKeys(env.team)).find((m) => m.id === 'nw-bcu-psu-1')!;
    expect((await call(env.t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/assign`, { staffId: me.id, wraps: wrapsFor([me], key) })).statusCode).toBe(204);
    expect((await call(env.t.app, s['nw-bcu-psu-1']!, 'GET', `/cases/${ref}`)).json().assignedTo.id).toBe('nw-bcu-psu-1');
    expect(await events()).toEqual([]);
    expect((await env.sender().tick()).sent).toBe(0);
  });

  it('a referral tells every member of the receiving team when it is made, not the sending team; confirming adds nothing', async () => {
    const { ref, key } = await newCase();
    const res = await call(env.t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/refer`, { teamId: 'dps-central', wraps: wrapsFor(await membersWithKeys('dps-central'), key) });
    expect(res.statusCode).toBe(204);
    const queued = await events();
    expect(queued.map((e) => e.staff_id)).toEqual([...dps].sort());
    expect(queued.every((e) => e.kind === 'referred' && e.channel === 'immediate' && e.send_at_ms === env.clock.ms)).toBe(true);
    await env.sender().tick();
    expect(env.smtp.received.map((m) => m.to[0]).sort()).toEqual(dps.map(mailOf).sort());
    for (const m of env.smtp.received) expect(m.body).toContain('- Cases referred to your team: 1\n');
    for (const id of psu) expect(env.smtp.to(mailOf(id))).toEqual([]);

    expect((await call(env.t.app, s['dps-central-1']!, 'POST', `/cases/${ref}/referral/confirm`, {})).statusCode).toBe(204);
    expect(await events()).toEqual([]);
  });

  it('a referral that comes back tells the sending team\'s leads, not the member who answered', async () => {
    const { ref, key } = await newCase();
    // The server cannot tell whether wraps open; the receiving browser says they did not.
    expect((await call(env.t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/refer`, { teamId: 'dps-central', wraps: wrapsFor(await membersWithKeys('dps-central'), key) })).statusCode).toBe(204);
    await clearOutbox(env);
    expect((await call(env.t.app, s['dps-central-1']!, 'POST', `/cases/${ref}/referral/reject`, { reason: 'report' })).statusCode).toBe(204);
    const leads = (await db().selectFrom('team_members').select('staff_id').where('team_id', '=', env.team).where('lead', '=', 1).orderBy('staff_id').execute()).map((r) => r.staff_id);
    expect(leads).toContain('nw-bcu-psu-lead');
    const queued = await events();
    expect(queued.map((e) => e.staff_id)).toEqual(leads);
    expect(queued.every((e) => e.kind === 'referral_returned' && e.channel === 'immediate')).toBe(true);
  });
});
