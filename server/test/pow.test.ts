// Proof of work on anonymous writes, on both dialects (the database spent
// store; Redis is in redis.test.ts): challenges, every way a stamp can be
// wrong, replay, expiry, difficulty following intake, and a flood without
// stamps that writes nothing and leaves room for a genuine reporter.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PowChallenge } from '../../shared/src/api/schemas.ts';
import { formatStamp, fromB64u, leadingZeroBits, powHash, POW_HEADER, toB64u } from '../../shared/src/crypto/index.ts';
import { buildApp } from '../src/app.ts';
import { mintChallenge } from '../src/pow/challenge.ts';
import { DEFAULT_POW, difficultyFor } from '../src/pow/service.ts';
import { deriveKey } from '../src/secret.ts';
import { dialects } from './databases.ts';
import { makeApp, postMessage, postReport, rowCounts, sealFor, stamp, TEST_POW, TEST_SECRET, type TestApp } from './helpers.ts';

/** A nonce that does NOT meet `difficulty` for this challenge. */
function failingNonce(challenge: Uint8Array, difficulty: number): Uint8Array {
  for (;;) {
    const nonce = randomBytes(8);
    if (leadingZeroBits(powHash(challenge, nonce)) < difficulty) return nonce;
  }
}

describe('difficulty formula', () => {
  it('is the base at quiet times and adds a bit per doubling of recent intake, up to the ceiling', () => {
    const s = DEFAULT_POW;
    const base = s.baseDifficulty;
    expect(base).toBe(18);
    expect(difficultyFor(0, s)).toBe(base);
    expect(difficultyFor(s.quiet, s)).toBe(base);
    expect(difficultyFor(s.quiet + 1, s)).toBe(base + 1);
    expect(difficultyFor(s.quiet * 2, s)).toBe(base + 1);
    expect(difficultyFor(s.quiet * 2 + 1, s)).toBe(base + 2);
    expect(difficultyFor(s.quiet * 64, s)).toBe(base + 6);
    expect(difficultyFor(10 ** 9, s)).toBe(s.maxDifficulty);
  });
});

describe.each(dialects)('proof of work on $name', (dialect) => {
  let t: TestApp;
  let clock = Date.now();
  beforeAll(async () => {
    t = await makeApp(dialect, { now: () => clock });
  });
  afterAll(async () => t?.close());

  const send = (body: unknown, header?: string) => t.app.inject({
    method: 'POST', url: '/api/v1/reports', payload: body as object, ...(header !== undefined ? { headers: { [POW_HEADER]: header } } : {}),
  });
  const challenge = async (): Promise<PowChallenge> => (await t.app.inject({ method: 'GET', url: '/api/v1/pow' })).json();

  it('hands out a 38-byte challenge at the configured difficulty, valid for five minutes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/pow' });
    expect(res.statusCode).toBe(200);
    const c = res.json<PowChallenge>();
    expect(fromB64u(c.challenge)).toHaveLength(38);
    expect(c.difficulty).toBe(TEST_POW.baseDifficulty);
    expect(c.expiresIn).toBe(300);
    expect(fromB64u(c.challenge)[1]).toBe(c.difficulty);
  });

  it('refuses a report without a stamp, or with a malformed, forged, unsolved or expired one, writing nothing', async () => {
    const { body } = await sealFor(t.app);
    const before = await rowCounts(t);
    const c = await challenge();
    const bytes = fromB64u(c.challenge);
    // Forged: a challenge minted under another key, solved properly.
    const otherKey = deriveKey(new Uint8Array(32).fill(9), 'rc2 pow challenge key');
    const forged = mintChallenge(otherKey, 0, clock + 60_000);
    // Tampered: our challenge with the difficulty byte lowered to 0 (the MAC no longer matches).
    const lowered = Uint8Array.from(bytes);
    lowered[1] = 0;
    const cases: [string | undefined, number, string][] = [
      [undefined, 428, 'pow_required'],
      ['', 428, 'pow_required'],
      ['not-a-stamp', 400, 'pow_invalid'],
      [`${c.challenge}.${toB64u(new Uint8Array(7))}`, 400, 'pow_invalid'],
      [formatStamp(toB64u(forged), new Uint8Array(8)), 400, 'pow_invalid'],
      [formatStamp(toB64u(lowered), new Uint8Array(8)), 400, 'pow_invalid'],
      [formatStamp(c.challenge, failingNonce(bytes, c.difficulty)), 400, 'pow_invalid'],
    ];
    for (const [header, status, code] of cases) {
      const res = await send(body, header);
      expect([header, res.statusCode, res.json().error.code]).toEqual([header, status, code]);
    }
    // Solved, but spent after the challenge expired.
    const solved = await stamp(t.app);
    clock += DEFAULT_POW.ttlMs + 1000;
    const late = await send(body, solved);
    expect([late.statusCode, late.json().error.code]).toEqual([403, 'pow_expired']);
    expect(await rowCounts(t)).toEqual(before);
    // The same body with a fresh stamp is accepted: only the stamp was wrong.
    expect((await postReport(t.app, body)).statusCode).toBe(201);
  });

  it('accepts a stamp once: a replay is refused even for a different report', async () => {
    const header = await stamp(t.app);
    expect((await send((await sealFor(t.app)).body, header)).statusCode).toBe(201);
    const counts = await rowCounts(t);
    const replay = await send((await sealFor(t.app)).body, header);
    expect([replay.statusCode, replay.json().error.code]).toEqual([403, 'pow_replayed']);
    expect(await rowCounts(t)).toEqual(counts);
  });

  it('asks reporter messages for a stamp too', async () => {
    const { body, session } = await sealFor(t.app);
    expect((await postReport(t.app, body)).statusCode).toBe(201);
    const msg = { id: toB64u(randomBytes(16)), nonce: toB64u(randomBytes(24)), ct: toB64u(Uint8Array.of(2, ...new Uint8Array(1040))) };
    const bare = await t.app.inject({ method: 'POST', url: '/api/v1/case/messages', headers: { authorization: session.authorization }, payload: msg });
    expect([bare.statusCode, bare.json().error.code]).toEqual([428, 'pow_required']);
    expect((await postMessage(t.app, session.authorization, msg)).statusCode).toBe(201);
  });

  it('raises the difficulty with recent intake and lowers it once the stamps have expired', async () => {
    let now = Date.now();
    const busy = await buildApp({ db: t.tdb.handle.db, clientDist: null, now: () => now, secret: TEST_SECRET, pow: { baseDifficulty: 2, quiet: 2, maxDifficulty: 6 } });
    try {
      const level = async () => (await busy.inject({ method: 'GET', url: '/api/v1/pow' })).json<PowChallenge>().difficulty;
      now += 10 * DEFAULT_POW.ttlMs; // past every row the other tests spent
      expect(await level()).toBe(2);
      for (let i = 0; i < 8; i++) {
        const { session, body } = await sealFor(busy);
        void session;
        expect((await postReport(busy, body)).statusCode).toBe(201);
      }
      now += 6_000; // past the few seconds the count is cached for
      expect(await level()).toBe(4); // 8 spent, quiet 2: 2 + log2(4)
      now += DEFAULT_POW.ttlMs + 1000;
      expect(await level()).toBe(2);
    } finally {
      await busy.close();
    }
  });
});

describe.each(dialects)('a flood without stamps on $name', (dialect) => {
  it('writes nothing, does not drain the shared bucket, and a genuine reporter still gets through', async () => {
    // The shared reports bucket allows 3: if the flood counted there, the genuine report would be refused.
    const t = await makeApp(dialect, { rateLimits: { reportsGlobal: { max: 3, timeWindow: 60_000 } } });
    try {
      const { body } = await sealFor(t.app);
      const genuine = await sealFor(t.app);
      const spent = await stamp(t.app);
      expect((await postReport(t.app, (await sealFor(t.app)).body, { headers: { [POW_HEADER]: spent } })).statusCode).toBe(201);
      const before = await rowCounts(t);
      const c = (await t.app.inject({ method: 'GET', url: '/api/v1/pow' })).json<PowChallenge>();
      const headerFor = (i: number): Record<string, string> => {
        switch (i % 4) {
          case 0: return {};
          case 1: return { [POW_HEADER]: formatStamp(c.challenge, failingNonce(fromB64u(c.challenge), c.difficulty)) }; // not enough work
          case 2: return { [POW_HEADER]: spent }; // replayed
          default: return { [POW_HEADER]: toB64u(randomBytes(38)) + '.AAAAAAAAAAA' }; // forged
        }
      };
      const TOTAL = 10_000;
      const BATCH = 250;
      const codes = new Map<string, number>();
      let genuineStatus = 0;
      for (let start = 0; start < TOTAL; start += BATCH) {
        const batch = Array.from({ length: BATCH }, (_, k) => {
          const i = start + k;
          return t.app.inject({
            method: 'POST', url: '/api/v1/reports', payload: body, headers: headerFor(i),
            remoteAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
          });
        });
        if (start === TOTAL / 2) batch.push(postReport(t.app, genuine.body).then((r) => { genuineStatus = r.statusCode; return r; }));
        for (const r of await Promise.all(batch)) {
          if (r.statusCode === 201) continue;
          const code = r.json<{ error: { code: string } }>().error.code;
          codes.set(code, (codes.get(code) ?? 0) + 1);
        }
      }
      expect(genuineStatus).toBe(201);
      expect([...codes.values()].reduce((a, b) => a + b, 0)).toBe(TOTAL);
      expect([...codes.keys()].sort()).toEqual(['pow_invalid', 'pow_replayed', 'pow_required']);
      const after = await rowCounts(t);
      expect(after.cases).toBe(before.cases! + 1); // the genuine report, and nothing from the flood
      expect(after.messages).toBe(before.messages);
      expect(codes.get('pow_required')).toBe(TOTAL / 4);
    } finally {
      await t.close();
    }
  }, 120_000);
});
