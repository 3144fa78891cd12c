// Triage work end to end with real crypto: inbox scope, filters, order and
// pages; case detail wraps; status, messages and notes as the reporter sees
// them; recusal; referral and assignment opened with the new holder's key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStaffKeyPair } from '../../seeds/demo.ts';
import {
  fromB64u, generateKey, openCaseView, openDoc, adReport, sealMessage, toB64u, unwrapKey, wrapKey,
  type PublicKey, type SymmetricKey,
} from '../../shared/src/crypto/index.ts';
import { openNote, sealNote } from '../../shared/src/crypto/staff.ts';
import { secretsOf } from '../../seeds/staff.ts';
import { dialects } from './databases.ts';
import { makeApp, postMessage, postReport, staffRecipients, sealFor, type Sealed, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

const USERS = ['nw-bcu-psu-1', 'nw-bcu-psu-2', 'nw-bcu-psu-lead', 'dps-central-1'];

describe.each(dialects)('triage cases on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  const s: Record<string, Session> = {};
  const reports: { ref: string; sealed: Sealed }[] = [];
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: USERS, now: clock.now });
    for (const u of USERS) s[u] = await signIn(t.app, clock, u);
    const drafts = [
      { mode: 'named' as const, category: 'bullying', unit: 'nw-response-camden', report: { narrative: 'Report Quillwort one' }, identity: { name: 'Ada Quillwort' } },
      { mode: 'anonymous' as const, category: 'social-media', unit: 'nw-cid', report: { narrative: 'Report two' } },
      { mode: 'anonymous' as const, category: 'bullying', unit: 'nw-response-islington', report: { narrative: 'Report three' } },
    ];
    for (const d of drafts) {
      const sealed = await sealFor(t.app, d);
      const res = await postReport(t.app, sealed.body);
      expect(res.statusCode).toBe(201);
      reports.push({ ref: res.json().caseRef, sealed });
    }
  }, 60_000);
  afterAll(async () => { await t?.close(); });
  const reporterView = async (i: number) =>
    (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: reports[i]!.sealed.session.authorization } })).json();
  const caseKeyOf = (detail: { keyWrap: string }, u: string) => unwrapKey(demoStaffKeyPair(u), fromB64u(detail.keyWrap));

  it('lists only own-team cases, most overdue first then newest, in keyset pages', async () => {
    const all = (await call(t.app, s['nw-bcu-psu-1']!, 'GET', '/cases')).json();
    const refs = all.cases.map((c: { caseRef: string }) => c.caseRef);
    for (const r of reports) expect(refs).toContain(r.ref);
    for (const c of all.cases) expect(c.team.id).toBe('nw-bcu-psu');
    // Demo case 1 (acknowledged, feedback clock months away) comes after the new, received ones.
    expect(all.cases[all.cases.length - 1].status).toBe('acknowledged');
    expect(all.cases[0]).toMatchObject({ status: 'received', clock: { kind: 'acknowledge', days: 7 }, unread: 0, assignedTo: null });
    const firstNew = all.cases.slice(0, 3).map((c: { caseRef: string }) => c.caseRef);
    expect(new Set(firstNew)).toEqual(new Set(reports.map((r) => r.ref)));

    const p1 = (await call(t.app, s['nw-bcu-psu-1']!, 'GET', '/cases?limit=2')).json();
    expect(p1.cases).toHaveLength(2);
    const p2 = (await call(t.app, s['nw-bcu-psu-1']!, 'GET', `/cases?limit=2&cursor=${p1.next}`)).json();
    expect([...p1.cases, ...p2.cases].map((c: { caseRef: string }) => c.caseRef)).toEqual(refs.slice(0, 4));
    expect((await call(t.app, s['dps-central-1']!, 'GET', '/cases')).json().cases.map((c: { caseRef: string }) => c.caseRef)).not.toContain(reports[0]!.ref);
  });

  it('filters by status, category, unit, assignment and overdue', async () => {
    const q = async (qs: string) => (await call(t.app, s['nw-bcu-psu-1']!, 'GET', `/cases?${qs}`)).json().cases as { caseRef: string; status: string }[];
    expect((await q('status=acknowledged')).every((c) => c.status === 'acknowledged')).toBe(true);
    expect((await q('category=social-media')).map((c) => c.caseRef)).toEqual([reports[1]!.ref]);
    expect((await q('unit=nw-response-islington')).map((c) => c.caseRef)).toEqual([reports[2]!.ref]);
    expect(await q('assigned=me')).toEqual([]);
    expect(await q('overdue=true')).toEqual([]);
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'GET', '/cases?limit=0')).statusCode).toBe(400);
  });

  it('returns only the user’s own wraps, identity only to those who may see it', async () => {
    const d1 = (await call(t.app, s['nw-bcu-psu-1']!, 'GET', `/cases/${reports[0]!.ref}`)).json();
    const pk = fromB64u(d1.reporterPk) as PublicKey;
    expect(openDoc(caseKeyOf(d1, 'nw-bcu-psu-1'), adReport(pk), d1.report, 'rc1/report').narrative).toBe('Report Quillwort one');
    expect(d1.identityWrap).toBeDefined();
    const d2 = (await call(t.app, s['nw-bcu-psu-2']!, 'GET', `/cases/${reports[0]!.ref}`)).json();
    expect(d2.keyWrap).not.toBe(d1.keyWrap);
    expect(d2.identity).toBeUndefined();
    expect(d2.identityWrap).toBeUndefined();
    expect((await call(t.app, s['dps-central-1']!, 'GET', `/cases/${reports[0]!.ref}`)).statusCode).toBe(403);
  });

  it('moves status forward only; closing needs an outcome and a message the reporter reads', async () => {
    const u = s['nw-bcu-psu-1']!;
    const ref = reports[1]!.ref;
    expect((await call(t.app, u, 'POST', `/cases/${ref}/status`, { status: 'acknowledged' })).statusCode).toBe(204);
    const back = await call(t.app, u, 'POST', `/cases/${ref}/status`, { status: 'received' });
    expect(back.json().error.code).toBe('invalid_transition');
    const d = (await call(t.app, u, 'GET', `/cases/${ref}`)).json();
    const caseKey = caseKeyOf(d, 'nw-bcu-psu-1');
    const pk = fromB64u(d.reporterPk) as PublicKey;
    const explanation = sealMessage(caseKey, pk, 'triage', 'We found no case to answer; thank you for raising it.');
    expect((await call(t.app, u, 'POST', `/cases/${ref}/status`, { status: 'closed', outcome: 'no_case_to_answer' })).statusCode).toBe(400);
    expect((await call(t.app, u, 'POST', `/cases/${ref}/status`, { status: 'closed', message: explanation })).statusCode).toBe(400);
    expect((await call(t.app, u, 'POST', `/cases/${ref}/status`, { status: 'closed', outcome: 'no_case_to_answer', message: explanation })).statusCode).toBe(201);
    const view = await reporterView(1);
    expect(view.status).toBe('closed');
    expect(view.outcome).toBe('no_case_to_answer');
    const opened = openCaseView(reports[1]!.sealed.session, view);
    expect(opened.messages.map((m) => [m.from, m.text])).toEqual([['triage', 'We found no case to answer; thank you for raising it.']]);
  });

  it('sends triage messages, tracks reads, and keeps notes from the reporter', async () => {
    const u = s['nw-bcu-psu-1']!;
    const ref = reports[0]!.ref;
    const d = (await call(t.app, u, 'GET', `/cases/${ref}`)).json();
    const caseKey = caseKeyOf(d, 'nw-bcu-psu-1');
    const pk = fromB64u(d.reporterPk) as PublicKey;
    const msg = sealMessage(caseKey, pk, 'triage', 'Hello from triage Marrowglen');
    expect((await call(t.app, u, 'POST', `/cases/${ref}/messages`, msg)).statusCode).toBe(201);
    const rview = await reporterView(0);
    const opened = openCaseView(reports[0]!.sealed.session, rview);
    expect(opened.messages.at(-1)).toMatchObject({ from: 'triage', text: 'Hello from triage Marrowglen' });
    const reply = sealMessage(opened.caseKey, reports[0]!.sealed.session.keyPair.publicKey, 'reporter', 'Reply Brackenfold');
    await postMessage(t.app, reports[0]!.sealed.session.authorization, reply);
    const unread = async () => (await call(t.app, u, 'GET', '/cases')).json().cases.find((c: { caseRef: string }) => c.caseRef === ref).unread;
    expect(await unread()).toBe(1);
    expect((await call(t.app, u, 'POST', `/cases/${ref}/read`, {})).statusCode).toBe(204);
    expect(await unread()).toBe(0);
    expect((await call(t.app, u, 'GET', `/cases/${ref}`)).json().messages.every((m: { read: boolean }) => m.read)).toBe(true);

    // internalKey: wrapped to the caller and the recovery key (and others holding the case key).
    const internalKey = generateKey();
    const r = await staffRecipients(t, { category: 'bullying', unit: 'nw-response-camden' });
    const wraps = r.recipients.map((x) => ({ recipient: x.id, sealed: toB64u(wrapKey(fromB64u(x.publicKey) as PublicKey, internalKey)) }));
    expect((await call(t.app, u, 'POST', `/cases/${ref}/internal-key`, { wraps: wraps.filter((w) => !w.recipient.startsWith('recovery')) })).statusCode).toBe(409);
    expect((await call(t.app, u, 'POST', `/cases/${ref}/internal-key`, { wraps })).statusCode).toBe(204);
    expect((await call(t.app, u, 'POST', `/cases/${ref}/internal-key`, { wraps })).json().error.code).toBe('internal_key_exists');
    const note = sealNote(internalKey, pk, { text: 'Note Thistlecombe', assessment: { iopcMandatoryReferral: false, iopcGrounds: [], severity: 'misconduct', welfareConcern: true, victimisationRisk: false } });
    expect((await call(t.app, u, 'POST', `/cases/${ref}/notes`, note)).statusCode).toBe(201);
    const d2 = (await call(t.app, s['nw-bcu-psu-2']!, 'GET', `/cases/${ref}`)).json();
    const ik = unwrapKey(demoStaffKeyPair('nw-bcu-psu-2'), fromB64u(d2.internalKeyWrap)) as SymmetricKey;
    expect(openNote(ik, pk, d2.notes[0]).text).toBe('Note Thistlecombe');
    expect(JSON.stringify(await reporterView(0))).not.toContain(note.id);
  });

  it('recusal deletes the wraps, hides the case, hands it to the lead, and is audited', async () => {
    const ref = reports[0]!.ref;
    const u = s['nw-bcu-psu-2']!;
    expect((await call(t.app, u, 'POST', `/cases/${ref}/conflict`, { knowsPeople: true })).statusCode).toBe(204);
    expect((await call(t.app, u, 'GET', `/cases/${ref}`)).statusCode).toBe(403);
    expect((await call(t.app, u, 'GET', '/cases')).json().cases.map((c: { caseRef: string }) => c.caseRef)).not.toContain(ref);
    const db = t.tdb.handle.db;
    expect(await db.selectFrom('case_keys').selectAll().where('recipient_id', '=', 'nw-bcu-psu-2').where('case_id', 'in',
      db.selectFrom('cases').select('id').where('case_ref', '=', ref)).execute()).toEqual([]);
    const d = (await call(t.app, s['nw-bcu-psu-1']!, 'GET', `/cases/${ref}`)).json();
    expect(d.assignedTo.id).toBe('nw-bcu-psu-lead');
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'case.recusal').execute();
    expect(audit.map((a) => [a.actor, a.case_ref])).toEqual([['nw-bcu-psu-2', ref]]);
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/conflict`, { knowsPeople: false })).statusCode).toBe(204);
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'GET', `/cases/${ref}`)).json().conflict).toBe('none');
  });

  it('refers to another team and assigns; the new holder opens the case key with their own key pair', async () => {
    const ref = reports[2]!.ref;
    const u = s['nw-bcu-psu-1']!;
    const d = (await call(t.app, u, 'GET', `/cases/${ref}`)).json();
    const caseKey = caseKeyOf(d, 'nw-bcu-psu-1');
    const members = (await call(t.app, u, 'GET', '/teams/dps-central/members')).json() as { id: string; publicKey: string }[];
    expect(members.map((m) => m.id)).toEqual(['dps-central-1', 'dps-central-2', 'dps-central-lead']);
    const wrapsFor = (ms: { id: string; publicKey: string }[]) => ms.map((m) => ({ recipient: m.id, kind: 'case' as const, sealed: toB64u(wrapKey(fromB64u(m.publicKey) as PublicKey, caseKey)) }));
    expect((await call(t.app, u, 'POST', `/cases/${ref}/refer`, { teamId: 'dps-central', wraps: wrapsFor(members.slice(0, 2)) })).json().error.code).toBe('recipients_changed');
    expect((await call(t.app, u, 'POST', `/cases/${ref}/refer`, { teamId: 'dps-central', wraps: wrapsFor(members) })).statusCode).toBe(204);
    // Pending until a receiving browser confirms (staff-referral.test.ts); then the sender loses access.
    const c = s['dps-central-1']!;
    expect((await call(t.app, c, 'POST', `/cases/${ref}/referral/confirm`, {})).statusCode).toBe(204);
    expect((await call(t.app, u, 'GET', `/cases/${ref}`)).statusCode).toBe(403);
    const d2 = (await call(t.app, c, 'GET', `/cases/${ref}`)).json();
    expect(d2.status).toBe('referred');
    const pk = fromB64u(d2.reporterPk) as PublicKey;
    expect(openDoc(caseKeyOf(d2, 'dps-central-1'), adReport(pk), d2.report, 'rc1/report').narrative).toBe('Report three');
    const assign = await call(t.app, c, 'POST', `/cases/${ref}/assign`, { staffId: 'dps-central-2', wraps: wrapsFor([members[1]!]) });
    expect(assign.statusCode).toBe(204);
    expect((await call(t.app, c, 'GET', `/cases/${ref}`)).json().assignedTo.id).toBe('dps-central-2');
    expect((await call(t.app, c, 'POST', `/cases/${ref}/assign`, { staffId: 'nw-bcu-psu-1', wraps: wrapsFor([members[1]!]) })).statusCode).toBe(400);
  });

  it('stores no plaintext and no raw staff secret key; logs no secrets', async () => {
    const db = t.tdb.handle.db;
    const tables = ['staff', 'cases', 'case_keys', 'messages', 'notes', 'internal_keys', 'audit_log', 'staff_sessions', 'staff_session_seen', 'case_history'] as const;
    let dump = '';
    for (const table of tables) dump += JSON.stringify(await db.selectFrom(table).selectAll().execute());
    for (const word of ['Quillwort', 'Marrowglen', 'Brackenfold', 'Thistlecombe', 'Report three']) expect(dump).not.toContain(word);
    for (const u of USERS) {
      expect(dump).not.toContain(toB64u(demoStaffKeyPair(u).secretKey));
      expect(dump).not.toContain((await secretsOf(u)).loginSecret);
      expect(dump).not.toContain(s[u]!.cookie.split('=')[1]);
      expect(dump).not.toContain(s[u]!.csrf);
    }
    const logs = t.logs.join('');
    expect(logs).toContain('/api/v1/staff/auth/login');
    for (const u of USERS) {
      for (const secret of [(await secretsOf(u)).loginSecret, s[u]!.cookie.split('=')[1]!, s[u]!.csrf]) expect(logs).not.toContain(secret);
    }
    for (const bad of ['127.0.0.1', 'totp', 'cookie', 'x-csrf-token']) expect(logs.toLowerCase()).not.toContain(bad);
  });
});
