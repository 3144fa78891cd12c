// Secrets at rest: TOTP secrets are sealed under a key derived from the server
// secret (never stored), so a dump of every table holds none of them; the
// sign-in keys are derived, not stored; plaintext rows from before are sealed
// at start-up; npm run secrets:rotate moves everything to a new secret in one
// transaction, after which the new secret signs in and the old one does not.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnrolmentSecret, demoTotpSecret } from '../../seeds/demo.ts';
import { generateKeyPair, toB64u } from '../../shared/src/crypto/index.ts';
import { deriveStaffSecrets, newKdfParams, sealStaffSecretKey } from '../../shared/src/crypto/staff.ts';
import { buildApp } from '../src/app.ts';
import { keyIdOf, SecretUnreadable } from '../src/atrest/box.ts';
import { rotateSecrets, totpAd } from '../src/atrest/service.ts';
import { totpFor } from '../src/auth/totp.ts';
import { verifyAnchored } from '../src/audit/verify.ts';
import { serverKeys } from '../src/server-keys.ts';
import { dialects } from './databases.ts';
import { makeApp, TEST_POW, TEST_SECRET, type TestApp } from './helpers.ts';
import { Clock, signIn } from './staff-helpers.ts';
import { spawnNode } from './support/spawn.ts';

const U = 'nw-bcu-psu-1';
const ADMIN = 'admin-demo';
const NEW_SECRET = new Uint8Array(32).fill(11);

describe.each(dialects)('secrets at rest on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  let dir: string;
  let enrolledTotp = '';
  const db = () => t.tdb.handle.db;
  const appWith = (secret: Uint8Array) => buildApp({ db: db(), clientDist: null, now: clock.now, secret, pow: TEST_POW });

  /** Every row of every table, as text: what a database dump would show. */
  async function dump(): Promise<string> {
    const tables = dialect.name === 'sqlite'
      ? (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(db())).rows.map((r) => r.name)
      : (await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`.execute(db())).rows.map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['staff', 'settings', 'audit_log', 'audit_head']));
    const parts: string[] = [];
    for (const name of tables) parts.push(JSON.stringify((await sql`SELECT * FROM ${sql.table(name)}`.execute(db())).rows));
    return parts.join('\n');
  }
  const totps = async () => (await db().selectFrom('staff').select(['id', 'totp_secret']).where('totp_secret', 'is not', null).execute())
    .map((r) => ({ id: r.id, value: r.totp_secret as string }));

  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: [U, ADMIN], now: clock.now });
    dir = mkdtempSync(join(tmpdir(), 'rc-secrets-'));
    await signIn(t.app, clock, U);
    // Enrolment: the new secret goes to the officer and only sealed into the database.
    const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url: `/api/v1/staff${url}`, payload });
    const start = await post('/auth/enrol/start', { username: 'new-officer', enrolmentSecret: demoEnrolmentSecret() });
    expect(start.statusCode).toBe(200);
    enrolledTotp = start.json().totpSecret;
    const kdf = newKdfParams();
    const secrets = await deriveStaffSecrets('a new long passphrase', kdf);
    const kp = generateKeyPair();
    clock.advance(30_000);
    expect((await post('/auth/enrol/complete', {
      username: 'new-officer', enrolmentSecret: demoEnrolmentSecret(), totp: totpFor(enrolledTotp).generate({ timestamp: clock.ms }), kdf,
      loginSecret: secrets.loginSecret, publicKey: toB64u(kp.publicKey), encryptedSecretKey: sealStaffSecretKey(secrets.wrappingKey, 'new-officer', kp.secretKey),
    })).statusCode).toBe(204);
  }, 60_000);
  afterAll(async () => { await t?.close(); rmSync(dir, { recursive: true, force: true }); });

  it('keeps no TOTP secret and no sign-in key in the clear in any table', async () => {
    const text = await dump();
    const clear = [demoTotpSecret(U), demoTotpSecret(ADMIN), enrolledTotp];
    for (const s of clear) {
      expect(text).not.toContain(s);
      expect(text.toLowerCase()).not.toContain(s.toLowerCase());
    }
    const rows = await totps();
    expect(rows.map((r) => r.id).sort()).toEqual([ADMIN, 'new-officer', U]);
    const keyId = serverKeys(TEST_SECRET).box.keyId;
    for (const r of rows) expect(keyIdOf(r.value)).toBe(keyId);
    // The sign-in keys are derived from the server secret, not stored.
    const auth = serverKeys(TEST_SECRET).auth;
    for (const k of [auth.fakeSalt, auth.csrf, auth.device]) {
      expect(text).not.toContain(k.toString('base64url'));
      expect(text).not.toContain(k.toString('hex'));
    }
    expect(await db().selectFrom('settings').select('key').where('key', 'like', 'staff_%_key').execute()).toEqual([]);
    // Setting the secret at enrolment is recorded, with the completion.
    const enrolled = await db().selectFrom('audit_log').select('action').where('actor', '=', 'new-officer').orderBy('seq').execute();
    expect(enrolled.map((r) => r.action)).toEqual(['auth.enrol_start', 'auth.enrol']);
  });

  it('binds each sealed secret to its row: copied onto another account it does not open', async () => {
    const box = serverKeys(TEST_SECRET).box;
    const mine = (await totps()).find((r) => r.id === U)!.value;
    expect(box.open(mine, totpAd(U))).toBe(demoTotpSecret(U));
    expect(() => box.open(mine, totpAd(ADMIN))).toThrow(SecretUnreadable);
    expect(() => serverKeys(NEW_SECRET).box.open(mine, totpAd(U))).toThrow(/another server secret/);
  });

  it('seals a plaintext row (an older release, a seed) at the next start, and signs in with it', async () => {
    await db().updateTable('staff').set({ totp_secret: demoTotpSecret(U) }).where('id', '=', U).execute();
    const restarted = await appWith(TEST_SECRET);
    try {
      const row = (await totps()).find((r) => r.id === U)!;
      expect(keyIdOf(row.value)).toBe(serverKeys(TEST_SECRET).box.keyId);
      expect((await signIn(restarted, clock, U)).login.staff.username).toBe(U);
    } finally {
      await restarted.close();
    }
  });

  it('secrets:rotate re-seals everything under the new secret in one go: the new one signs in, the old one does not', async () => {
    const oldFile = join(dir, 'old.secret');
    const newFile = join(dir, 'new.secret');
    writeFileSync(oldFile, Buffer.from(TEST_SECRET).toString('base64url'));
    writeFileSync(newFile, Buffer.from(NEW_SECRET).toString('base64url'));
    const before = await totps();
    const run = spawnNode(['--import', 'tsx', 'server/src/cli/secrets-rotate.ts', '--old-file', oldFile, '--new-file', newFile], { DATABASE_URL: t.tdb.url });
    expect(await run.exited).toBe(0);
    expect(run.lines[0]).toBe('secrets rotated: 3 TOTP secrets re-sealed; stored audit head re-signed');
    const after = await totps();
    const next = serverKeys(NEW_SECRET);
    for (const r of after) {
      expect(keyIdOf(r.value)).toBe(next.box.keyId);
      expect(r.value).not.toBe(before.find((b) => b.id === r.id)!.value);
    }
    expect(next.box.open(after.find((r) => r.id === U)!.value, totpAd(U))).toBe(demoTotpSecret(U));
    // The old secret: the running app cannot read the secrets any more, and a new start refuses.
    clock.advance(30_000);
    await expect(signIn(t.app, clock, U)).rejects.toThrow(/login nw-bcu-psu-1: 500/);
    await expect(appWith(TEST_SECRET)).rejects.toThrow(/sealed under another server secret/);
    // The new secret signs in, the stored audit head is signed by its key and no longer by the old one's.
    const fresh = await appWith(NEW_SECRET);
    try {
      expect((await signIn(fresh, clock, U)).login.staff.username).toBe(U);
      expect(await verifyAnchored(db(), { trusted: [next.auditSigner.publicKey] })).toMatchObject({ ok: true });
      expect(await verifyAnchored(db(), { trusted: [serverKeys(TEST_SECRET).auditSigner.publicKey] })).toMatchObject({ ok: false, problem: expect.stringContaining('not trusted') });
    } finally {
      await fresh.close();
    }
    expect(await dump()).not.toContain(demoTotpSecret(U));
    // A rerun changes nothing; rotating from a secret that sealed nothing here stops without a change.
    const again = serverKeys(TEST_SECRET);
    expect(await rotateSecrets(db(), { box: again.box, signer: again.auditSigner }, { box: next.box, signer: next.auditSigner }, new Date(clock.ms)))
      .toEqual({ totpSecrets: 0, headResigned: false });
    const third = serverKeys(new Uint8Array(32).fill(12));
    await expect(rotateSecrets(db(), { box: again.box, signer: again.auditSigner }, { box: third.box, signer: third.auditSigner }, new Date(clock.ms)))
      .rejects.toThrow(/another server secret/);
    expect(await totps()).toEqual(after);
  }, 60_000);
});
