// Closed cases stay reachable: a reporter message after closure brings the
// case back into the open tab, flagged; the team reads and replies on the
// closed case; a lead (only) reopens it with a sealed reason, audited by ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStaffKeyPair } from '../../seeds/demo.ts';
import {
  fromB64u, generateKey, openCaseView, sealMessage, toB64u, unwrapKey, wrapKey, type PublicKey, type SymmetricKey,
} from '../../shared/src/crypto/index.ts';
import { openNote, sealNote } from '../../shared/src/crypto/staff.ts';
import { addMonths, daysBetween } from '../../shared/src/domain/clock.ts';
import { dialects } from './databases.ts';
import { makeApp, postReport, staffRecipients, rowCounts, sealFor, TODAY, type Sealed, type TestApp, postMessage } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

const USERS = ['nw-bcu-psu-1', 'nw-bcu-psu-lead'];
type Item = { caseRef: string; status: string; messageOnClosed: boolean; lastActivityOn: string; clock: { kind: string | null; days: number } };

describe.each(dialects)('closed cases on $name', (dialect) => {
  let t: TestApp;
  let day = TODAY;
  const clock = new Clock();
  const s: Record<string, Session> = {};
  let sealed: Sealed;
  let ref = '';
  let other = '';
  let caseKey: SymmetricKey;
  let pk: PublicKey;
  let internalKey: SymmetricKey;
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: USERS, now: clock.now, today: () => day });
    for (const u of USERS) s[u] = await signIn(t.app, clock, u);
    sealed = await sealFor(t.app, { mode: 'anonymous', category: 'bullying', unit: 'nw-response-camden', report: { narrative: 'Closed case Wendleby' } });
    ref = (await postReport(t.app, sealed.body)).json().caseRef;
    other = (await postReport(t.app, (await sealFor(t.app)).body)).json().caseRef;
    const u = s['nw-bcu-psu-1']!;
    const d = (await call(t.app, u, 'GET', `/cases/${ref}`)).json();
    caseKey = unwrapKey(demoStaffKeyPair('nw-bcu-psu-1'), fromB64u(d.keyWrap)) as SymmetricKey;
    pk = fromB64u(d.reporterPk) as PublicKey;
    internalKey = generateKey() as SymmetricKey;
    const r = await staffRecipients(t, { category: 'bullying', unit: 'nw-response-camden' });
    const wraps = r.recipients.map((x) => ({ recipient: x.id, sealed: toB64u(wrapKey(fromB64u(x.publicKey) as PublicKey, internalKey)) }));
    expect((await call(t.app, u, 'POST', `/cases/${ref}/internal-key`, { wraps })).statusCode).toBe(204);
    const explanation = sealMessage(caseKey, pk, 'triage', 'Closed with words advice.');
    const closed = await call(t.app, u, 'POST', `/cases/${ref}/status`, { status: 'closed', outcome: 'management_action', message: explanation });
    expect(closed.statusCode).toBe(201);
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  const auth = () => ({ authorization: sealed.session.authorization });
  const reporterView = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: auth() })).json();
  const reporterWrites = async (text: string) => {
    const opened = openCaseView(sealed.session, await reporterView());
    const m = sealMessage(opened.caseKey, sealed.session.keyPair.publicKey, 'reporter', text);
    expect((await postMessage(t.app, auth().authorization, m)).statusCode).toBe(201);
  };
  const list = async (u: string, qs = '') => (await call(t.app, s[u]!, 'GET', `/cases?${qs}`)).json() as { cases: Item[]; counts: { open: number; closed: number } };
  const item = async (qs: string) => (await list('nw-bcu-psu-1', qs)).cases.find((c) => c.caseRef === ref);

  it('a reporter message on a closed case puts it in the open tab, flagged, ahead of overdue work', async () => {
    expect(await item('tab=open')).toBeUndefined();
    expect(await item('tab=closed')).toMatchObject({ status: 'closed', messageOnClosed: false, clock: { kind: null } });
    const before = await list('nw-bcu-psu-1', 'tab=open');
    day = '2026-02-01';
    await reporterWrites('They moved me off the rota Oakhurst');
    const open = await list('nw-bcu-psu-1', 'tab=open');
    const refs = open.cases.map((c) => c.caseRef);
    expect(open.cases.find((c) => c.caseRef === ref)).toMatchObject({ status: 'closed', messageOnClosed: true, lastActivityOn: '2026-02-01' });
    // It heads the due order: before every open case, the other one's overdue acknowledgement (22 Jan) included.
    expect(refs[0]).toBe(ref);
    expect(refs).toContain(other);
    expect(open.counts).toEqual({ open: before.counts.open + 1, closed: before.counts.closed - 1 });
    expect(await item('tab=closed')).toBeUndefined();
  });

  it('the team reads the message and replies on the closed case; the reply clears the flag', async () => {
    const u = s['nw-bcu-psu-1']!;
    const d = (await call(t.app, u, 'GET', `/cases/${ref}`)).json();
    expect(d.status).toBe('closed');
    const last = d.messages.at(-1);
    expect(last).toMatchObject({ from: 'reporter', on: '2026-02-01', read: false });
    const reply = sealMessage(caseKey, pk, 'triage', 'We are looking at this Pellwater');
    expect((await call(t.app, u, 'POST', `/cases/${ref}/messages`, reply)).statusCode).toBe(201);
    const opened = openCaseView(sealed.session, await reporterView());
    expect(opened.messages.map((m) => m.text)).toContain('They moved me off the rota Oakhurst');
    expect(opened.messages.at(-1)).toMatchObject({ from: 'triage', text: 'We are looking at this Pellwater' });
    expect(await item('tab=open')).toBeUndefined();
    expect(await item('tab=closed')).toMatchObject({ messageOnClosed: false });
  });

  it('only a lead reopens, with a sealed reason; bad input changes nothing', async () => {
    day = '2026-02-03';
    await reporterWrites('It happened again');
    const note = sealNote(internalKey, pk, { text: 'Reopened: victimisation after closure Larkmead' });
    const before = await rowCounts(t);
    const officer = await call(t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/reopen`, { note });
    expect(officer.statusCode).toBe(403);
    expect(officer.json().error.code).toBe('forbidden');
    const lead = s['nw-bcu-psu-lead']!;
    for (const body of [{}, { note: { ...note, ct: 'x' } }, { note, reason: 'text' }, { note: { ...note, id: 'short' } }]) {
      const res = await call(t.app, lead, 'POST', `/cases/${ref}/reopen`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBeTypeOf('string');
    }
    expect(await rowCounts(t)).toEqual(before);
    expect(await t.tdb.handle.db.selectFrom('notes').select('id').execute()).toEqual([]);
    expect((await reporterView()).status).toBe('closed');
    expect(await t.tdb.handle.db.selectFrom('audit_log').select('seq').where('action', '=', 'case.reopen').execute()).toEqual([]);
  });

  it('a lead reopens: assessing, dated, outcome cleared, feedback clock restarted, note stored, audited by ids', async () => {
    const lead = s['nw-bcu-psu-lead']!;
    const note = sealNote(internalKey, pk, { text: 'Reopened: victimisation after closure Larkmead' });
    expect((await call(t.app, lead, 'POST', `/cases/${ref}/reopen`, { note })).statusCode).toBe(204);
    const d = (await call(t.app, lead, 'GET', `/cases/${ref}`)).json();
    expect(d.status).toBe('assessing');
    expect(d.outcome).toBeUndefined();
    // Each entry also names who acted (the officer who closed, the lead who reopened): the team's trail.
    expect(d.history.slice(-2)).toEqual([
      { status: 'closed', on: TODAY, by: { id: 'nw-bcu-psu-1', displayName: expect.any(String) } },
      { status: 'assessing', on: '2026-02-03', by: { id: 'nw-bcu-psu-lead', displayName: expect.any(String) } },
    ]);
    expect(d.due.feedback).toBe(addMonths('2026-02-03', 3));
    const ik = unwrapKey(demoStaffKeyPair('nw-bcu-psu-lead'), fromB64u(d.internalKeyWrap)) as SymmetricKey;
    expect(openNote(ik, pk, d.notes.at(-1)).text).toBe('Reopened: victimisation after closure Larkmead');
    const it = await item('tab=open');
    expect(it).toMatchObject({ status: 'assessing', messageOnClosed: false, lastActivityOn: '2026-02-03' });
    expect(it!.clock).toEqual({ kind: 'feedback', days: daysBetween('2026-02-03', addMonths('2026-02-03', 3)) });
    const audit = await t.tdb.handle.db.selectFrom('audit_log').selectAll().where('action', '=', 'case.reopen').execute();
    expect(audit.map((a) => [a.actor, a.case_ref, JSON.parse(a.detail)])).toEqual([['nw-bcu-psu-lead', ref, { from: 'closed', to: 'assessing', noteId: note.id }]]);
    expect(JSON.stringify(audit)).not.toContain('Larkmead');
    const view = await reporterView();
    expect(view).toMatchObject({ status: 'assessing', due: { feedback: addMonths('2026-02-03', 3) } });
    expect(view.outcome).toBeUndefined();
    expect(JSON.stringify(view)).not.toContain(note.id);
    const again = await call(t.app, lead, 'POST', `/cases/${ref}/reopen`, { note: sealNote(internalKey, pk, { text: 'again' }) });
    expect(again.json().error.code).toBe('invalid_transition');
  });
});
