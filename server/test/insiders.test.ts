// Insiders cannot silence a reporter or plant a weak key (issue "Trust the keys,
// not the administrator"): message allowances are per sender; enrolment refuses
// all-zero and small-order X25519 keys; a reporter key belongs to one case.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnrolmentSecret, demoStaffKeyPair } from '../../seeds/demo.ts';
import { LIMITS } from '../../shared/src/api/domain.ts';
import { fromB64u, generateKeyPair, openCaseView, sealMessage, toB64u, unwrapKey, type PublicKey } from '../../shared/src/crypto/index.ts';
import { deriveStaffSecrets, newKdfParams, sealStaffSecretKey } from '../../shared/src/crypto/staff.ts';
import { totpFor } from '../src/auth/totp.ts';
import { dialects } from './databases.ts';
import { makeApp, postMessage, postReport, sealFor, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

/** Every encoding of a point of order 1, 2, 4 or 8 on Curve25519 (x and x+p), with and without the unused top bit. */
const SMALL_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].flatMap((h) => {
  const b = Buffer.from(h, 'hex');
  const top = Buffer.from(b);
  top[31]! |= 0x80;
  return [b, top];
});

describe.each(dialects)('insiders on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  let officer: Session;
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: ['nw-bcu-psu-1'], now: clock.now });
    officer = await signIn(t.app, clock, 'nw-bcu-psu-1');
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  it(`${LIMITS.triageMessagesPerCaseMax} staff messages do not stop the reporter from writing`, async () => {
    const { body, session } = await sealFor(t.app);
    const res = await postReport(t.app, body);
    expect(res.statusCode).toBe(201);
    const ref = res.json().caseRef;
    const d = (await call(t.app, officer, 'GET', `/cases/${ref}`)).json();
    const caseKey = unwrapKey(demoStaffKeyPair('nw-bcu-psu-1'), fromB64u(d.keyWrap));
    const pk = fromB64u(d.reporterPk) as PublicKey;
    for (let i = 0; i < LIMITS.triageMessagesPerCaseMax; i++) {
      const r = await call(t.app, officer, 'POST', `/cases/${ref}/messages`, sealMessage(caseKey, pk, 'triage', `update ${i}`));
      if (r.statusCode !== 201) throw new Error(`message ${i}: ${r.statusCode} ${r.body}`);
    }
    // Staff have used up their own allowance, and only theirs.
    const over = await call(t.app, officer, 'POST', `/cases/${ref}/messages`, sealMessage(caseKey, pk, 'triage', 'one more'));
    expect([over.statusCode, over.json().error.code]).toEqual([409, 'too_many_messages']);
    const view = (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: session.authorization } })).json();
    const opened = openCaseView(session, view);
    const mine = await postMessage(t.app, session.authorization, sealMessage(opened.caseKey, session.keyPair.publicKey, 'reporter', 'I am still here'));
    expect(mine.statusCode).toBe(201);
  }, 300_000);

  it('refuses all-zero and small-order public keys at enrolment (400 weak_key), then accepts a real one', async () => {
    const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url: `/api/v1/staff${url}`, payload });
    const secret = demoEnrolmentSecret();
    const start = await post('/auth/enrol/start', { username: 'new-officer', enrolmentSecret: secret });
    expect(start.statusCode).toBe(200);
    const { totpSecret } = start.json();
    const kdf = newKdfParams();
    const secrets = await deriveStaffSecrets('a new long passphrase', kdf);
    const kp = generateKeyPair();
    const complete = (publicKey: Uint8Array) => {
      clock.advance(30_000);
      return post('/auth/enrol/complete', {
        username: 'new-officer', enrolmentSecret: secret, totp: totpFor(totpSecret).generate({ timestamp: clock.ms }), kdf,
        loginSecret: secrets.loginSecret, publicKey: toB64u(publicKey), encryptedSecretKey: sealStaffSecretKey(secrets.wrappingKey, 'new-officer', kp.secretKey),
      });
    };
    expect(SMALL_ORDER).toHaveLength(14);
    for (const weak of SMALL_ORDER) {
      const r = await complete(weak);
      expect([r.statusCode, r.json().error.code], weak.toString('hex')).toEqual([400, 'weak_key']);
    }
    const row = await t.tdb.handle.db.selectFrom('staff').select(['state', 'public_key']).where('id', '=', 'new-officer').executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'enrol', public_key: null });
    expect((await complete(kp.publicKey)).statusCode).toBe(204);
  });

  it('refuses a small-order reporter key at intake (400 weak_key)', async () => {
    const { body } = await sealFor(t.app);
    for (const weak of SMALL_ORDER.slice(0, 4)) {
      const r = await postReport(t.app, { ...body, reporterPk: toB64u(weak) });
      expect([r.statusCode, r.json().error.code]).toEqual([400, 'weak_key']);
    }
  });

  it('refuses a second case with a reporter key already used (409 reporter_key_taken); a retry still says access_hash_taken', async () => {
    const { body } = await sealFor(t.app);
    expect((await postReport(t.app, body)).statusCode).toBe(201);
    const count = async () => (await t.tdb.handle.db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    const before = await count();
    const second = await postReport(t.app, { ...body, accessHash: toB64u(randomBytes(32)) });
    expect([second.statusCode, second.json().error.code]).toEqual([409, 'reporter_key_taken']);
    const retry = await postReport(t.app, body);
    expect([retry.statusCode, retry.json().error.code]).toEqual([409, 'access_hash_taken']);
    expect(await count()).toEqual(before);
  });
});
