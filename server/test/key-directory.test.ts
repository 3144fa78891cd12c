// The certified key directory on both dialects (docs/PROTOCOL.md "Key certificates"):
// an account an administrator makes is no recipient until a lead of its team certifies
// its key with an organisation-certified signing key; every refusal stores nothing;
// a reset revokes, visibly, in the team's hash-chained key log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStaffKeyPair } from '../../seeds/demo.ts';
import { demoOrgKeyPair } from '../../seeds/keys.ts';
import {
  certifyMemberKey, chainLog, fromB64u, generateKeyPair, leadSigningKeyPair, LOG_GENESIS, newSigningKeyPair, signCert, signerIdOf, toB64u,
  verifyLogHead, verifyRecipients, type CertWire,
} from '../../shared/src/crypto/index.ts';
import { dialects } from './databases.ts';
import { makeApp, recipients, TODAY, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';
import { giveAddresses } from './notify-helpers.ts';

const TEAM = 'nw-bcu-psu';
const LEAD = 'nw-bcu-psu-lead';
const OFFICER = 'nw-bcu-psu-1';
const ADMIN = 'admin-demo';
const COLLEAGUE = 'nw-bcu-psu-2';
const NEW = 'insider';
const CAMDEN = { category: 'bullying', unit: 'nw-response-camden' };

describe.each(dialects)('certified key directory on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  const s: Record<string, Session> = {};
  const lead = () => leadSigningKeyPair(demoStaffKeyPair(LEAD).secretKey);
  let insiderKey: ReturnType<typeof generateKeyPair>;
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: [LEAD, OFFICER, ADMIN], now: clock.now });
    for (const u of [LEAD, OFFICER, ADMIN]) s[u] = await signIn(t.app, clock, u);
    const made = await call(t.app, s[ADMIN]!, 'POST', '/admin/accounts', {
      username: NEW, displayName: 'Pat Insider', role: 'triage', teams: [{ id: TEAM, seesIdentity: true, lead: false }],
    });
    expect(made.statusCode).toBe(201);
    // Enrolled (the auth tests cover the enrolment itself): a key made by the new account's browser.
    insiderKey = generateKeyPair();
    await enrol(insiderKey);
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  const db = () => t.tdb.handle.db;
  const keyChangeNotices = async () => (await db().selectFrom('notification_events').select('staff_id')
    .where('kind', '=', 'team_keys_changed').execute()).map((e) => e.staff_id).sort();
  const enrol = (kp: ReturnType<typeof generateKeyPair>) =>
    db().updateTable('staff').set({ public_key: toB64u(kp.publicKey), state: 'active' }).where('id', '=', NEW).execute();
  const keysView = async (u: string) => (await call(t.app, s[u]!, 'GET', `/keys/teams/${TEAM}`)).json();
  const listedKeys = async () => (await recipients(t.app, CAMDEN)).recipients.map((r) => r.publicKey);
  const counts = async () => ({
    certs: (await db().selectFrom('key_certificates').select('hash').execute()).length,
    log: (await db().selectFrom('key_log').select('seq').execute()).length,
  });
  const request = async (over: { key?: Uint8Array; signer?: ReturnType<typeof lead>; headSeq?: number; seesIdentity?: boolean } = {}) => {
    const view = await keysView(LEAD);
    const pending = view.pending.find((p: { staffId: string }) => p.staffId === NEW);
    const head = over.headSeq === undefined ? view.head : { ...view.head, seq: over.headSeq };
    const req = certifyMemberKey({
      team: TEAM, memberKey: over.key ?? fromB64u(pending.publicKey), seesIdentity: over.seesIdentity ?? pending.seesIdentity, issued: TODAY,
      replaces: pending.replaces, head, lead: over.signer ?? lead(),
    });
    return { staffId: NEW, ...req };
  };

  it('lists an enrolled but uncertified account as pending, never as a recipient', async () => {
    const view = await keysView(LEAD);
    expect(view.you).toEqual({ lead: true, certifiedSigningKey: toB64u(lead().publicKey) });
    expect(view.pending.map((p: { staffId: string }) => p.staffId)).toEqual([NEW]);
    expect(view.recipients.map((r: { staffId: string }) => r.staffId)).not.toContain(NEW);
    expect(await listedKeys()).not.toContain(toB64u(insiderKey.publicKey));
    const members = (await call(t.app, s[OFFICER]!, 'GET', `/teams/${TEAM}/members`)).json() as { id: string }[];
    expect(members.map((m) => m.id)).not.toContain(NEW);
    // A non-lead sees the count of waiting people but cannot act.
    expect((await keysView(OFFICER)).you).toEqual({ lead: false, certifiedSigningKey: null });
  });

  it('refuses, storing nothing: a non-lead, another key, another permission, a stale log head, an uncertified signer, junk', async () => {
    const before = await counts();
    const refusal = async (who: string, body: unknown) => {
      const res = await call(t.app, s[who]!, 'POST', '/keys/certify', body as object);
      return [res.statusCode, res.json().error?.code];
    };
    expect(await refusal(OFFICER, await request())).toEqual([403, 'forbidden']);
    expect(await refusal(LEAD, await request({ key: generateKeyPair().publicKey }))).toEqual([409, 'key_changed']);
    expect(await refusal(LEAD, await request({ seesIdentity: false }))).toEqual([409, 'key_changed']);
    expect(await refusal(LEAD, await request({ headSeq: 0 }))).toEqual([409, 'key_changed']);
    expect(await refusal(LEAD, await request({ signer: newSigningKeyPair() }))).toEqual([409, 'lead_not_certified']);
    const junk = await request();
    const body = fromB64u(junk.certificate.body);
    body[10] = (body[10] as number) ^ 1;
    expect(await refusal(LEAD, { ...junk, certificate: { ...junk.certificate, body: toB64u(body) } })).toEqual([400, 'invalid_certificate']);
    expect(await counts()).toEqual(before);
    expect(await listedKeys()).not.toContain(toB64u(insiderKey.publicKey));
  });

  it('a lead certifies: the key is listed with a chain that verifies to the organisation key, and the log head is the lead\'s', async () => {
    await giveAddresses(t, [LEAD, OFFICER, COLLEAGUE]);
    await db().deleteFrom('notification_events').execute();
    const res = await call(t.app, s[LEAD]!, 'POST', '/keys/certify', await request());
    expect(res.statusCode).toBe(201);
    // Every other member with an address is told, in the certification's transaction; the lead who did it is not.
    expect(await keyChangeNotices()).toEqual([COLLEAGUE, OFFICER].sort());
    const r = await recipients(t.app, CAMDEN);
    expect(r.recipients.map((x) => x.publicKey)).toContain(toB64u(insiderKey.publicKey));
    expect(() => verifyRecipients(r.recipients, r.team.id, demoOrgKeyPair().publicKey)).not.toThrow();
    // The stored log chains from genesis, and its head carries the lead's signature over it.
    const log = await db().selectFrom('key_log').selectAll().where('team_id', '=', TEAM).orderBy('seq').execute();
    let prev: Uint8Array = LOG_GENESIS;
    for (const e of log) {
      prev = chainLog(prev, { team: TEAM, seq: Number(e.seq), action: e.action, subject: e.recipient_id, cert: fromB64u(e.cert_hash) });
      expect(toB64u(prev)).toBe(e.hash);
    }
    const last = log.at(-1)!;
    expect([last.action, last.staff_id, last.actor]).toEqual(['certify', NEW, LEAD]);
    expect(verifyLogHead(TEAM, Number(last.seq), prev, fromB64u(last.head_sig!), lead().publicKey)).toBe(true);
    // Every colleague sees it.
    const changes = (await call(t.app, s[OFFICER]!, 'GET', '/keys/changes')).json().changes;
    expect(changes[0]).toMatchObject({ team: TEAM, action: 'certify', name: 'Pat Insider', by: expect.any(String), on: TODAY });
  });

  it('a reset revokes the certificate in the key log; the new key waits for a lead and replaces the old certificate', async () => {
    const old = (await db().selectFrom('key_certificates').select('hash').where('staff_id', '=', NEW).where('revoked_on', 'is', null).execute())[0]!.hash;
    await db().deleteFrom('notification_events').execute();
    expect((await call(t.app, s[ADMIN]!, 'POST', `/admin/accounts/${NEW}/reset`, {})).statusCode).toBe(200);
    // A key taken away is a change in who can read the team's reports too: the whole team is told.
    expect(await keyChangeNotices()).toEqual([COLLEAGUE, LEAD, OFFICER].sort());
    expect(await listedKeys()).not.toContain(toB64u(insiderKey.publicKey));
    const revoke = await db().selectFrom('key_log').selectAll().where('team_id', '=', TEAM).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect([revoke.action, revoke.cert_hash, revoke.actor]).toEqual(['revoke', old, ADMIN]);
    insiderKey = generateKeyPair();
    await enrol(insiderKey);
    const pending = (await keysView(LEAD)).pending.find((p: { staffId: string }) => p.staffId === NEW);
    expect(pending.replaces).toBe(old);
    expect(await listedKeys()).not.toContain(toB64u(insiderKey.publicKey));
    expect((await call(t.app, s[LEAD]!, 'POST', '/keys/certify', await request())).statusCode).toBe(201);
    expect(await listedKeys()).toContain(toB64u(insiderKey.publicKey));
  });

  it('installs only certificates the organisation key signed, for a lead of that team', async () => {
    const stranger = newSigningKeyPair();
    const leadCert = (signer: ReturnType<typeof newSigningKeyPair>): CertWire => signCert({
      kind: 'lead', team: TEAM, subject: signerIdOf(stranger.publicKey), key: stranger.publicKey, seesIdentity: false, issued: TODAY, replaces: null,
      signer: signer.publicKey,
    }, signer);
    const install = async (certificate: CertWire, staffId: string | null) => {
      const res = await call(t.app, s[ADMIN]!, 'POST', '/admin/key-certificates', { certificate, staffId });
      return [res.statusCode, res.json().error?.code ?? 'ok'];
    };
    expect(await install(leadCert(stranger), LEAD)).toEqual([400, 'invalid_certificate']);
    expect(await install(leadCert(demoOrgKeyPair()), OFFICER)).toEqual([400, 'invalid_certificate']);
    expect((await call(t.app, s[LEAD]!, 'POST', '/admin/key-certificates', { certificate: leadCert(demoOrgKeyPair()), staffId: LEAD })).statusCode).toBe(403);
    expect(await install(leadCert(demoOrgKeyPair()), LEAD)).toEqual([201, 'ok']);
  });
});
