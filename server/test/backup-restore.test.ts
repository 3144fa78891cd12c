// The restore drill, on each dialect: real sealed reports and messages through
// the API, a backup while the app is running, the database wiped, the backup
// restored; then every token reopens its case with its messages, an officer
// opens each case with their own key, and the audit chain verifies.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStaffKeyPair } from '../../seeds/demo.ts';
import { adReport, fromB64u, openCaseView, openDoc, sealMessage, unwrapKey, type PublicKey } from '../../shared/src/crypto/index.ts';
import { buildApp } from '../src/app.ts';
import { verifyAudit } from '../src/audit/log.ts';
import { backup, restore, tableCount } from '../src/backup/service.ts';
import type { Database } from '../src/db/database.ts';
import { createDb, toCount, type Db } from '../src/db/dialect.ts';
import { dialects } from './databases.ts';
import { makeApp, postMessage, postReport, sealFor, TEST_SECRET, TODAY, type Sealed, type TestApp } from './helpers.ts';
import { call, Clock, signIn } from './staff-helpers.ts';

const OFFICER = 'nw-bcu-psu-1';
const DRAFTS = [
  { mode: 'named' as const, category: 'bullying', unit: 'nw-response-camden', report: { narrative: 'Drill report one' }, identity: { name: 'Ada Drill' } },
  { mode: 'anonymous' as const, category: 'bullying', unit: 'nw-cid', report: { narrative: 'Drill report two' } },
  { mode: 'anonymous' as const, category: 'bullying', unit: 'nw-response-islington', report: { narrative: 'Drill report three' } },
];
const TABLES = ['cases', 'case_keys', 'case_history', 'messages', 'staff', 'team_members', 'audit_log', 'settings'] as const;

async function counts(db: Kysely<Database>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = toCount((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n);
  return out;
}

/** Every table gone, as after losing the disk. */
async function wipe(handle: Db): Promise<void> {
  if (handle.kind === 'postgres') {
    await sql`DROP SCHEMA public CASCADE`.execute(handle.db);
    await sql`CREATE SCHEMA public`.execute(handle.db);
    return;
  }
  await sql`PRAGMA foreign_keys = OFF`.execute(handle.db);
  const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(handle.db);
  for (const { name } of tables.rows) await sql`DROP TABLE ${sql.id(name)}`.execute(handle.db);
  await sql`PRAGMA foreign_keys = ON`.execute(handle.db);
}

describe.each(dialects)('restore drill on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  const dir = mkdtempSync(join(tmpdir(), 'rc-backup-'));
  const reports: { ref: string; sealed: Sealed; message: string }[] = [];
  beforeAll(async () => { t = await makeApp(dialect, { signIn: [OFFICER], now: clock.now }); }, 60_000);
  afterAll(async () => {
    await t?.tdb.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up while running, refuses to restore over data, and brings every case back after a wipe', async () => {
    for (const [i, draft] of DRAFTS.entries()) {
      const sealed = await sealFor(t.app, draft);
      const res = await postReport(t.app, sealed.body);
      expect(res.statusCode).toBe(201);
      const headers = { authorization: sealed.session.authorization };
      const { caseKey } = openCaseView(sealed.session, (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers })).json());
      const message = `Drill message ${i}`;
      const sent = await postMessage(t.app, headers.authorization, sealMessage(caseKey, sealed.session.keyPair.publicKey, 'reporter', message));
      expect(sent.statusCode).toBe(201);
      reports.push({ ref: res.json().caseRef, sealed, message });
    }
    const officer = await signIn(t.app, clock, OFFICER);
    expect((await call(t.app, officer, 'GET', `/cases/${reports[0]!.ref}`)).statusCode).toBe(200); // an audited read
    const before = await counts(t.tdb.handle.db);
    const auditBefore = await verifyAudit(t.tdb.handle.db);
    expect(auditBefore.ok && auditBefore.entries).toBeGreaterThan(0);

    const file = join(dir, dialect.name === 'sqlite' ? 'drill.sqlite' : 'drill.pgdump');
    await backup(t.tdb.url, file); // the app is still serving
    await expect(restore(file, t.tdb.url)).rejects.toThrow(/not empty/);

    await t.app.close();
    await wipe(t.tdb.handle);
    expect(await tableCount(t.tdb.url)).toBe(0);
    expect(await restore(file, t.tdb.url)).toEqual({ ok: true, entries: auditBefore.entries });

    const handle = createDb(t.tdb.url);
    const app = await buildApp({ db: handle.db, clientDist: null, today: () => TODAY, now: clock.now, secret: TEST_SECRET });
    try {
      expect(await counts(handle.db)).toEqual(before);
      for (const r of reports) {
        const res = await app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: r.sealed.session.authorization } });
        expect(res.statusCode).toBe(200);
        const opened = openCaseView(r.sealed.session, res.json());
        expect(res.json().caseRef).toBe(r.ref);
        expect(opened.messages.map((m) => m.text)).toEqual([r.message]);
      }
      const again = await signIn(app, clock, OFFICER);
      for (const [i, r] of reports.entries()) {
        const res = await call(app, again, 'GET', `/cases/${r.ref}`);
        expect(res.statusCode).toBe(200);
        const d = res.json();
        const key = unwrapKey(demoStaffKeyPair(OFFICER), fromB64u(d.keyWrap));
        expect(openDoc(key, adReport(fromB64u(d.reporterPk) as PublicKey), d.report, 'rc1/report').narrative).toBe(DRAFTS[i]!.report.narrative);
      }
      expect((await verifyAudit(handle.db)).ok).toBe(true);
    } finally {
      await app.close();
      await handle.close();
    }
    // Told to, it overwrites a database that has data.
    expect((await restore(file, t.tdb.url, { force: true })).ok).toBe(true);
    const check = createDb(t.tdb.url);
    try {
      expect((await counts(check.db)).cases).toBe(before.cases);
    } finally {
      await check.close();
    }
  }, 120_000);
});
