// Every class of bad input is refused with its code, and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubmitReport } from '../../shared/src/api/schemas.ts';
import { toB64u } from '../../shared/src/crypto/index.ts';
import { dialects } from './databases.ts';
import { makeApp, postMessage, postReport, rowCounts, sealFor, type Sealed, type TestApp } from './helpers.ts';

type Mutation = (b: SubmitReport) => unknown;

/** Flip a base64url string's last character to one that decodes to the same bytes length but is not canonical. */
function nonCanonical(s: string): string {
  const last = s.at(-1)!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const i = alphabet.indexOf(last);
  return s.slice(0, -1) + alphabet[i | 1];
}

const ctOfBytes = (n: number) => toB64u(new Uint8Array(n));
/** n bytes shaped like an rc2 envelope: version byte 2, then zeros. */
const rc2Ct = (n: number) => toB64u(Uint8Array.of(2, ...new Uint8Array(n - 1)));

const CASES: [string, number, string, Mutation][] = [
  ['rc1 body version', 400, 'invalid_request', (b) => ({ ...b, v: 1 })],
  ['wrong mode', 400, 'invalid_request', (b) => ({ ...b, mode: 'secret' })],
  ['keys not an array', 400, 'invalid_request', (b) => ({ ...b, keys: 'x' })],
  ['avoidOwnUnit as a string', 400, 'invalid_request', (b) => ({ ...b, avoidOwnUnit: 'true' })],
  ['unknown top-level field', 400, 'invalid_request', (b) => ({ ...b, reporterName: 'x' })],
  ['unknown envelope field', 400, 'invalid_request', (b) => ({ ...b, report: { ...b.report, plain: 'x' } })],
  ['unknown key-wrap field', 400, 'invalid_request', (b) => ({ ...b, keys: b.keys.map((k) => ({ ...k, note: 1 })) })],
  ['missing accessHash', 400, 'invalid_request', (b) => { const { accessHash: _, ...rest } = b; return rest; }],
  ['standard-alphabet base64', 400, 'invalid_request', (b) => ({ ...b, accessHash: `+${b.accessHash.slice(1)}` })],
  ['non-canonical accessHash', 400, 'invalid_base64', (b) => ({ ...b, accessHash: nonCanonical(b.accessHash) })],
  ['non-canonical key wrap', 400, 'invalid_base64', (b) => ({ ...b, keys: [{ ...b.keys[0]!, sealed: nonCanonical(b.keys[0]!.sealed) }, ...b.keys.slice(1)] })],
  ['impossible base64 length', 400, 'invalid_base64', (b) => ({ ...b, report: { ...b.report, ct: `${b.report.ct}A` } })],
  ['ciphertext not a bucket', 400, 'invalid_size', (b) => ({ ...b, report: { ...b.report, ct: ctOfBytes(1500 + 16) } })],
  ['ciphertext without tag', 400, 'invalid_size', (b) => ({ ...b, report: { ...b.report, ct: rc2Ct(1025) } })],
  ['rc1 envelope (no version byte)', 400, 'unsupported_version', (b) => ({ ...b, report: { ...b.report, ct: ctOfBytes(1040) } })],
  ['unknown envelope version', 400, 'invalid_size', (b) => ({ ...b, report: { ...b.report, ct: toB64u(Uint8Array.of(3, ...new Uint8Array(1040))) } })],
  ['unknown category', 400, 'unknown_category', (b) => ({ ...b, category: 'nope' })],
  ['unknown unit', 400, 'unknown_unit', (b) => ({ ...b, unit: 'nope' })],
  ['anonymous with identity', 400, 'identity_mismatch', (b) => ({ ...b, identity: b.report })],
  ['named without identity', 400, 'identity_mismatch', (b) => ({ ...b, mode: 'named' })],
  ['missing wrap', 409, 'recipients_changed', (b) => ({ ...b, keys: b.keys.slice(1) })],
  ['extra wrap', 409, 'recipients_changed', (b) => ({ ...b, keys: [...b.keys, { recipient: 'someone-else', sealed: b.keys[0]!.sealed }] })],
  ['wrap for another recipient', 409, 'recipients_changed', (b) => ({ ...b, keys: [{ ...b.keys[0]!, recipient: 'cs-bcu-psu-1' }, ...b.keys.slice(1)] })],
  ['routed elsewhere', 409, 'recipients_changed', (b) => ({ ...b, avoidOwnUnit: true })],
  ['duplicate wrap', 400, 'duplicate_recipient', (b) => ({ ...b, keys: [...b.keys, b.keys[0]!] })],
];

describe.each(dialects)('rejections on $name', (dialect) => {
  let t: TestApp;
  let sealed: Sealed;
  let before: Record<string, number>;
  beforeAll(async () => {
    t = await makeApp(dialect);
    sealed = await sealFor(t.app);
    before = await rowCounts(t);
  });
  afterAll(async () => { await t?.close(); });

  it.each(CASES)('%s → %i %s', async (_name, status, code, mutate) => {
    const res = await postReport(t.app, mutate(structuredClone(sealed.body)));
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
    expect(await rowCounts(t)).toEqual(before);
  });

  it('refuses a named report whose identity wraps miss a recipient', async () => {
    const named = await sealFor(t.app, { mode: 'named', category: 'bullying', unit: 'nw-cid', report: { narrative: 'n' }, identity: { name: 'N' } });
    const counts = await rowCounts(t);
    const res = await postReport(t.app, { ...named.body, identityKeys: named.body.identityKeys!.slice(1) });
    expect(res.json().error.code).toBe('recipients_changed');
    expect(await rowCounts(t)).toEqual(counts);
  });

  it('refuses oversize bodies, other media types and broken JSON', async () => {
    const huge = { ...sealed.body, report: { ...sealed.body.report, ct: ctOfBytes(600 * 1024) } };
    const big = await postReport(t.app, huge);
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('payload_too_large');
    const text = await postReport(t.app, JSON.stringify(sealed.body), { headers: { 'content-type': 'text/plain' } });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('unsupported_media_type');
    const broken = await postReport(t.app, '{"v":2,', { headers: { 'content-type': 'application/json' } });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('invalid_request');
    expect(await rowCounts(t)).toEqual(before);
  });

  it('refuses a replayed accessHash', async () => {
    const fresh = await sealFor(t.app);
    expect((await postReport(t.app, fresh.body)).statusCode).toBe(201);
    const counts = await rowCounts(t);
    const again = await postReport(t.app, fresh.body);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('access_hash_taken');
    expect(await rowCounts(t)).toEqual(counts);
  });

  it('refuses bad messages without storing them', async () => {
    const fresh = await sealFor(t.app);
    expect((await postReport(t.app, fresh.body)).statusCode).toBe(201);
    const counts = await rowCounts(t);
    const headers = { authorization: fresh.session.authorization };
    const ok = { id: toB64u(new Uint8Array(16).fill(7)), nonce: toB64u(new Uint8Array(24)), ct: rc2Ct(1041) };
    const send = (payload: unknown, extra: Record<string, string> = {}) =>
      postMessage(t.app, headers.authorization, payload, extra);
    const expectations: [unknown, number, string][] = [
      [{ ...ok, extra: 1 }, 400, 'invalid_request'],
      [{ ...ok, id: 'short' }, 400, 'invalid_request'],
      [{ ...ok, id: nonCanonical(ok.id) }, 400, 'invalid_base64'],
      [{ ...ok, ct: ctOfBytes(1000) }, 400, 'invalid_size'],
      [{ ...ok, ct: ctOfBytes(1040) }, 400, 'unsupported_version'],
      [{ ...ok, ct: ctOfBytes(128 * 1024) }, 413, 'payload_too_large'],
    ];
    for (const [payload, status, code] of expectations) {
      const res = await send(payload);
      expect([res.statusCode, res.json().error.code]).toEqual([status, code]);
    }
    const garbage = await send(ok, { authorization: 'Case garbage' });
    expect([garbage.statusCode, garbage.json().error.code]).toEqual([404, 'case_not_found']);
    expect(await rowCounts(t)).toEqual(counts);
  });

  it('answers unknown routes with not_found', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });
});
