// The audit entry commits with its action: no action without an entry (and no
// entry without the action), and the chain stays whole under parallel actions,
// also with a second "instance" appending through its own pool.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStaffKeyPair } from '../../seeds/demo.ts';
import { fromB64u, sealMessage, unwrapKey, type PublicKey, type SymmetricKey } from '../../shared/src/crypto/index.ts';
import { appendAudit, verifyAudit } from '../src/audit/log.ts';
import { createDb } from '../src/db/dialect.ts';
import { dialects } from './databases.ts';
import { makeApp, postReport, sealFor, TEST_SECRET, type TestApp } from './helpers.ts';
import { serverKeys } from '../src/server-keys.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

const U = 'nw-bcu-psu-1';

describe.each(dialects)('audit entries commit with their action on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  let u: Session;
  let ref: string;
  let caseKey: SymmetricKey;
  let pk: PublicKey;
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: [U, 'admin-demo'], now: clock.now });
    u = await signIn(t.app, clock, U);
    ref = (await postReport(t.app, (await sealFor(t.app)).body)).json().caseRef;
    const d = (await call(t.app, u, 'GET', `/cases/${ref}`)).json();
    caseKey = unwrapKey(demoStaffKeyPair(U), fromB64u(d.keyWrap)) as SymmetricKey;
    pk = fromB64u(d.reporterPk) as PublicKey;
  }, 60_000);
  afterAll(async () => { await t?.close(); });
  const db = () => t.tdb.handle.db;
  const count = async (table: 'messages' | 'audit_log' | 'staff') =>
    Number((await db().selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('rolls the action back when its audit entry cannot be written', async () => {
    const before = { messages: await count('messages'), audit: await count('audit_log') };
    await sql`ALTER TABLE audit_log RENAME TO audit_log_away`.execute(db());
    try {
      const res = await call(t.app, u, 'POST', `/cases/${ref}/messages`, sealMessage(caseKey, pk, 'triage', 'hello'));
      expect(res.statusCode).toBe(500);
      const status = await call(t.app, u, 'POST', `/cases/${ref}/status`, { status: 'acknowledged' });
      expect(status.statusCode).toBe(500);
    } finally {
      await sql`ALTER TABLE audit_log_away RENAME TO audit_log`.execute(db());
    }
    expect(await count('messages')).toBe(before.messages);
    expect(await count('audit_log')).toBe(before.audit);
    const row = await db().selectFrom('cases').select('status').where('case_ref', '=', ref).executeTakeFirstOrThrow();
    expect(row.status).toBe('received');
  });

  it('writes no entry for a refused action, and none for HEAD /cases/:ref', async () => {
    const before = await count('audit_log');
    expect((await call(t.app, u, 'POST', `/cases/${ref}/status`, { status: 'closed' })).statusCode).toBe(400);
    const head = await t.app.inject({ method: 'HEAD', url: `/api/v1/staff/cases/${ref}`, headers: { cookie: u.cookie } });
    expect(head.statusCode).toBe(200);
    expect(await count('audit_log')).toBe(before);
    await call(t.app, u, 'GET', `/cases/${ref}`);
    expect(await count('audit_log')).toBe(before + 1);
  });

  it('keeps the chain whole under parallel actions and a second appender', async () => {
    const before = await count('audit_log');
    const messages = Array.from({ length: 15 }, (_, i) => call(t.app, u, 'POST', `/cases/${ref}/messages`, sealMessage(caseKey, pk, 'triage', `m${i}`)));
    const reads = Array.from({ length: 15 }, () => call(t.app, u, 'POST', `/cases/${ref}/read`, {}));
    // A second instance on PostgreSQL (own pool); SQLite serialises its one connection's transactions.
    const other = dialect.name === 'postgres' ? createDb(t.tdb.url) : null;
    const extra = other ? Array.from({ length: 15 }, (_, i) => appendAudit(other.db, serverKeys(TEST_SECRET).auditSigner, { actor: null, action: 'case.read', detail: { i } })) : [];
    const res = await Promise.all([...messages, ...reads]);
    await Promise.all(extra);
    await other?.close();
    expect(res.map((r) => r.statusCode).sort()).toEqual([...Array(15).fill(201), ...Array(15).fill(204)]);
    expect(await count('audit_log')).toBe(before + 30 + extra.length);
    expect(await verifyAudit(db())).toEqual({ ok: true, entries: before + 30 + extra.length });
  });

  it('writes the admin account entry with the account, or neither', async () => {
    const admin = await signIn(t.app, clock, 'admin-demo');
    const before = { staff: await count('staff'), audit: await count('audit_log') };
    await sql`ALTER TABLE audit_log RENAME TO audit_log_away`.execute(db());
    try {
      const res = await call(t.app, admin, 'POST', '/admin/accounts', { username: 'atomic-one', displayName: 'A', role: 'triage', teams: [] });
      expect(res.statusCode).toBe(500);
    } finally {
      await sql`ALTER TABLE audit_log_away RENAME TO audit_log`.execute(db());
    }
    expect({ staff: await count('staff'), audit: await count('audit_log') }).toEqual(before);
  });
});
