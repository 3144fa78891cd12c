// The reporter's status check keeps each case's padded answer between polls
// (case/view-cache.ts). Every write to what the view shows must reach the very
// next poll, whether it came through the server's own handle, another
// connection (another instance) or, on SQLite, another process; so must a new
// day (survey invitations open by date) and a purge (the key then finds nothing).
// On PostgreSQL another connection's commit counts once its notification has
// arrived (db/pg-changes.ts): `changesSeen` waits for that, no longer.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../shared/src/domain/clock.ts';
import { caseAnswerBuilds } from '../src/case/view-cache.ts';
import { changesSeen } from '../src/db/data-version.ts';
import { createDb, type Db } from '../src/db/dialect.ts';
import { dialects } from './databases.ts';
import { makeApp, writeSeen, postReport, sealFor, TODAY, type Sealed, type TestApp } from './helpers.ts';

const b64u = (n: number) => randomBytes(n).toString('base64url');

describe.each(dialects)('the status check kept between polls on $name', (dialect) => {
  let t: TestApp;
  let other: Db;
  let day = TODAY;
  let sealed: Sealed;
  let caseId: number;
  beforeAll(async () => {
    t = await makeApp(dialect, { today: () => day });
    other = createDb(t.tdb.url);
    sealed = await sealFor(t.app);
    const res = await postReport(t.app, sealed.body);
    expect(res.statusCode).toBe(201);
    caseId = (await t.tdb.handle.db.selectFrom('cases').select('id').where('case_ref', '=', res.json().caseRef).executeTakeFirstOrThrow()).id;
    // PostgreSQL: the change feed is listening, so answers are kept from here on (nothing is kept while it is not).
    await changesSeen(t.tdb.handle.db);
  }, 60_000);
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  const poll = async () => t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: sealed.session.authorization } });
  const view = async () => {
    const res = await poll();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.rawPayload.length % (64 * 1024)).toBe(0);
    return res.json();
  };

  it('answers a repeated poll with the same bytes, built once while nothing changed', async () => {
    const first = await poll();
    const builds = caseAnswerBuilds();
    const again = await poll();
    expect(again.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(caseAnswerBuilds()).toBe(builds);
  });

  /** One write to each table the view reads, through `db`, each seen by the next poll. */
  const eachTableWrite = async (db: Db['db'], n: number) => {
    const before = await view();
    await db.updateTable('cases').set({ status: before.status === 'assessing' ? 'acknowledged' : 'assessing', welfare_on: before.welfare.requested ? null : TODAY })
      .where('id', '=', caseId).execute();
    await writeSeen(t, db);
    const moved = await view();
    expect(moved.status).not.toBe(before.status);
    expect(moved.welfare.requested).toBe(!before.welfare.requested);

    await db.insertInto('messages').values({ case_id: caseId, n, id: b64u(16), sender: 'triage', on: TODAY, nonce: b64u(24), ct: b64u(64) }).execute();
    await writeSeen(t, db);
    expect((await view()).messages).toHaveLength(before.messages.length + 1);

    await db.insertInto('case_history').values({ case_id: caseId, n: n + 1, status: 'referred', on: TODAY, team_id: 'dps-central' }).execute();
    await writeSeen(t, db);
    const label = (await view()).history.at(-1).to as string;
    expect(label).toBeTruthy();
    await db.updateTable('teams').set({ label: `${label} (renamed)` }).where('id', '=', 'dps-central').execute();
    await writeSeen(t, db);
    expect((await view()).history.at(-1).to).toBe(`${label} (renamed)`);

    const upload = b64u(16);
    await db.insertInto('uploads').values({
      id: upload, case_id: caseId, access_hash: null, staff_id: null, sender: 'triage', padded_size: 65536, chunks: 1,
      meta_nonce: b64u(24), meta_ct: b64u(64), state: 'complete', sealed_hash: b64u(32), created_on: TODAY, completed_on: TODAY,
    }).execute();
    await writeSeen(t, db);
    expect((await view()).attachments.map((a: { id: string }) => a.id)).toContain(upload);
  };

  it('shows each write through the server\'s own handle at the next poll', async () => {
    await eachTableWrite(t.tdb.handle.db, 50);
  });

  it('shows each write by another connection (another instance) at the next poll', async () => {
    await eachTableWrite(other.db, 60);
  });

  it('opens the three-month survey invitation on the day it opens, then shows its answer', async () => {
    expect((await view()).survey).toEqual([]);
    day = addDays(TODAY, 100);
    const survey = (await view()).survey as { invitation: string; answered: boolean }[];
    expect(survey).toHaveLength(1);
    expect(survey[0]!.answered).toBe(false);
    await other.db.insertInto('survey_answers').values({
      case_id: caseId, invitation: survey[0]!.invitation, id: b64u(16), on: day, listened: 4, supported: 4, comment_nonce: null, comment_ct: null,
    }).execute();
    await writeSeen(t, other.db);
    expect((await view()).survey[0].answered).toBe(true);
  });

  // PostgreSQL has no other kind of writer than a connection (the test above); SQLite's other processes are seen through data_version.
  if (dialect.name === 'sqlite') it('shows a write committed by another process at the next poll', async () => {
    expect((await view()).outcome).toBeUndefined();
    // A separate node process with its own better-sqlite3 connection, as a CLI tool or a second instance.
    const script = `const D = require('better-sqlite3'); const d = new D(process.argv[1]); d.pragma('journal_mode = WAL');
      d.prepare("update cases set outcome = 'withdrawn' where id = ?").run(Number(process.argv[2])); d.close();`;
    const r = spawnSync(process.execPath, ['-e', script, t.tdb.url, String(caseId)], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect((await view()).outcome).toBe('withdrawn');
  });

  it('answers 404 once another connection has deleted the case', async () => {
    await view();
    // Its rows elsewhere go with it (ON DELETE CASCADE).
    await other.db.deleteFrom('cases').where('id', '=', caseId).execute();
    await writeSeen(t, other.db);
    const res = await poll();
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('case_not_found');
  });
});
