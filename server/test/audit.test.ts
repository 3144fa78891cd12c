// The audit log: a chain that verifies, tampering found at the first broken
// seq, and entries that hold ids and codes, never content.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAudit } from '../src/audit/log.ts';
import { dialects } from './databases.ts';
import { makeApp, postReport, sealFor, TEST_SECRET, type TestApp } from './helpers.ts';
import { serverKeys } from '../src/server-keys.ts';
import { call, Clock, signIn } from './staff-helpers.ts';

describe.each(dialects)('audit log on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  let sealedValues: string[] = [];
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: ['nw-bcu-psu-1'], now: clock.now });
    const u = await signIn(t.app, clock, 'nw-bcu-psu-1');
    const sealed = await sealFor(t.app);
    const ref = (await postReport(t.app, sealed.body)).json().caseRef;
    await call(t.app, u, 'GET', `/cases/${ref}`);
    await call(t.app, u, 'POST', `/cases/${ref}/status`, { status: 'acknowledged' });
    await call(t.app, u, 'POST', `/cases/${ref}/read`, {});
    for (let i = 0; i < 3; i++) await appendAudit(t.tdb.handle.db, serverKeys(TEST_SECRET).auditSigner, { actor: null, action: 'case.read', caseRef: ref, detail: { i } });
    sealedValues = [sealed.body.report.ct.slice(0, 40), sealed.body.keys[0]!.sealed, sealed.body.reporterPk, sealed.body.accessHash];
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  it('verifies the chain and keeps no content', async () => {
    const result = await verifyAudit(t.tdb.handle.db);
    expect(result).toEqual({ ok: true, entries: expect.any(Number) });
    const rows = await t.tdb.handle.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['auth.login', 'case.open', 'case.status', 'case.read']));
    const text = JSON.stringify(rows);
    for (const v of sealedValues) expect(text).not.toContain(v);
  });

  it('detects an edited detail at its seq', async () => {
    const db = t.tdb.handle.db;
    await sql`UPDATE audit_log SET detail = ${'{"i":99}'} WHERE seq = 3`.execute(db);
    expect(await verifyAudit(db)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('detects a deleted middle row at the missing seq', async () => {
    const db = t.tdb.handle.db;
    // seq 3 is still edited; removing seq 2 moves the first break earlier, to the missing seq.
    await sql`DELETE FROM audit_log WHERE seq = 2`.execute(db);
    expect(await verifyAudit(db)).toMatchObject({ ok: false, brokenAt: 2 });
  });
});
