// Asking for advice before reporting, turning it into a report, welfare requests and the support
// list (issue #14), end to end with real sealing, on both dialects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStaffKeyPair } from '../../seeds/demo.ts';
import type { RecipientsInfo } from '../../shared/src/api/schemas.ts';
import {
  DEMO_ORG_LABEL, demoSigningKeyPair, fromB64u, openCaseView, openDoc, adAdvice, adIdentity, adReport, POW_HEADER, reporterSession,
  sealAdvice, sealConversion, sealMessage, unwrapKey, type PublicKey, type ReporterSession,
} from '../../shared/src/crypto/index.ts';
import { auditEntries, verifyAudit } from '../src/audit/log.ts';
import { caseFactsThrough, stats } from '../src/oversight/service.ts';
import { dialects } from './databases.ts';
import { makeApp, stamp, TODAY, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

const USERS = ['nw-bcu-psu-1', 'nw-bcu-psu-2', 'dps-central-1', 'admin-demo'];
const QUESTION = 'Is it serious enough Thistlewick mentioned the overtime sheets?';
const NARRATIVE = 'The overtime sheets Gorsebrook signed were false.';

describe.each(dialects)('advice and support on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  const s: Record<string, Session> = {};
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: USERS, now: clock.now });
    for (const u of USERS) s[u] = await signIn(t.app, clock, u);
    // Reachable for notifications (an address), so the new-advice and welfare events have someone to go to.
    await t.tdb.handle.db.updateTable('staff').set({ email: 'officer@demo.invalid' }).where('id', 'in', ['nw-bcu-psu-1', 'dps-central-1']).execute();
  }, 60_000);
  afterAll(async () => { await t?.close(); });
  const db = () => t.tdb.handle.db;

  const adviceRecipients = async (command?: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/intake/advice-recipients${command ? `?command=${command}` : ''}` });
    return res;
  };
  async function ask(question: string, command?: string): Promise<{ ref: string; session: ReporterSession }> {
    const info = (await adviceRecipients(command)).json<RecipientsInfo>();
    const { token, body } = sealAdvice({ question }, command, info, demoSigningKeyPair(DEMO_ORG_LABEL).publicKey);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/advice', payload: body, headers: { [POW_HEADER]: await stamp(t.app) } });
    expect(res.statusCode).toBe(201);
    return { ref: res.json().caseRef, session: reporterSession(token) };
  }
  const reporter = (session: ReporterSession, method: 'GET' | 'POST', url: string, payload?: object, pow?: string) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: { authorization: session.authorization, ...(pow ? { [POW_HEADER]: pow } : {}) }, ...(payload ? { payload } : {}) });
  const caseRow = (ref: string) => db().selectFrom('cases').selectAll().where('case_ref', '=', ref).executeTakeFirstOrThrow();

  it('routes advice to the named command’s PSU or to the central team', async () => {
    expect((await adviceRecipients('nw-bcu')).json().team.id).toBe('nw-bcu-psu');
    expect((await adviceRecipients()).json().team.id).toBe('dps-central');
    const bad = await adviceRecipients('no-such-command');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('unknown_command');
  });

  it('needs a stamp, stores only ciphertext, opens no case and notifies the team (batched)', async () => {
    const info = (await adviceRecipients('nw-bcu')).json<RecipientsInfo>();
    const { body } = sealAdvice({ question: QUESTION }, 'nw-bcu', info, demoSigningKeyPair(DEMO_ORG_LABEL).publicKey);
    const before = await db().selectFrom('cases').select('id').execute();
    const noStamp = await t.app.inject({ method: 'POST', url: '/api/v1/advice', payload: body });
    expect(noStamp.statusCode).toBe(428);
    expect(await db().selectFrom('cases').select('id').execute()).toHaveLength(before.length);

    const { ref, session } = await ask(QUESTION, 'nw-bcu');
    const row = await caseRow(ref);
    expect(row).toMatchObject({ kind: 'advice', category_id: null, report_ct: null, unit_id: null, team_id: 'nw-bcu-psu', received_on: TODAY });
    let dump = '';
    for (const table of ['cases', 'case_keys', 'case_history', 'messages', 'audit_log', 'notification_events'] as const) {
      dump += JSON.stringify(await db().selectFrom(table).selectAll().execute());
    }
    expect(dump).toContain(ref);
    expect(dump).not.toContain('Thistlewick');

    const view = (await reporter(session, 'GET', '/case')).json();
    expect(view).toMatchObject({ kind: 'advice', caseRef: ref, welfare: { requested: false, supportOffered: false } });
    expect(view.report).toBeUndefined();
    expect(openCaseView(session, view).advice?.question).toBe(QUESTION);

    const events = await db().selectFrom('notification_events').selectAll().where('kind', '=', 'new_advice').execute();
    expect(events.map((e) => e.staff_id)).toEqual(['nw-bcu-psu-1']);
    // Reporter-caused: batched into a slot (a whole minute in the future), never sent at the moment it was asked.
    for (const e of events) expect(Number(e.send_at_ms) % 60_000 === 0 && Number(e.send_at_ms) > clock.now()).toBe(true);
    // A reporter's own step leaves no audit entry: the log's seq would time it against staff actions.
    expect(await auditEntries(db(), { caseRef: ref })).toEqual([]);
  });

  it('shows advice in the inbox as Advice with a 7-day reply clock, filterable, and refuses status and outcome', async () => {
    const { ref } = await ask('Who would see my name?', 'nw-bcu');
    const officer = s['nw-bcu-psu-1']!;
    const item = (await call(t.app, officer, 'GET', '/cases?kind=advice')).json().cases.find((c: { caseRef: string }) => c.caseRef === ref);
    expect(item).toMatchObject({ kind: 'advice', category: null, clock: { kind: 'advice', days: 7 }, welfareRequested: false });
    const reports = (await call(t.app, officer, 'GET', '/cases?kind=report')).json().cases;
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.every((c: { kind: string }) => c.kind === 'report')).toBe(true);

    const before = await caseRow(ref);
    for (const body of [{ status: 'acknowledged' }, { status: 'assessing' }]) {
      const res = await call(t.app, officer, 'POST', `/cases/${ref}/status`, body);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('advice_not_case');
    }
    const detail = (await call(t.app, officer, 'GET', `/cases/${ref}`)).json();
    const key = unwrapKey(demoStaffKeyPair('nw-bcu-psu-1'), fromB64u(detail.keyWrap));
    const closing = await call(t.app, officer, 'POST', `/cases/${ref}/status`, {
      status: 'closed', outcome: 'no_case_to_answer', message: sealMessage(key, fromB64u(detail.reporterPk) as PublicKey, 'triage', 'closing'),
    });
    expect(closing.json().error.code).toBe('advice_not_case');
    expect(await caseRow(ref)).toEqual(before);
    expect(await db().selectFrom('messages').select('id').where('case_id', '=', before.id).execute()).toHaveLength(0);
  });

  it('is answered through the channel, and a reporter question restarts the reply clock', async () => {
    const { ref, session } = await ask('What would happen if I reported?');
    const officer = s['dps-central-1']!;
    const detail = (await call(t.app, officer, 'GET', `/cases/${ref}`)).json();
    expect(detail).toMatchObject({ kind: 'advice', category: null, adviceDue: '2026-01-22' });
    const key = unwrapKey(demoStaffKeyPair('dps-central-1'), fromB64u(detail.keyWrap));
    const pk = fromB64u(detail.reporterPk) as PublicKey;
    expect(openDoc(key, adAdvice(pk), detail.advice, 'rc1/advice').question).toBe('What would happen if I reported?');
    const answer = sealMessage(key, pk, 'triage', 'It would be assessed by our team first.');
    expect((await call(t.app, officer, 'POST', `/cases/${ref}/messages`, answer)).statusCode).toBe(201);
    const answered = (await call(t.app, officer, 'GET', '/cases?kind=advice')).json().cases.find((c: { caseRef: string }) => c.caseRef === ref);
    expect(answered.clock).toEqual({ kind: null, days: 0 });

    const opened = openCaseView(session, (await reporter(session, 'GET', '/case')).json());
    expect(opened.messages.map((m) => m.text)).toEqual(['It would be assessed by our team first.']);
    const more = sealMessage(opened.caseKey, session.keyPair.publicKey, 'reporter', 'Thank you, one more question.');
    expect((await reporter(session, 'POST', '/case/messages', more, await stamp(t.app))).statusCode).toBe(201);
    expect((await caseRow(ref)).next_due_on).toBe('2026-01-22');
  });

  it('takes a welfare request (flagged, notified, idempotent) and records support offered', async () => {
    const { ref, session } = await ask('I am struggling with this.', 'nw-bcu');
    expect((await reporter(session, 'POST', '/case/welfare')).statusCode).toBe(428);
    expect((await reporter(session, 'POST', '/case/welfare', {}, await stamp(t.app))).statusCode).toBe(204);
    expect((await reporter(session, 'POST', '/case/welfare', {}, await stamp(t.app))).statusCode).toBe(204);
    expect(await auditEntries(db(), { caseRef: ref })).toEqual([]);
    const welfareEvents = await db().selectFrom('notification_events').selectAll().where('kind', '=', 'welfare_request').execute();
    expect(welfareEvents.map((e) => e.staff_id)).toEqual(['nw-bcu-psu-1']);
    for (const e of welfareEvents) expect(Number(e.send_at_ms) > clock.now()).toBe(true);
    expect((await reporter(session, 'GET', '/case')).json().welfare).toEqual({ requested: true, supportOffered: false });

    const officer = s['nw-bcu-psu-1']!;
    // Answered or not, an open welfare request is open work.
    expect((await call(t.app, officer, 'GET', '/cases?welfare=true&tab=open')).json().cases.map((c: { caseRef: string }) => c.caseRef)).toEqual([ref]);
    const flagged = (await call(t.app, officer, 'GET', '/cases?welfare=true')).json().cases;
    expect(flagged.map((c: { caseRef: string }) => c.caseRef)).toEqual([ref]);
    expect(flagged[0].welfareRequested).toBe(true);
    expect((await call(t.app, officer, 'GET', `/cases/${ref}`)).json().welfare).toEqual({ requestedOn: TODAY, offeredOn: null });

    expect((await call(t.app, officer, 'POST', `/cases/${ref}/support-offered`, {})).statusCode).toBe(204);
    expect((await call(t.app, officer, 'GET', `/cases/${ref}`)).json().welfare).toEqual({ requestedOn: null, offeredOn: TODAY });
    expect((await call(t.app, officer, 'GET', '/cases?welfare=true')).json().cases).toEqual([]);
    expect((await reporter(session, 'GET', '/case')).json().welfare).toEqual({ requested: false, supportOffered: true });
    const offered = await auditEntries(db(), { action: 'case.support_offered', caseRef: ref });
    expect(offered).toHaveLength(1);
    expect(offered[0]!.actor).toBe('nw-bcu-psu-1');
    // Someone outside the team cannot.
    expect((await call(t.app, s['dps-central-1']!, 'POST', `/cases/${ref}/support-offered`, {})).statusCode).toBe(403);
  });

  it('turns advice into a report, keeping the thread, once only', async () => {
    const { ref, session } = await ask('Should I report this?', 'nw-bcu');
    const officer = s['nw-bcu-psu-1']!;
    const d0 = (await call(t.app, officer, 'GET', `/cases/${ref}`)).json();
    const key = unwrapKey(demoStaffKeyPair('nw-bcu-psu-1'), fromB64u(d0.keyWrap));
    const pk = fromB64u(d0.reporterPk) as PublicKey;
    expect((await call(t.app, officer, 'POST', `/cases/${ref}/messages`, sealMessage(key, pk, 'triage', 'Yes, please do.'))).statusCode).toBe(201);

    const opened = openCaseView(session, (await reporter(session, 'GET', '/case')).json());
    const body = sealConversion(opened.caseKey, session.keyPair.publicKey, { category: 'corruption', unit: 'nw-cid', report: { narrative: NARRATIVE } });
    const badCategory = await reporter(session, 'POST', '/case/convert', { ...body, category: 'no-such' }, await stamp(t.app));
    expect(badCategory.json().error.code).toBe('unknown_category');
    expect((await caseRow(ref)).kind).toBe('advice');
    expect((await reporter(session, 'POST', '/case/convert', body)).statusCode).toBe(428);

    const res = await reporter(session, 'POST', '/case/convert', body, await stamp(t.app));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ caseRef: ref, convertedOn: TODAY });
    const again = await reporter(session, 'POST', '/case/convert', body, await stamp(t.app));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_report');

    const row = await caseRow(ref);
    expect(row).toMatchObject({ kind: 'report', category_id: 'corruption', unit_id: 'nw-cid', converted_on: TODAY, status: 'received' });
    expect(JSON.stringify(row)).not.toContain('Gorsebrook');
    const view = openCaseView(session, (await reporter(session, 'GET', '/case')).json());
    expect(view.report?.narrative).toBe(NARRATIVE);
    expect(view.advice?.question).toBe('Should I report this?');
    expect(view.messages.map((m) => m.text)).toEqual(['Yes, please do.']);

    const d1 = (await call(t.app, officer, 'GET', `/cases/${ref}`)).json();
    expect(d1).toMatchObject({ kind: 'report', convertedOn: TODAY, category: { id: 'corruption' } });
    expect(openDoc(key, adReport(pk), d1.report, 'rc1/report').narrative).toBe(NARRATIVE);
    expect(openDoc(key, adAdvice(pk), d1.advice, 'rc1/advice').question).toBe('Should I report this?');
    const item = (await call(t.app, officer, 'GET', '/cases?kind=report')).json().cases.find((c: { caseRef: string }) => c.caseRef === ref);
    expect(item).toMatchObject({ kind: 'report', clock: { kind: 'acknowledge', days: 7 } });
    // Now a case: status changes are allowed.
    expect((await call(t.app, officer, 'POST', `/cases/${ref}/status`, { status: 'acknowledged' })).statusCode).toBe(204);
    // Staff actions on it are audited as ever; the reporter's conversion is not (its day is on the row).
    expect((await auditEntries(db(), { caseRef: ref })).map((e) => e.action)).not.toContain('advice.convert');
    expect((await auditEntries(db(), { caseRef: ref })).map((e) => e.action)).toContain('case.status');
    expect((await verifyAudit(db())).ok).toBe(true);
    // Oversight's timeliness runs the report's promises from the day it became a report, not from the question.
    await db().updateTable('cases').set({ received_on: '2025-11-03' }).where('case_ref', '=', ref).execute();
    const fact = (await caseFactsThrough(db(), '2099-12-31')).find((f) => f.id === row.id);
    expect(fact).toMatchObject({ receivedOn: TODAY, ack: TODAY });
    await db().updateTable('cases').set({ received_on: row.received_on }).where('case_ref', '=', ref).execute();
  });

  it('counts advice requests apart from reports in oversight, suppressed like the rest', async () => {
    // Next month, so this month (with every request above) has ended.
    const s1 = await stats(db(), '2026-02-10');
    const asked = await db().selectFrom('cases').select(['kind', 'converted_on']).where('advice_ct', 'is not', null).execute();
    expect(asked).toHaveLength(5);
    expect(s1.advice.total).toBe(asked.length);
    expect(s1.advice.converted).toBe('<5');
    const reportsNow = await db().selectFrom('cases').select('id').where('kind', '=', 'report').where('received_on', '<=', '2026-01-31').execute();
    expect(s1.total === '<5' ? reportsNow.length < 5 : s1.total === reportsNow.length).toBe(true);
    // Four to the North West PSU, one to the central team: both small, both shown '<5'.
    expect(s1.advice.byTeam.find((x) => x.id === 'nw-bcu-psu')?.count).toBe('<5');
    expect(s1.advice.byTeam.find((x) => x.id === 'dps-central')?.count).toBe('<5');
    // This month has not ended yet: nothing of it shows.
    expect((await stats(db(), TODAY)).advice.total).toBe(0);
  });

  // After the oversight count above, which counts the advice requests asked so far.
  it('turns advice into a named report: the name sealed to the team’s identity holders, the thread kept', async () => {
    const { ref, session } = await ask('Can I give my name?', 'nw-bcu');
    const officer = s['nw-bcu-psu-1']!;
    const d0 = (await call(t.app, officer, 'GET', `/cases/${ref}`)).json();
    const key = unwrapKey(demoStaffKeyPair('nw-bcu-psu-1'), fromB64u(d0.keyWrap));
    const pk = fromB64u(d0.reporterPk) as PublicKey;
    expect((await call(t.app, officer, 'POST', `/cases/${ref}/messages`, sealMessage(key, pk, 'triage', 'You can.'))).statusCode).toBe(201);

    // The team the case is with, for the reporter only.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/case/recipients' })).json().error.code).toBe('case_not_found');
    const info = (await reporter(session, 'GET', '/case/recipients')).json<RecipientsInfo>();
    expect(info.team.id).toBe('nw-bcu-psu');
    expect(JSON.stringify(info)).not.toContain('nw-bcu-psu-1');
    const opened = openCaseView(session, (await reporter(session, 'GET', '/case')).json());
    const identity = { name: 'Brambleford Quince', role: 'PC 4417', contact: 'quince@example.invalid' };
    const draft = { category: 'corruption', unit: 'nw-cid', report: { narrative: NARRATIVE } };
    const body = sealConversion(opened.caseKey, session.keyPair.publicKey, draft, { identity, info, orgKey: demoSigningKeyPair(DEMO_ORG_LABEL).publicKey });
    expect(body.mode).toBe('named');

    // Half a named body, or identity fields on an anonymous one: refused, nothing changes.
    const before = await caseRow(ref);
    const keysBefore = await db().selectFrom('case_keys').selectAll().where('case_id', '=', before.id).execute();
    const { identity: _i, ...noIdentity } = body;
    const { mode: _m, ...noMode } = body;
    for (const bad of [noIdentity, noMode, { ...body, mode: 'anonymous' }]) {
      const res = await reporter(session, 'POST', '/case/convert', bad, await stamp(t.app));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('identity_mismatch');
    }
    // A wrap missing (the team changed since the browser asked): fetch again and re-wrap.
    const short = await reporter(session, 'POST', '/case/convert', { ...body, identityKeys: body.identityKeys!.slice(1) }, await stamp(t.app));
    expect(short.json().error.code).toBe('recipients_changed');
    expect(await caseRow(ref)).toEqual(before);
    expect(await db().selectFrom('case_keys').selectAll().where('case_id', '=', before.id).execute()).toEqual(keysBefore);

    const res = await reporter(session, 'POST', '/case/convert', body, await stamp(t.app));
    expect(res.statusCode).toBe(201);
    const row = await caseRow(ref);
    expect(row).toMatchObject({ kind: 'report', mode: 'named', category_id: 'corruption', converted_on: TODAY });
    // Identity wraps exactly for who may see identity (the first officer and the recovery key among them), not the second officer.
    const wraps = await db().selectFrom('case_keys').select(['recipient_id', 'kind']).where('case_id', '=', row.id).where('identity', '=', 1).execute();
    expect(wraps).toHaveLength(info.recipients.filter((r) => r.seesIdentity).length);
    expect(wraps.filter((w) => w.kind === 'recovery')).toHaveLength(1);
    expect(wraps.map((w) => w.recipient_id)).toContain('nw-bcu-psu-1');
    expect(wraps.map((w) => w.recipient_id)).not.toContain('nw-bcu-psu-2');
    let dump = '';
    for (const table of ['cases', 'case_keys', 'case_history', 'messages', 'audit_log', 'notification_events'] as const) {
      dump += JSON.stringify(await db().selectFrom(table).selectAll().execute());
    }
    for (const word of ['Brambleford', 'Quince', '4417', 'quince@']) expect(dump).not.toContain(word);

    // The triage view shows it exactly as for a named report; the thread and the question stay.
    const d1 = (await call(t.app, officer, 'GET', `/cases/${ref}`)).json();
    const identityKey = unwrapKey(demoStaffKeyPair('nw-bcu-psu-1'), fromB64u(d1.identityWrap));
    expect(openDoc(identityKey, adIdentity(pk), d1.identity, 'rc1/identity')).toMatchObject(identity);
    expect(openDoc(key, adAdvice(pk), d1.advice, 'rc1/advice').question).toBe('Can I give my name?');
    expect(openDoc(key, adReport(pk), d1.report, 'rc1/report').narrative).toBe(NARRATIVE);
    const d2 = (await call(t.app, s['nw-bcu-psu-2']!, 'GET', `/cases/${ref}`)).json();
    expect(d2.identity).toBeUndefined();
    expect(d2.identityWrap).toBeUndefined();
    const mine = openCaseView(session, (await reporter(session, 'GET', '/case')).json());
    expect(mine.identity).toMatchObject(identity);
    expect(mine.messages.map((m) => m.text)).toEqual(['You can.']);
  });

  it('never seals a name to a member who recused from the question: no case key, no name', async () => {
    const { ref, session } = await ask('Would my sergeant find out?', 'nw-bcu');
    const team = (await adviceRecipients('nw-bcu')).json<RecipientsInfo>();
    const before = (await reporter(session, 'GET', '/case/recipients')).json<RecipientsInfo>();
    expect(before.recipients.map((r) => r.id).sort()).toEqual(team.recipients.filter((r) => r.seesIdentity).map((r) => r.id).sort());
    // The officer who may see identity knows the people involved: their wraps go, and so does their place in the name's recipients.
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/conflict`, { knowsPeople: true })).statusCode).toBe(204);
    const after = (await reporter(session, 'GET', '/case/recipients')).json<RecipientsInfo>();
    expect(after.recipients).toHaveLength(before.recipients.length - 1);
    expect(after.recipients.some((r) => r.kind === 'recovery')).toBe(true);

    const opened = openCaseView(session, (await reporter(session, 'GET', '/case')).json());
    const draft = { category: 'bullying', report: { narrative: NARRATIVE } };
    const identity = { name: 'Corvina Ashdown' };
    const orgKey = demoSigningKeyPair(DEMO_ORG_LABEL).publicKey;
    // Sealed to the whole team's identity holders (as a new report would be): refused, nothing changes.
    const stale = sealConversion(opened.caseKey, session.keyPair.publicKey, draft, { identity, info: before, orgKey });
    const refused = await reporter(session, 'POST', '/case/convert', stale, await stamp(t.app));
    expect(refused.json().error.code).toBe('recipients_changed');
    expect((await caseRow(ref)).kind).toBe('advice');

    const body = sealConversion(opened.caseKey, session.keyPair.publicKey, draft, { identity, info: after, orgKey });
    expect((await reporter(session, 'POST', '/case/convert', body, await stamp(t.app))).statusCode).toBe(201);
    const row = await caseRow(ref);
    const wraps = await db().selectFrom('case_keys').select('recipient_id').where('case_id', '=', row.id).where('identity', '=', 1).execute();
    expect(wraps).toHaveLength(after.recipients.length);
    expect(wraps.map((w) => w.recipient_id)).not.toContain('nw-bcu-psu-1');
  });

  it('lets the administrator keep the support list (audited), which reporters read in full', async () => {
    const admin = s['admin-demo']!;
    const list = (await call(t.app, admin, 'GET', '/admin/support-contacts')).json();
    expect(list.contacts.length).toBeGreaterThan(5);
    expect(list.commands.map((c: { id: string }) => c.id)).toContain('nw-bcu');
    const entry = { command: 'cs-bcu', kind: 'network', name: 'Demo network', description: 'Peer support.', url: 'https://net.example.org/x' };
    expect((await call(t.app, admin, 'POST', '/admin/support-contacts', { ...entry, url: undefined })).statusCode).toBe(400);
    expect((await call(t.app, admin, 'POST', '/admin/support-contacts', { ...entry, url: 'javascript:alert(1)' })).statusCode).toBe(400);
    expect((await call(t.app, admin, 'POST', '/admin/support-contacts', { ...entry, command: 'nope' })).json().error.code).toBe('unknown_command');
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'POST', '/admin/support-contacts', entry)).statusCode).toBe(403);
    const created = await call(t.app, admin, 'POST', '/admin/support-contacts', entry);
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const edited = await call(t.app, admin, 'POST', `/admin/support-contacts/${id}`, { ...entry, name: 'Demo network, edited' });
    expect(edited.json().name).toBe('Demo network, edited');

    const pub = await t.app.inject({ method: 'GET', url: '/api/v1/support' });
    expect(pub.statusCode).toBe(200);
    expect(pub.headers['set-cookie']).toBeUndefined();
    const mine = pub.json().contacts.find((c: { id: string }) => c.id === id);
    expect(mine).toMatchObject({ command: { id: 'cs-bcu' }, kind: 'network', name: 'Demo network, edited', url: 'https://net.example.org/x' });
    expect(pub.json().contacts.some((c: { command: unknown }) => c.command === null)).toBe(true);

    expect((await call(t.app, admin, 'POST', `/admin/support-contacts/${id}/delete`, {})).statusCode).toBe(204);
    expect((await call(t.app, admin, 'POST', `/admin/support-contacts/${id}/delete`, {})).statusCode).toBe(404);
    const ops = (await auditEntries(db(), { action: 'admin.support_contacts' })).map((e) => JSON.parse(e.detail).op);
    expect(ops).toEqual(['create', 'edit', 'delete']);
  });
});
