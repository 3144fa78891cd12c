// The anchored audit log: a signed head (stored with each append, and exported
// to keep elsewhere) catches what the hash chain alone cannot: entries cut off
// the end, a whole chain recomputed by someone who can write the database, a
// row appended without the key, and a head file that was altered or signed by
// another key. Run in-process and through the npm run audit:head / audit:verify
// commands, on both dialects.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dayOf, storedHead, storeHead, type SignedHead } from '../src/audit/head.ts';
import { appendAudit, entryHash, GENESIS_HASH } from '../src/audit/log.ts';
import { verifyAnchored } from '../src/audit/verify.ts';
import type { AuditHeadTable, AuditLogTable } from '../src/db/database.ts';
import { serverKeys } from '../src/server-keys.ts';
import { dialects } from './databases.ts';
import { makeApp, postReport, sealFor, TEST_SECRET, type TestApp } from './helpers.ts';
import { call, Clock, signIn } from './staff-helpers.ts';
import { spawnNode } from './support/spawn.ts';

const U = 'nw-bcu-psu-1';

describe.each(dialects)('anchored audit log on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  let dir: string;
  let saved: { log: AuditLogTable[]; head: AuditHeadTable[] };
  const keys = () => serverKeys(TEST_SECRET);
  const trusted = () => [keys().auditSigner.publicKey];
  const db = () => t.tdb.handle.db;

  /** A head over the current last entry, as `npm run audit:head` makes one. */
  async function exportHead(): Promise<SignedHead> {
    const last = await db().selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    return keys().auditSigner.sign({ seq: Number(last.seq), hash: last.hash, day: dayOf(new Date(clock.ms)) });
  }
  const entries = async () => (await db().selectFrom('audit_log').select('seq').execute()).length;
  const more = async (n: number) => { for (let i = 0; i < n; i++) await appendAudit(db(), keys().auditSigner, { actor: null, action: 'case.read', detail: { i } }); };

  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: [U], now: clock.now });
    dir = mkdtempSync(join(tmpdir(), 'rc-anchor-'));
    const u = await signIn(t.app, clock, U);
    const ref = (await postReport(t.app, (await sealFor(t.app)).body)).json().caseRef;
    await call(t.app, u, 'GET', `/cases/${ref}`);
    await call(t.app, u, 'POST', `/cases/${ref}/status`, { status: 'acknowledged' });
    await call(t.app, u, 'POST', '/auth/logout');
    await more(6);
    saved = { log: await db().selectFrom('audit_log').selectAll().execute(), head: await db().selectFrom('audit_head').selectAll().execute() };
  }, 60_000);
  afterAll(async () => { await t?.close(); rmSync(dir, { recursive: true, force: true }); });
  // Every test starts from the same untouched log.
  beforeEach(async () => {
    await db().deleteFrom('audit_log').execute();
    await db().deleteFrom('audit_head').execute();
    await db().insertInto('audit_log').values(saved.log).execute();
    await db().insertInto('audit_head').values(saved.head).execute();
  });

  it('keeps a signed head on the last entry, updated with every append, and verifies with it and an exported head', async () => {
    const n = await entries();
    expect(n).toBeGreaterThanOrEqual(10);
    const head = await storedHead(db());
    expect(head).toMatchObject({ seq: n, publicKey: keys().auditSigner.publicKey });
    expect(head!.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const exported = await exportHead();
    await more(2);
    expect((await storedHead(db()))!.seq).toBe(n + 2);
    expect(await verifyAnchored(db(), { trusted: trusted(), heads: [exported] })).toEqual({ ok: true, entries: n + 2, storedHead: n + 2, exportedHeads: 1 });
    // Sign-in and logout, the case opening and the status change are all in the log.
    const actions = saved.log.map((r) => r.action);
    for (const a of ['auth.login', 'case.open', 'case.status', 'auth.logout']) expect(actions).toContain(a);
  });

  it('fails when the last entries are deleted (truncation), against the stored head and an exported one', async () => {
    const exported = await exportHead();
    const n = exported.seq;
    await db().deleteFrom('audit_log').where('seq', '>', n - 3).execute();
    // The chain that is left is whole: only the head shows what is missing.
    expect(await verifyAnchored(db(), { trusted: trusted() })).toMatchObject({ ok: false, brokenAt: n - 2, problem: expect.stringContaining('stored head: the log ends at seq') });
    expect(await verifyAnchored(db(), { trusted: trusted(), heads: [exported] })).toMatchObject({ ok: false, problem: expect.stringMatching(new RegExp(`^head of .*the log ends at seq ${n - 3} but the head was signed at seq ${n}`)) });
  });

  it('fails when the whole chain is recomputed with new hashes (history rewritten by a database writer)', async () => {
    const exported = await exportHead();
    const rows = await db().selectFrom('audit_log').selectAll().orderBy('seq').execute();
    // Rewrite entry 2 and recompute every hash after it, as anyone with write access could.
    let prev = GENESIS_HASH;
    for (const r of rows) {
      const seq = Number(r.seq);
      const detail = seq === 2 ? '{"rewritten":true}' : r.detail;
      const hash = entryHash(prev, { ...r, seq, detail });
      await db().updateTable('audit_log').set({ detail, prev_hash: prev, hash }).where('seq', '=', seq).execute();
      prev = hash;
    }
    expect(await verifyAnchored(db(), { trusted: [] })).toMatchObject({ ok: false }); // no key: no head believed
    expect(await verifyAnchored(db(), { trusted: trusted() })).toMatchObject({ ok: false, problem: expect.stringContaining('stored head: entry') });
    expect(await verifyAnchored(db(), { trusted: trusted(), heads: [exported] })).toMatchObject({ ok: false, brokenAt: exported.seq, problem: expect.stringMatching(/^head of .*the log was rewritten/) });
    // A head over the rewritten chain needs the key: one signed with another key is refused.
    const forger = serverKeys(new Uint8Array(32).fill(1)).auditSigner;
    await storeHead(db(), forger.sign({ seq: rows.length, hash: prev, day: exported.day }));
    expect(await verifyAnchored(db(), { trusted: trusted() })).toMatchObject({ ok: false, problem: expect.stringContaining('not trusted') });
  });

  it('fails when a row is appended without the key, or the stored head is removed', async () => {
    const last = saved.log.reduce((a, b) => (Number(b.seq) > Number(a.seq) ? b : a));
    const row = { seq: Number(last.seq) + 1, at: new Date(clock.ms).toISOString(), actor: null, action: 'case.read', case_ref: null, detail: '{}' };
    await db().insertInto('audit_log').values({ ...row, prev_hash: last.hash, hash: entryHash(last.hash, row) }).execute();
    expect(await verifyAnchored(db(), { trusted: trusted() })).toMatchObject({ ok: false, brokenAt: row.seq, problem: expect.stringContaining('not covered') });
    await db().deleteFrom('audit_head').execute();
    expect(await verifyAnchored(db(), { trusted: trusted() })).toMatchObject({ ok: false, problem: expect.stringContaining('no signed head') });
  });

  it('catches, with an exported head, a truncation hidden behind an older stored head put back', async () => {
    const older = (await db().selectFrom('audit_head').selectAll().execute())[0]!;
    await more(3);
    const exported = await exportHead();
    await db().deleteFrom('audit_log').where('seq', '>', Number(older.seq)).execute();
    await db().updateTable('audit_head').set(older).execute();
    // The database alone cannot tell (the stored head is a genuine older one): the exported head can.
    expect(await verifyAnchored(db(), { trusted: trusted() })).toMatchObject({ ok: true });
    expect(await verifyAnchored(db(), { trusted: trusted(), heads: [exported] })).toMatchObject({ ok: false, problem: expect.stringContaining('entries removed from the end') });
  });

  it('npm run audit:head exports a head that audit:verify --head accepts, and refuses one with a changed byte or signed by another key', async () => {
    const env = { DATABASE_URL: t.tdb.url, SERVER_SECRET: Buffer.from(TEST_SECRET).toString('base64url') };
    const file = join(dir, `head-${dialect.name}.json`);
    const exported = spawnNode(['--import', 'tsx', 'server/src/cli/audit-head.ts', '--out', file], env);
    expect(await exported.exited).toBe(0);
    const head = JSON.parse(readFileSync(file, 'utf8')) as SignedHead;
    expect(head).toMatchObject({ format: 'rc-audit-head-v1', seq: await entries(), publicKey: keys().auditSigner.publicKey });
    expect(Object.keys(head).sort()).toEqual(['day', 'format', 'hash', 'publicKey', 'seq', 'signature']);
    const verify = async (headFile: string, extra: string[] = [], e: Record<string, string> = env) => {
      const run = spawnNode(['--import', 'tsx', 'server/src/cli/audit-verify.ts', '--head', headFile, ...extra], e);
      return { code: await run.exited, lines: run.lines };
    };
    const ok = await verify(file);
    expect(ok).toEqual({ code: 0, lines: [`audit chain OK (${head.seq} entries; signed head at seq ${head.seq}; 1 exported head checked)`] });
    // One byte of the hash changed: the signature no longer covers it.
    const changed = join(dir, `changed-${dialect.name}.json`);
    const c = head.hash[0] === 'a' ? 'b' : 'a';
    writeFileSync(changed, JSON.stringify({ ...head, hash: c + head.hash.slice(1) }));
    expect(await verify(changed)).toEqual({ code: 1, lines: [expect.stringContaining('signature does not verify')] });
    // A head signed with a key of one's own, naming that key: not trusted.
    const forged = join(dir, `forged-${dialect.name}.json`);
    writeFileSync(forged, JSON.stringify(serverKeys(new Uint8Array(32).fill(2)).auditSigner.sign(head)));
    expect(await verify(forged)).toEqual({ code: 1, lines: [expect.stringContaining('not trusted')] });
    // Truncated afterwards: the CLI fails too. An auditor holding only the public key can check.
    await sql`DELETE FROM audit_log WHERE seq = ${head.seq}`.execute(db());
    const noSecret = { DATABASE_URL: t.tdb.url, SERVER_SECRET: '', SERVER_SECRET_FILE: '' };
    const cut = await verify(file, ['--public-key', head.publicKey], noSecret);
    expect(cut.code).toBe(1);
    expect(cut.lines.join('\n')).toContain('entries removed from the end');
    expect((await verify(file, [], noSecret)).lines).toEqual([expect.stringContaining('no trusted key')]);
  }, 60_000);
});
