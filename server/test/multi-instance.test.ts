// Two separate server processes sharing one throwaway PostgreSQL database and
// Redis, as behind a load balancer: a session made on one works on the other,
// a lockout and a rate limit count across both, and concurrent case actions
// through both leave one audit chain whose signed head sits on its last entry,
// and that verifies against a head exported meanwhile (npm run audit:head, audit:verify --head).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready, toB64u } from '../../shared/src/crypto/index.ts';
import { demoRecoveryKeyPair, demoTotpSecret } from '../../seeds/demo.ts';
import { prepareDemoDatabase } from '../../seeds/prepare.ts';
import { secretsOf } from '../../seeds/staff.ts';
import { auditEntries, verifyAudit } from '../src/audit/log.ts';
import { totpFor } from '../src/auth/totp.ts';
import { verifyAnchored } from '../src/audit/verify.ts';
import { serverKeys } from '../src/server-keys.ts';
import { dialects, postgres, type TestDb } from './databases.ts';
import { postJson, spawnNode, spawnServer, stampFrom, timed, TEST_SERVER_SECRET, type Spawned } from './support/spawn.ts';
import { REDIS_URL, redisUp } from './support/redis.ts';

const hasPg = dialects.some((d) => d.name === 'postgres');
const USER = 'nw-bcu-psu-1';

describe.runIf(hasPg && redisUp)('two server processes on one PostgreSQL database and Redis', () => {
  let tdb: TestDb;
  let a: Spawned;
  let b: Spawned;
  beforeAll(async () => {
    await ready();
    tdb = await postgres.create();
    await prepareDemoDatabase(tdb.handle, { demoSignIn: [USER] });
    const env = { DATABASE_URL: tdb.url, REDIS_URL, RECOVERY_PUBLIC_KEY: toB64u(demoRecoveryKeyPair().publicKey) };
    [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]); // both migrate at once
  }, 120_000);
  afterAll(async () => { await Promise.all([a?.stop(), b?.stop()]); await tdb?.cleanup(); });

  it('a session made through one instance works through the other, and signing out there ends it on both', async () => {
    const { loginSecret } = await secretsOf(USER);
    const login = await postJson(`${a.url}/api/v1/staff/auth/login`, { username: USER, loginSecret, totp: totpFor(demoTotpSecret(USER)).generate() });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf = (login.body as { csrfToken: string }).csrfToken;
    const staff = { cookie, 'x-csrf-token': csrf };

    const inbox = await timed(`${b.url}/api/v1/staff/cases`, { headers: { cookie } });
    expect(inbox.status).toBe(200);
    const ref = (inbox.body as { cases: { caseRef: string }[] }).cases[0]!.caseRef;

    // Concurrent audited actions through both instances: opens (standalone appends) and reads (appended in the action's transaction).
    const before = (await auditEntries(tdb.handle.db)).length;
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => {
      const base = i % 2 === 0 ? a.url : b.url;
      return i % 3 === 0
        ? postJson(`${base}/api/v1/staff/cases/${ref}/read`, {}, staff)
        : timed(`${base}/api/v1/staff/cases/${ref}`, { headers: { cookie } });
    }));
    expect(results.map((r) => r.status).filter((s) => s !== 200 && s !== 204)).toEqual([]);
    expect((await auditEntries(tdb.handle.db)).length).toBe(before + 24);
    expect(await verifyAudit(tdb.handle.db)).toEqual({ ok: true, entries: before + 24 });
    // The head both instances re-signed with each append sits on the last entry, signed by the shared key.
    const trusted = [serverKeys(Buffer.from(TEST_SERVER_SECRET, 'base64url')).auditSigner.publicKey];
    expect(await verifyAnchored(tdb.handle.db, { trusted })).toEqual({ ok: true, entries: before + 24, storedHead: before + 24, exportedHeads: 0 });
    // Exported while both instances keep appending; then checked against the longer log.
    const headFile = join(mkdtempSync(join(tmpdir(), 'rc-head-')), 'head.json');
    const exporting = spawnNode(['--import', 'tsx', 'server/src/cli/audit-head.ts', '--out', headFile], { DATABASE_URL: tdb.url });
    let exported = false;
    void exporting.exited.then(() => { exported = true; });
    let opened = 0;
    for (let round = 0; round < 100 && (!exported || opened === 0); round++) {
      const during = await Promise.all([a.url, b.url].map((base) => timed(`${base}/api/v1/staff/cases/${ref}`, { headers: { cookie } })));
      expect(during.map((r) => r.status)).toEqual([200, 200]);
      opened += 2;
    }
    expect(await exporting.exited).toBe(0);
    const total = before + 24 + opened;
    const cli = spawnNode(['--import', 'tsx', 'server/src/cli/audit-verify.ts', '--head', headFile], { DATABASE_URL: tdb.url });
    expect(await cli.exited).toBe(0);
    expect(cli.lines).toEqual([`audit chain OK (${total} entries; signed head at seq ${total}; 1 exported head checked)`]);

    expect((await postJson(`${b.url}/api/v1/staff/auth/logout`, {}, staff)).status).toBe(204);
    // Instance a kept the session between requests (auth/session-cache.ts); b's sign-out reaches it with the
    // change feed's notification (db/pg-changes.ts), normally before the next request. Allowed: a few
    // 200s while it is on its way, for at most one second; then 401, and for good.
    const end = Date.now() + 1000;
    let status = 0;
    while ((status = (await timed(`${a.url}/api/v1/staff/cases`, { headers: { cookie } })).status) === 200 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(status).toBe(401);
    expect((await timed(`${a.url}/api/v1/staff/cases`, { headers: { cookie } })).status).toBe(401);
  });

  it('failed sign-ins count across instances towards one lockout', async () => {
    const attempt = (base: string) => postJson(`${base}/api/v1/staff/auth/login`, { username: 'someone-else', loginSecret: 'A'.repeat(43), totp: '000000' });
    for (let i = 0; i < 5; i++) expect((await attempt(i % 2 === 0 ? a.url : b.url)).status).toBe(401);
    for (const base of [a.url, b.url]) {
      const locked = await attempt(base);
      expect(locked.status).toBe(429);
      expect((locked.body as { error: { code: string } }).error.code).toBe('locked_out');
    }
  });

  it('one rate limit is shared by both instances (POST /reports: 100 per client per 10 minutes)', async () => {
    const statuses: number[] = [];
    // Stamped (an unstamped request counts against nothing), then refused by validation.
    for (let i = 0; i < 100; i++) {
      const base = i % 2 === 0 ? a.url : b.url;
      statuses.push((await postJson(`${base}/api/v1/reports`, {}, await stampFrom(base))).status);
    }
    expect(statuses.every((s) => s === 400)).toBe(true);
    for (const base of [a.url, b.url]) {
      const limited = await postJson(`${base}/api/v1/reports`, {}, await stampFrom(base));
      expect(limited.status).toBe(429);
      expect((limited.body as { error: { code: string } }).error.code).toBe('rate_limited');
    }
  });
});
