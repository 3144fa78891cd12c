import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adIdentity, adMessage, adNote, adReport, bucketFor, fromB64u, generateId, generateKey, generateKeyPair, openBytes,
  openDoc, pad, ready, ENVELOPE_VERSION, envelopeVersion, sealBytes, sealDoc, toB64u, unpad, unwrapKey, wrapKey, type PublicKey,
} from './index.ts';

beforeAll(ready);

describe('padding', () => {
  it('uses the smallest power-of-two bucket from 1 KiB to 64 KiB, then 64 KiB steps', () => {
    expect(bucketFor(1)).toBe(1024);
    expect(bucketFor(1024)).toBe(1024);
    expect(bucketFor(1025)).toBe(2048);
    expect(bucketFor(65536)).toBe(65536);
    expect(bucketFor(65537)).toBe(131072);
    expect(bucketFor(200_000)).toBe(262144);
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (bytes) => {
        const padded = pad(bytes);
        expect(padded.length).toBe(bucketFor(bytes.length + 1));
        expect(Array.from(unpad(padded))).toEqual(Array.from(bytes));
      }),
    );
  });

  it('refuses padding without the 0x80 marker', () => {
    expect(() => unpad(new Uint8Array(1024))).toThrow();
    expect(() => unpad(Uint8Array.of(1, 2, 3))).toThrow();
  });
});

describe('envelopes', () => {
  const pk = (): PublicKey => generateKeyPair().publicKey;

  it('round-trips text through seal and open', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        const key = generateKey();
        const reporterPk = pk();
        const env = sealDoc(key, adReport(reporterPk), { schema: 'rc1/report', narrative: text });
        expect(openDoc(key, adReport(reporterPk), env, 'rc1/report').narrative).toBe(text);
      }),
      { numRuns: 50 },
    );
  });

  it('fails on any flipped ciphertext or nonce bit', () => {
    const key = generateKey();
    const ad = adReport(pk());
    const env = sealBytes(key, ad, new TextEncoder().encode('confidential'));
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 7 }), (inNonce, at, bit) => {
        const bytes = fromB64u(inNonce ? env.nonce : env.ct);
        const i = at % bytes.length;
        bytes[i] = (bytes[i] as number) ^ (1 << bit);
        const tampered = inNonce ? { ...env, nonce: toB64u(bytes) } : { ...env, ct: toB64u(bytes) };
        expect(() => openBytes(key, ad, tampered)).toThrow();
      }),
      { numRuns: 100 },
    );
  });

  it('fails under the wrong additional data: another case, another record, another kind', () => {
    const key = generateKey();
    const reporterPk = pk();
    const id = generateId();
    const env = sealBytes(key, adMessage(reporterPk, id), Uint8Array.of(1));
    expect(() => openBytes(key, adMessage(pk(), id), env)).toThrow();
    expect(() => openBytes(key, adMessage(reporterPk, generateId()), env)).toThrow();
    expect(() => openBytes(key, adNote(reporterPk, id), env)).toThrow();
    expect(() => openBytes(key, adIdentity(reporterPk), env)).toThrow();
    expect(() => openBytes(generateKey(), adMessage(reporterPk, id), env)).toThrow();
    expect(Array.from(openBytes(key, adMessage(reporterPk, id), env))).toEqual([1]);
  });

  it('seals version 2: a header byte that the tag also covers', () => {
    const key = generateKey();
    const ad = adReport(pk());
    const env = sealBytes(key, ad, Uint8Array.of(7));
    const ct = fromB64u(env.ct);
    expect(ct[0]).toBe(ENVELOPE_VERSION);
    expect(ct.length).toBe(1 + 1024 + 16);
    expect(envelopeVersion(ct)).toBe(2);
    // Another header byte, or one byte too many, is a length or version no reader knows.
    for (const forged of [Uint8Array.of(3, ...ct.subarray(1)), Uint8Array.of(2, 2, ...ct.subarray(1))]) {
      expect(() => openBytes(key, ad, { ...env, ct: toB64u(forged) })).toThrow(/version/);
    }
    // Stripping the header makes it look like rc1, but the header is in the additional data, so the tag fails.
    const stripped = ct.subarray(1);
    expect(envelopeVersion(stripped)).toBe(1);
    expect(() => openBytes(key, ad, { nonce: env.nonce, ct: toB64u(stripped) })).toThrow(/decrypt/);
  });

  it('still opens rc1 envelopes (no header), under the same additional data', () => {
    const key = generateKey();
    const reporterPk = pk();
    const id = generateId();
    const env = sealDoc(key, adMessage(reporterPk, id), { schema: 'rc1/message', from: 'reporter', text: 'old' }, { version: 1 });
    expect(fromB64u(env.ct).length).toBe(1024 + 16);
    expect(openDoc(key, adMessage(reporterPk, id), env, 'rc1/message').text).toBe('old');
    expect(() => openDoc(key, adMessage(reporterPk, generateId()), env, 'rc1/message')).toThrow();
  });

  it('rejects a document of another schema', () => {
    const key = generateKey();
    const ad = adReport(pk());
    const env = sealDoc(key, ad, { schema: 'rc1/note', text: 'x' });
    expect(() => openDoc(key, ad, env, 'rc1/report')).toThrow(/rc1\/report/);
  });
});

describe('key wraps', () => {
  it('opens only with the recipient key pair', () => {
    const alice = generateKeyPair();
    const key = generateKey();
    const sealed = wrapKey(alice.publicKey, key);
    expect(sealed.length).toBe(80);
    expect(Array.from(unwrapKey(alice, sealed))).toEqual(Array.from(key));
    expect(() => unwrapKey(generateKeyPair(), sealed)).toThrow();
    sealed[40] = (sealed[40] as number) ^ 1;
    expect(() => unwrapKey(alice, sealed)).toThrow();
  });
});
