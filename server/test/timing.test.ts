// Nothing places a reporter's action in time (docs/THREAT-MODEL.md "Time
// metadata"): two reports a minute apart, with staff actions between them,
// are not ordered against each other or against those actions at less than a
// day by anything in the database, the audit log or the logs; and the
// reporter's case view does not give away by its size how many messages it has.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseView, sealMessage } from '../../shared/src/crypto/index.ts';
import { RESPONSE_STEP } from '../src/plugins/pad.ts';
import { dialects } from './databases.ts';
import { makeApp, postMessage, postReport, sealFor, type Sealed, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

const STAFF = 'nw-bcu-psu-1';
const DRAFT = { mode: 'anonymous' as const, category: 'bullying', unit: 'nw-response-camden', report: { narrative: 'timing' } };
/** Tables that may hold a precise time: none of them names a case (checked below). */
const TIMED = new Set(['audit_log', 'staff_sessions', 'staff_session_seen', 'login_attempts', 'notification_events', 'notification_mail', 'pow_spent', 'kysely_migration', 'kysely_migration_lock']);
/** Rows written by a reporter's action (a report, a reporter message). */
const REPORTER_WRITTEN = ['case_keys', 'case_history', 'messages', 'pow_spent', 'notification_events'];

type Row = Record<string, unknown>;

describe.each(dialects)('no time metadata on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock(Date.parse('2026-01-15T10:10:00Z'));
  let staff: Session;
  const reports: { ref: string; sealed: Sealed }[] = [];
  let auditAfterA = 0;
  let auditAfterB = 0;
  const sizes: number[] = [];

  const view = (i: number) => t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: reports[i]!.sealed.session.authorization } });
  const auditCount = async () => Number((await t.tdb.handle.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n);
  const report = async () => {
    const sealed = await sealFor(t.app, DRAFT);
    const res = await postReport(t.app, sealed.body);
    expect(res.statusCode).toBe(201);
    reports.push({ ref: res.json().caseRef, sealed });
  };
  const reporterMessage = async (i: number, text: string) => {
    const opened = openCaseView(reports[i]!.sealed.session, (await view(i)).json());
    const msg = sealMessage(opened.caseKey, reports[i]!.sealed.session.keyPair.publicKey, 'reporter', text);
    expect((await postMessage(t.app, reports[i]!.sealed.session.authorization, msg)).statusCode).toBe(201);
  };

  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: [STAFF], now: clock.now });
    staff = await signIn(t.app, clock, STAFF);
    // An address, so new cases make notification events for this officer.
    await t.tdb.handle.db.updateTable('staff').set({ email: 'officer@example.invalid' }).where('id', '=', STAFF).execute();
    await report(); // A, 10:10:30
    await reporterMessage(0, 'first message on A');
    // Staff actions on A, between the two reports.
    clock.advance(20_000);
    const ref = reports[0]!.ref;
    expect((await call(t.app, staff, 'GET', `/cases/${ref}`)).statusCode).toBe(200);
    expect((await call(t.app, staff, 'POST', `/cases/${ref}/status`, { status: 'acknowledged' })).statusCode).toBe(204);
    expect((await call(t.app, staff, 'POST', `/cases/${ref}/read`, {})).statusCode).toBe(204);
    auditAfterA = await auditCount();
    clock.advance(40_000);
    await report(); // B, a minute after A
    sizes.push((await view(1)).rawPayload.length);
    for (const text of ['one', 'two', 'three']) await reporterMessage(1, `message ${text} on B`);
    sizes.push((await view(1)).rawPayload.length);
    auditAfterB = await auditCount();
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  const rows = async (table: string): Promise<Row[]> => (await sql<Row>`SELECT * FROM ${sql.table(table)}`.execute(t.tdb.handle.db)).rows;
  const tables = async (): Promise<string[]> => {
    const r = dialect.name === 'sqlite'
      ? await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(t.tdb.handle.db)
      : await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`.execute(t.tdb.handle.db);
    return r.rows.map((x) => x.name);
  };
  const caseRow = async (i: number) => t.tdb.handle.db.selectFrom('cases').selectAll().where('case_ref', '=', reports[i]!.ref).executeTakeFirstOrThrow();

  it('gives cases random ids and counts history and messages per case, from 1', async () => {
    const [a, b] = [await caseRow(0), await caseRow(1)];
    // Random 31-bit ids: not the next number (the chance of that by luck is 1 in 2^31).
    expect(Math.abs(b.id - a.id)).toBeGreaterThan(1);
    for (const id of [a.id, b.id]) expect(id).toBeLessThan(2 ** 31);
    const db = t.tdb.handle.db;
    const hist = async (id: number) => (await db.selectFrom('case_history').select(['n', 'status']).where('case_id', '=', id).orderBy('n').execute());
    expect((await hist(a.id))[0]).toEqual({ n: 1, status: 'received' });
    expect(await hist(b.id)).toEqual([{ n: 1, status: 'received' }]);
    const msgs = async (id: number) => (await db.selectFrom('messages').select('n').where('case_id', '=', id).orderBy('n').execute()).map((m) => m.n);
    expect(await msgs(a.id)).toEqual([2]);
    expect(await msgs(b.id)).toEqual([2, 3, 4]);
    expect((await db.selectFrom('case_reads').select('read_n').where('case_id', '=', a.id).executeTakeFirstOrThrow()).read_n).toBe(2);
    // No column of any table is a global counter left over: no sequence, no AUTOINCREMENT record.
    if (dialect.name === 'postgres') {
      expect((await sql<{ n: string }>`SELECT count(*) AS n FROM information_schema.sequences WHERE sequence_schema = 'public'`.execute(db)).rows[0]!.n).toBe('0');
    } else {
      const seqTable = await sql`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'`.execute(db);
      if (seqTable.rows.length > 0) expect(await rows('sqlite_sequence')).toEqual([]);
    }
  });

  it('leaves no hidden counter numbering the rows a reporter writes', async () => {
    const db = t.tdb.handle.db;
    if (dialect.name === 'sqlite') {
      for (const table of REPORTER_WRITTEN) {
        await expect(sql`SELECT rowid FROM ${sql.table(table)}`.execute(db), table).rejects.toThrow(/no such column/);
      }
      // cases keeps a rowid, and it is the random id itself.
      const r = await sql<{ r: number; id: number }>`SELECT rowid AS r, id FROM cases`.execute(db);
      for (const x of r.rows) expect(x.r).toBe(x.id);
    } else {
      // PostgreSQL: no column draws from a sequence (physical order and xmin remain: THREAT-MODEL.md).
      const serial = await sql<{ t: string }>`SELECT table_name AS t FROM information_schema.columns
        WHERE table_schema = 'public' AND column_default LIKE 'nextval%'`.execute(db);
      expect(serial.rows).toEqual([]);
    }
  });

  it('stores no time finer than a day where a case is named, and audits nothing a reporter does', async () => {
    const precise = (v: unknown): boolean =>
      (typeof v === 'string' && /\d{2}:\d{2}/.test(v)) || (typeof v === 'number' && v >= 1e9 && v < 1e14) || (typeof v === 'string' && /^\d{10,14}$/.test(v));
    let scanned = 0;
    for (const table of await tables()) {
      const all = await rows(table);
      for (const row of all) {
        for (const [col, v] of Object.entries(row)) {
          if (col === 'id' || col === 'case_id' || TIMED.has(table)) continue;
          scanned++;
          expect([table, col, precise(v)]).toEqual([table, col, false]);
        }
      }
      // A table that may hold a time never names a case, except the audit log, whose entries are staff actions.
      if (TIMED.has(table) && table !== 'audit_log') for (const row of all) expect(Object.keys(row)).not.toContain('case_id');
    }
    expect(scanned).toBeGreaterThan(100);
    // Report B and the reporter's messages added no audit entry; every entry naming a case has a staff actor.
    expect(auditAfterB).toBe(auditAfterA);
    const audit = await rows('audit_log');
    expect(audit.filter((r) => r.case_ref === reports[1]!.ref)).toEqual([]);
    for (const r of audit.filter((x) => x.case_ref !== null)) expect(r.actor).toBe(STAFF);
    // Both reports' notifications wait for one batch slot: it does not tell them apart.
    const slots = new Set((await rows('notification_events')).filter((r) => r.kind === 'new_case').map((r) => Number(r.send_at_ms)));
    expect(slots.size).toBe(1);
    // Both reports are dated to the same day, with nothing finer.
    expect([(await caseRow(0)).received_on, (await caseRow(1)).received_on]).toEqual(['2026-01-15', '2026-01-15']);
  });

  it('logs no reporter request, no clock and no counting request id', () => {
    const lines = t.logs.join('').trim().split('\n').map((l) => JSON.parse(l) as Row);
    expect(lines.length).toBeGreaterThan(5); // staff requests are logged
    for (const l of lines) {
      expect(l).not.toHaveProperty('time');
      expect(JSON.stringify(l)).not.toMatch(/\/api\/v1\/(intake|reports|case|pow)\b/);
      if (l.reqId !== undefined) expect(String(l.reqId)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it('pads the case view to 64 KiB steps: 0 and 3 messages look alike', async () => {
    expect(sizes[0]).toBe(sizes[1]);
    expect(sizes[0]! % RESPONSE_STEP).toBe(0);
    const body = (await view(1)).json();
    expect(body.messages).toHaveLength(3);
    expect(body.pad).toMatch(/^ +$/);
  });
});
