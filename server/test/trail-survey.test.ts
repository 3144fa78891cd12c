// Issue 14 parts 3 and 4 through the API: the reporter's trail names teams by
// role and never a person, while the team's own trail says who acted; survey
// invitations at each closing and after three months open (a movable day); one
// answer per invitation, the comment stored sealed and opened by the team.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStaffKeyPair } from '../../seeds/demo.ts';
import {
  fromB64u, openCaseView, openSurveyComment, sealMessage, sealSurveyComment, toB64u, unwrapKey, wrapKey, POW_HEADER,
  type PublicKey, type SymmetricKey,
} from '../../shared/src/crypto/index.ts';
import { addDays, addMonths } from '../../shared/src/domain/clock.ts';
import { auditEntries } from '../src/audit/log.ts';
import { purgeCases } from '../src/retention/repository.ts';
import { dialects } from './databases.ts';
import { makeApp, postReport, sealFor, stamp, TODAY, type Sealed, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

const USERS = ['nw-bcu-psu-1', 'nw-bcu-psu-lead', 'dps-central-1'];
type Member = { id: string; publicKey: string };

describe.each(dialects)('case trail and survey on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  let day = TODAY;
  const s: Record<string, Session> = {};
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: USERS, now: clock.now, today: () => day });
    for (const u of USERS) s[u] = await signIn(t.app, clock, u);
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  const newCase = async (): Promise<{ sealed: Sealed; ref: string }> => {
    const sealed = await sealFor(t.app, { mode: 'anonymous', category: 'bullying', unit: 'nw-response-camden', report: { narrative: 'Trail Wendleby' } });
    const res = await postReport(t.app, sealed.body);
    expect(res.statusCode).toBe(201);
    return { sealed, ref: res.json().caseRef };
  };
  const reporterView = async (sealed: Sealed) => (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: sealed.session.authorization } }));
  const staffView = async (u: string, ref: string) => (await call(t.app, s[u]!, 'GET', `/cases/${ref}`)).json();
  const keyOf = async (u: string, ref: string) => unwrapKey(demoStaffKeyPair(u), fromB64u((await staffView(u, ref)).keyWrap)) as SymmetricKey;
  // A status change with a message answers 201 with the message's receipt; without one, 204.
  const move = async (u: string, ref: string, status: string, extra: object = {}) =>
    expect((await call(t.app, s[u]!, 'POST', `/cases/${ref}/status`, { status, ...extra })).statusCode).toBe('message' in extra ? 201 : 204);
  const close = async (u: string, ref: string) => {
    const d = await staffView(u, ref);
    const message = sealMessage(await keyOf(u, ref), fromB64u(d.reporterPk) as PublicKey, 'triage', 'We have finished.');
    await move(u, ref, 'closed', { outcome: 'management_action', message });
  };
  const answer = async (sealed: Sealed, body: object, headers: Record<string, string> = {}) => t.app.inject({
    method: 'POST', url: '/api/v1/case/survey', payload: body,
    headers: { authorization: sealed.session.authorization, [POW_HEADER]: await stamp(t.app), ...headers },
  });
  const surveyRows = async () => t.tdb.handle.db.selectFrom('survey_answers').selectAll().execute();

  it('shows the reporter each step to the day, the receiving team by role, and no staff name or id', async () => {
    day = TODAY;
    const { sealed, ref } = await newCase();
    day = addDays(TODAY, 2); await move('nw-bcu-psu-1', ref, 'acknowledged');
    day = addDays(TODAY, 3); await move('nw-bcu-psu-1', ref, 'assessing');
    day = addDays(TODAY, 5);
    const key = await keyOf('nw-bcu-psu-1', ref);
    const dps = (await call(t.app, s['nw-bcu-psu-1']!, 'GET', '/teams/dps-central/members')).json() as Member[];
    const wraps = dps.map((m) => ({ recipient: m.id, kind: 'case' as const, sealed: toB64u(wrapKey(fromB64u(m.publicKey) as PublicKey, key)) }));
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'POST', `/cases/${ref}/refer`, { teamId: 'dps-central', wraps })).statusCode).toBe(204);
    day = addDays(TODAY, 6);
    expect((await call(t.app, s['dps-central-1']!, 'POST', `/cases/${ref}/referral/confirm`, {})).statusCode).toBe(204);
    day = addDays(TODAY, 9); await move('dps-central-1', ref, 'investigating');
    day = addDays(TODAY, 40); await close('dps-central-1', ref);

    const res = await reporterView(sealed);
    const view = res.json();
    const dpsLabel = (await t.tdb.handle.db.selectFrom('teams').select('label').where('id', '=', 'dps-central').executeTakeFirstOrThrow()).label;
    expect(view.history).toEqual([
      { status: 'received', on: TODAY },
      { status: 'acknowledged', on: addDays(TODAY, 2) },
      { status: 'assessing', on: addDays(TODAY, 3) },
      { status: 'referred', on: addDays(TODAY, 6), to: dpsLabel },
      { status: 'investigating', on: addDays(TODAY, 9) },
      { status: 'closed', on: addDays(TODAY, 40) },
    ]);
    expect(view.outcome).toBe('management_action');
    // Not one staff id or display name anywhere in the reporter's answer.
    const staff = await t.tdb.handle.db.selectFrom('staff').select(['id', 'display_name']).execute();
    for (const p of staff) {
      expect(res.body.includes(`"${p.id}"`), p.id).toBe(false);
      expect(res.body.includes(p.display_name), p.display_name).toBe(false);
    }

    // The team sees the same steps with who acted (and the referral's team by id and label).
    const names = Object.fromEntries(staff.map((p) => [p.id, p.display_name]));
    const hist = (await staffView('dps-central-1', ref)).history;
    expect(hist.map((h: { status: string; on: string }) => [h.status, h.on])).toEqual(view.history.map((h: { status: string; on: string }) => [h.status, h.on]));
    expect(hist.map((h: { by?: { id: string; displayName: string } }) => h.by)).toEqual([
      undefined,
      { id: 'nw-bcu-psu-1', displayName: names['nw-bcu-psu-1'] },
      { id: 'nw-bcu-psu-1', displayName: names['nw-bcu-psu-1'] },
      { id: 'nw-bcu-psu-1', displayName: names['nw-bcu-psu-1'] },
      { id: 'dps-central-1', displayName: names['dps-central-1'] },
      { id: 'dps-central-1', displayName: names['dps-central-1'] },
    ]);
    expect(hist[3].to).toEqual({ id: 'dps-central', label: dpsLabel });
    // "Investigation started" is a staff action with its audit entry.
    const entries = await auditEntries(t.tdb.handle.db, { action: 'case.status', caseRef: ref });
    expect(entries.map((e) => [e.actor, JSON.parse(e.detail).to])).toContainEqual(['dps-central-1', 'investigating']);
  });

  it('invites an answer after three months open and at closing; one answer each; the comment stored sealed', async () => {
    day = TODAY;
    const { sealed, ref } = await newCase();
    expect((await reporterView(sealed)).json().survey).toEqual([]);
    const caseKey = openCaseView(sealed.session, (await reporterView(sealed)).json()).caseKey;
    const pk = sealed.session.keyPair.publicKey;
    const sealedComment = (text: string) => sealSurveyComment(caseKey, pk, text);

    // Not asked yet: refused, nothing stored.
    const early = sealedComment('too early');
    const refused = await answer(sealed, { invitation: 'open-3m', id: early.id, listened: 4, supported: 4 });
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'survey_closed']);
    expect(await surveyRows()).toHaveLength(0);

    // Three months on, the case still open: asked once.
    day = addMonths(TODAY, 3);
    expect((await reporterView(sealed)).json().survey).toEqual([{ invitation: 'open-3m', kind: 'open', on: addMonths(TODAY, 3), answered: false }]);
    day = addDays(addMonths(TODAY, 3), 4);
    // Bad input changes nothing: a score out of range, no stamp, another case's key.
    const c = sealedComment('Nobody called me back for weeks, Wendleby.');
    for (const [body, headers, code] of [
      [{ invitation: 'open-3m', id: c.id, listened: 6, supported: 2 }, {}, 400],
      [{ invitation: 'open-3m', id: c.id, listened: 0, supported: 2 }, {}, 400],
      [{ invitation: 'open-3m', id: c.id, listened: 2, supported: 2, extra: 1 }, {}, 400],
      [{ invitation: 'open-3m', id: c.id, listened: 2, supported: 2 }, { [POW_HEADER]: '' }, 428],
      [{ invitation: 'open-3m', id: c.id, listened: 2, supported: 2 }, { authorization: `Case ${'A'.repeat(43)}` }, 404],
      [{ invitation: 'open-3m', id: c.id, listened: 2, supported: 2, comment: { nonce: c.comment.nonce, ct: 'AAAA' } }, {}, 400],
    ] as const) {
      expect((await answer(sealed, body, headers)).statusCode).toBe(code);
    }
    expect(await surveyRows()).toHaveLength(0);

    const ok = await answer(sealed, { invitation: 'open-3m', id: c.id, listened: 2, supported: 1, comment: c.comment });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ invitation: 'open-3m', on: day });
    const again = await answer(sealed, { invitation: 'open-3m', id: sealedComment('again').id, listened: 5, supported: 5 });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'survey_answered']);
    expect((await reporterView(sealed)).json().survey[0].answered).toBe(true);

    // Stored: the day only, the scores, and the comment as ciphertext (no plaintext anywhere in the row).
    const rows = await surveyRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ invitation: 'open-3m', on: day, listened: 2, supported: 1 });
    expect(JSON.stringify(rows)).not.toContain('Wendleby');
    expect(rows[0]!.on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(fromB64u(rows[0]!.comment_ct!).length).toBe(1 + 1024 + 16);

    // Closing makes a second invitation; it is answered without a comment.
    await move('nw-bcu-psu-1', ref, 'acknowledged');
    day = addDays(day, 1);
    await close('nw-bcu-psu-1', ref);
    const survey = (await reporterView(sealed)).json().survey;
    expect(survey.map((i: { invitation: string; answered: boolean }) => [i.invitation, i.answered])).toEqual([['open-3m', true], ['closed-1', false]]);
    expect((await answer(sealed, { invitation: 'closed-1', id: sealedComment('').id, listened: 4, supported: 5 })).statusCode).toBe(201);

    // The team reads both answers; the comment opens with the case key and is bound to its answer id.
    const staffSurvey = (await staffView('nw-bcu-psu-1', ref)).survey;
    expect(staffSurvey.map((i: { invitation: string; answer: { listened: number } | null }) => [i.invitation, i.answer?.listened])).toEqual([['open-3m', 2], ['closed-1', 4]]);
    const first = staffSurvey[0].answer;
    const teamKey = await keyOf('nw-bcu-psu-1', ref);
    expect(openSurveyComment(teamKey, pk, first.id, first.comment)).toBe('Nobody called me back for weeks, Wendleby.');
    expect(openSurveyComment(teamKey, pk, staffSurvey[1].answer.id, first.comment)).toBeNull();
    expect(staffSurvey[1].answer.comment).toBeUndefined();
  });

  it('a retention purge keeps the scores for oversight and deletes the sealed comment', async () => {
    const db = t.tdb.handle.db;
    const before = await surveyRows();
    const withComment = before.find((r) => r.comment_ct !== null)!;
    await db.transaction().execute((tx) => purgeCases(tx, [withComment.case_id], day));
    const after = (await surveyRows()).filter((r) => r.case_id === withComment.case_id);
    expect(after.map((r) => [r.invitation, r.listened, r.supported, r.comment_nonce, r.comment_ct]))
      .toEqual(before.filter((r) => r.case_id === withComment.case_id).map((r) => [r.invitation, r.listened, r.supported, null, null]));
  });

  it('does not ask after three months a case that was closed by then', async () => {
    day = TODAY;
    const { sealed, ref } = await newCase();
    day = addDays(TODAY, 10);
    await close('nw-bcu-psu-1', ref);
    day = addMonths(TODAY, 4);
    expect((await reporterView(sealed)).json().survey.map((i: { invitation: string }) => i.invitation)).toEqual(['closed-1']);
  });
});
