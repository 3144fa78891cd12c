// docs/receipt-vectors.json and the receipt rules: the code reproduces every byte, and
// changing any signed field, the signature, or one sealed byte makes the check fail.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import rv from '../../../docs/receipt-vectors.json' with { type: 'json' };
import { signingKeyPairFromSeed } from './at-rest.ts';
import { fromB64u, ready, toB64u } from './index.ts';
import {
  encodeReceiptBody, parseReceipt, receiptKeyOf, receiptMessage, receiptText, sealedBytesOf, sealedHashOf, signReceipt, verifyReceipt,
  type Receipt, type ReceiptKey,
} from './receipt.ts';

beforeAll(ready);

const trusted: ReceiptKey[] = [rv.publishedKey];

describe('receipt vectors', () => {
  it('derives the published key and its id from the seed', () => {
    expect(receiptKeyOf(signingKeyPairFromSeed(fromB64u(rv.seed)).publicKey)).toEqual(rv.publishedKey);
  });
  for (const v of rv.receipts) {
    it(`${v.receipt.kind}: same sealed bytes, hash, body, signature and text; verifies with the bytes`, () => {
      expect(toB64u(sealedBytesOf(v.envelope))).toBe(v.sealedBytes);
      expect(sealedHashOf(v.envelope)).toBe(v.sealedHash);
      const kp = signingKeyPairFromSeed(fromB64u(rv.seed));
      const r = signReceipt(kp.secretKey, { kind: v.receipt.kind as Receipt['kind'], caseRef: v.receipt.caseRef, receivedOn: v.receipt.receivedOn, sealedHash: v.sealedHash });
      expect(r).toEqual(v.receipt);
      expect(toB64u(encodeReceiptBody(r))).toBe(v.body);
      expect(toB64u(receiptMessage(r))).toBe(v.signedMessage);
      expect(receiptText(r)).toBe(v.text);
      const ok = verifyReceipt(v.text, trusted, fromB64u(v.sealedBytes));
      expect(ok).toMatchObject({ ok: true, hashChecked: true });
      expect(verifyReceipt(v.receipt, trusted)).toMatchObject({ ok: true, hashChecked: false });
    });
  }
  for (const r of rv.refused) {
    it(`refuses: ${r.why} (${r.expect})`, () => {
      const check = verifyReceipt(r.receipt, trusted, r.sealedBytes ? fromB64u(r.sealedBytes) : undefined);
      expect(check).toMatchObject({ ok: false, code: r.expect });
      if (!check.ok) expect(check.message.length).toBeGreaterThan(20);
    });
  }
});

describe('receipt format', () => {
  const kp = () => signingKeyPairFromSeed(fromB64u(rv.seed));
  const good = () => rv.receipts[0]!.receipt as Receipt;

  it('the JSON around a receipt does not matter (spacing, key order), its fields do', () => {
    const r = good();
    const shuffled = JSON.stringify({ sig: r.sig, keyId: r.keyId, sealedHash: r.sealedHash, receivedOn: r.receivedOn, caseRef: r.caseRef, kind: r.kind, v: r.v, format: r.format });
    expect(verifyReceipt(shuffled, trusted).ok).toBe(true);
  });

  it('tampering any signed field fails (property: every field, any other valid value)', () => {
    const r = good();
    const alt = {
      kind: fc.constantFrom('message', 'attachment'),
      caseRef: fc.stringMatching(/^RC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/).filter((s) => s !== r.caseRef),
      receivedOn: fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)).filter((s) => s !== r.receivedOn),
      sealedHash: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toB64u).filter((s) => s !== r.sealedHash),
    };
    for (const [k, arb] of Object.entries(alt)) {
      fc.assert(fc.property(arb, (value) => {
        const check = verifyReceipt({ ...r, [k]: value }, trusted);
        return !check.ok && check.code === 'bad_signature';
      }), { numRuns: 40 });
    }
  });

  it('any single flipped bit of the signature fails', () => {
    const r = good();
    const sig = fromB64u(r.sig);
    for (let bit = 0; bit < sig.length * 8; bit += 7) {
      const s = sig.slice();
      s[bit >> 3]! ^= 1 << (bit & 7);
      expect(verifyReceipt({ ...r, sig: toB64u(s) }, trusted).ok).toBe(false);
    }
  });

  it('a changed sealed byte anywhere fails the hash', () => {
    const bytes = fromB64u(rv.receipts[0]!.sealedBytes);
    for (const at of [0, 23, 24, 25, bytes.length - 1]) {
      const b = bytes.slice();
      b[at]! ^= 0x01;
      expect(verifyReceipt(good(), trusted, b)).toMatchObject({ ok: false, code: 'hash_mismatch' });
    }
  });

  it('a receipt under a key id that the trusted list maps to another key is refused', () => {
    const other = signingKeyPairFromSeed(new Uint8Array(32).fill(9));
    const lying: ReceiptKey[] = [{ keyId: rv.publishedKey.keyId, publicKey: toB64u(other.publicKey) }];
    expect(verifyReceipt(good(), lying)).toMatchObject({ ok: false, code: 'unknown_key' });
  });

  it('refuses what is not a receipt, with a message', () => {
    for (const bad of ['', 'not json', '[]', 'null', '{"format":"rc2-receipt"}', JSON.stringify({ ...good(), caseRef: 'rc-7k3m-q9xt' }),
      JSON.stringify({ ...good(), sealedHash: good().sealedHash + 'A' }), JSON.stringify({ ...good(), v: '1' })]) {
      const check = verifyReceipt(bad, trusted);
      expect(check).toMatchObject({ ok: false, code: 'malformed' });
    }
    expect(() => parseReceipt('{')).toThrow(/not the JSON text/);
  });

  it('signs with the key id of its own public key, so rotation is visible on the receipt', () => {
    const a = signReceipt(kp().secretKey, { kind: 'report', caseRef: 'RC-0000-0000', receivedOn: '2026-01-01', sealedHash: rv.receipts[0]!.sealedHash });
    const b = signReceipt(signingKeyPairFromSeed(new Uint8Array(32).fill(3)).secretKey, { kind: 'report', caseRef: 'RC-0000-0000', receivedOn: '2026-01-01', sealedHash: rv.receipts[0]!.sealedHash });
    expect(a.keyId).toBe(rv.publishedKey.keyId);
    expect(b.keyId).not.toBe(a.keyId);
    expect(verifyReceipt(b, trusted)).toMatchObject({ ok: false, code: 'unknown_key' });
  });
});
