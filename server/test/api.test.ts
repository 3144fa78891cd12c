// The reporter API, end to end through app.inject(), on every dialect; the
// round trip's triage side goes through the staff API as a signed-in officer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStaffKeyPair } from '../../seeds/demo.ts';
import {
  fromB64u, generateKeyPair, openCaseView, openMessage, reporterSession, sealMessage, toB64u, unwrapKey, type PublicKey,
} from '../../shared/src/crypto/index.ts';
import type { CaseView } from '../../shared/src/api/schemas.ts';
import type { StaffCaseView } from '../../shared/src/api/staff.ts';
import { buildApp } from '../src/app.ts';
import { dialects } from './databases.ts';
import { makeApp, postMessage, postReport, recipients, staffRecipients, sealFor, TEST_POW, TEST_SECRET, TODAY, type TestApp } from './helpers.ts';
import { call, Clock, signIn } from './staff-helpers.ts';

/** A demo PSU officer for North West BCU, where a bullying report from nw-cid is routed. */
const OFFICER = 'nw-bcu-psu-1';

describe.each(dialects)('reporter API on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  // The day the app stamps on history and messages; the round trip moves it to tell the steps apart.
  let day = TODAY;
  beforeAll(async () => { t = await makeApp(dialect, { signIn: [OFFICER], now: clock.now, today: () => day }); }, 60_000);
  afterAll(async () => { await t?.close(); });

  it('lists intake data with routing and limits', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/intake' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.v).toBe(2);
    expect(body.categories.find((c: { id: string }) => c.id === 'domestic-abuse')).toMatchObject({ label: 'Domestic abuse by a colleague', team: 'dps-smda' });
    expect(body.units.find((u: { id: string }) => u.id === 'nw-response-camden')).toMatchObject({ command: 'nw-bcu', commandLabel: 'North West BCU' });
    expect(body.routing.centralTeam).toBe('dps-central');
    expect(body.routing.commandPsu['nw-bcu']).toBe('nw-bcu-psu');
    expect(body.limits.reportPaddedMax).toBe(256 * 1024);
  });

  it('lists the routed team’s recipients with the recovery key last', async () => {
    const r = await staffRecipients(t, { category: 'bullying', unit: 'cs-response-lambeth' });
    expect(r.team.id).toBe('cs-bcu-psu');
    // On the wire the ids are opaque: certificate subjects, never usernames.
    const wire = await recipients(t.app, { category: 'bullying', unit: 'cs-response-lambeth' });
    expect(wire.recipients.filter((x) => x.kind === 'staff').every((x) => /^k[A-Za-z0-9_-]{16}$/.test(x.id))).toBe(true);
    expect(wire.recipients.map((x) => x.chain.length)).toEqual([2, 2, 2, 1]);
    // Two officers and the team's lead (demo), then the recovery key.
    expect(r.recipients.map((x) => [x.id, x.kind])).toEqual([
      ['cs-bcu-psu-1', 'staff'], ['cs-bcu-psu-2', 'staff'], ['cs-bcu-psu-lead', 'staff'], [expect.stringMatching(/^recovery-/), 'recovery'],
    ]);
    expect(r.recipients.map((x) => x.seesIdentity)).toEqual([true, false, true, true]);
    expect((await recipients(t.app, { category: 'bullying', unit: 'cs-response-lambeth', avoidOwnUnit: true })).team.id).toBe('dps-central');
    expect((await recipients(t.app, { category: 'sexual-misconduct', unit: 'cs-response-lambeth' })).team.id).toBe('dps-smda');
  });

  it('refuses unknown categories, units and query fields', async () => {
    const get = (q: string) => t.app.inject({ method: 'GET', url: `/api/v1/intake/recipients?${q}` });
    expect((await get('category=nope')).json().error.code).toBe('unknown_category');
    expect((await get('category=bullying&unit=nope')).json().error.code).toBe('unknown_unit');
    const extra = await get('category=bullying&x=1');
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.code).toBe('invalid_request');
    expect((await get('category=bullying&avoidOwnUnit=yes')).statusCode).toBe(400);
  });

  it('takes a sealed report, lets the reporter read it back and talk to triage', async () => {
    const { body, session } = await sealFor(t.app, {
      mode: 'named', category: 'bullying', unit: 'nw-cid',
      report: { narrative: 'The round trip narrative.' }, identity: { name: 'A. Reporter', role: 'PC' },
    });
    const res = await postReport(t.app, body);
    expect(res.statusCode).toBe(201);
    const { caseRef, receivedOn } = res.json();
    expect(caseRef).toMatch(/^RC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(receivedOn).toBe(TODAY);

    const get = () => t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: session.authorization } });
    let view: CaseView = (await get()).json();
    expect(view).toMatchObject({ caseRef, status: 'received', history: [{ status: 'received', on: TODAY }], messages: [] });
    expect(view.due).toEqual({ acknowledge: '2026-01-22', feedback: '2026-04-15' });
    expect(view.outcome).toBeUndefined();
    const opened = openCaseView(session, view);
    expect(opened.report!.narrative).toBe('The round trip narrative.');
    expect(opened.identity?.name).toBe('A. Reporter');

    const msg = sealMessage(opened.caseKey, session.keyPair.publicKey, 'reporter', 'Hello triage');
    const post = await postMessage(t.app, session.authorization, msg);
    expect(post.statusCode).toBe(201);
    expect(post.json()).toEqual({ id: msg.id, on: TODAY, receipt: expect.objectContaining({ kind: 'message', caseRef, receivedOn: TODAY }) });
    const again = await postMessage(t.app, session.authorization, msg);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('message_exists');

    // Triage side, as the routed officer would in the browser: sign in, open the
    // case key from their own wrap, read the reporter's message, reply, close.
    try {
      const officer = await signIn(t.app, clock, OFFICER);
      const detailRes = await call(t.app, officer, 'GET', `/cases/${caseRef}`);
      expect(detailRes.statusCode).toBe(200);
      const detail = detailRes.json() as StaffCaseView;
      expect(detail.team.id).toBe('nw-bcu-psu');
      const caseKey = unwrapKey(demoStaffKeyPair(OFFICER), fromB64u(detail.keyWrap));
      const reporterPk = fromB64u(detail.reporterPk) as PublicKey;
      expect(detail.messages.map((m) => openMessage(caseKey, reporterPk, m).text)).toEqual(['Hello triage']);

      day = '2026-01-16';
      const reply = sealMessage(caseKey, reporterPk, 'triage', 'Thank you, we are on it');
      const sent = await call(t.app, officer, 'POST', `/cases/${caseRef}/messages`, reply);
      expect(sent.statusCode).toBe(201);
      expect(sent.json()).toEqual({ id: reply.id, on: '2026-01-16', receipt: expect.objectContaining({ kind: 'message', caseRef, receivedOn: '2026-01-16' }) });

      day = '2026-02-01';
      const explanation = sealMessage(caseKey, reporterPk, 'triage', 'A manager has spoken to the officer concerned.');
      const closed = await call(t.app, officer, 'POST', `/cases/${caseRef}/status`, { status: 'closed', outcome: 'management_action', message: explanation });
      // The explanation is filed like any message to the reporter: with its receipt, for the day it was stored.
      expect(closed.statusCode).toBe(201);
      expect(closed.json()).toEqual({ id: explanation.id, on: '2026-02-01', receipt: expect.objectContaining({ kind: 'message', caseRef, receivedOn: '2026-02-01' }) });
    } finally {
      day = TODAY;
    }

    view = (await get()).json();
    expect(view.status).toBe('closed');
    expect(view.outcome).toBe('management_action');
    expect(view.history).toEqual([{ status: 'received', on: TODAY }, { status: 'closed', on: '2026-02-01' }]);
    expect(openCaseView(session, view).messages.map((m) => [m.from, m.on, m.text])).toEqual([
      ['reporter', TODAY, 'Hello triage'],
      ['triage', '2026-01-16', 'Thank you, we are on it'],
      ['triage', '2026-02-01', 'A manager has spoken to the officer concerned.'],
    ]);

    // A closed case still hears from its reporter (victimisation after closure).
    const late = sealMessage(opened.caseKey, session.keyPair.publicKey, 'reporter', 'Since closing, I am being frozen out');
    expect((await postMessage(t.app, session.authorization, late)).statusCode).toBe(201);
  });

  it('caps messages per case', async () => {
    const capped = await buildApp({ db: t.tdb.handle.db, clientDist: null, today: () => TODAY, messagesPerCaseMax: 1, secret: TEST_SECRET, pow: TEST_POW });
    try {
      const { body, session } = await sealFor(capped);
      expect((await postReport(capped, body)).statusCode).toBe(201);
      const view = (await capped.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: session.authorization } })).json();
      const { caseKey } = openCaseView(session, view);
      const send = () => postMessage(capped, session.authorization, sealMessage(caseKey, session.keyPair.publicKey, 'reporter', 'x'));
      expect((await send()).statusCode).toBe(201);
      const over = await send();
      expect(over.statusCode).toBe(409);
      expect(over.json().error.code).toBe('too_many_messages');
    } finally {
      await capped.close();
    }
  });

  it('answers an unknown and a malformed access key identically', async () => {
    const unknown = `Case ${toB64u(generateKeyPair().publicKey)}`;
    const answers = await Promise.all(
      [unknown, 'Case !!!', 'Bearer abc', `Case ${toB64u(new Uint8Array(31))}`, ''].map((authorization) =>
        t.app.inject({ method: 'GET', url: '/api/v1/case', headers: authorization ? { authorization } : {} })),
    );
    for (const a of answers) {
      expect(a.statusCode).toBe(404);
      expect(a.body).toBe(answers[0]!.body);
    }
    expect(answers[0]!.json().error.code).toBe('case_not_found');
    const post = await postMessage(t.app, unknown, { id: toB64u(new Uint8Array(16)), nonce: toB64u(new Uint8Array(24)), ct: toB64u(new Uint8Array(1041)) });
    expect(post.statusCode).toBe(404);
    expect(post.body).toBe(answers[0]!.body);
  });

  it('opens the demo cases for their tokens', async () => {
    const { demoCaseToken } = await import('../../seeds/demo.ts');
    const session = reporterSession(demoCaseToken(1));
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: session.authorization } });
    expect(res.statusCode).toBe(200);
    const opened = openCaseView(session, res.json());
    expect(opened.report!.narrative).toContain('Synthetic demo report');
    expect(opened.messages[0]?.from).toBe('triage');
    expect(opened.messages[0]?.text).toContain('Thank you');
  });
});
