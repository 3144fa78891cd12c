// Regenerates docs/receipt-vectors.json: `npx tsx shared/test/make-receipt-vectors.ts`.
// A fixed seed makes it reproducible; receipt.test.ts checks the code still makes exactly
// these bytes, and py_client.py --receipts checks them with PyNaCl from PROTOCOL.md alone.
// The sealed envelopes are those of rc2-vectors.json, so the hash is over real rc2 bytes.
import { readFileSync, writeFileSync } from 'node:fs';
import { sodium } from '../src/crypto/sodium.ts';
import { fromB64u, ready, toB64u } from '../src/crypto/index.ts';
import {
  encodeReceiptBody, receiptKeyOf, receiptMessage, receiptText, sealedBytesOf, sealedHashOf, signReceipt, type Receipt, type ReceiptKind,
} from '../src/crypto/receipt.ts';
import { signingKeyPairFromSeed } from '../src/crypto/at-rest.ts';

await ready();
const seed = sodium().crypto_generichash(32, new TextEncoder().encode('receipt vector signing seed'), null);
const kp = signingKeyPairFromSeed(seed);
const other = signingKeyPairFromSeed(sodium().crypto_generichash(32, new TextEncoder().encode('receipt vector other seed'), null));
const rc2 = JSON.parse(readFileSync(new URL('../../docs/rc2-vectors.json', import.meta.url), 'utf8')) as { envelopes: { kind: string; nonce: string; ct: string }[] };
const env = (kind: string) => {
  const e = rc2.envelopes.find((x) => x.kind === kind);
  if (!e) throw new Error(`no ${kind} envelope in rc2-vectors.json`);
  return { nonce: e.nonce, ct: e.ct };
};

const cases: { kind: ReceiptKind; caseRef: string; receivedOn: string; envelope: { nonce: string; ct: string } }[] = [
  { kind: 'report', caseRef: 'RC-7K3M-Q9XT', receivedOn: '2026-03-02', envelope: env('report') },
  { kind: 'message', caseRef: 'RC-7K3M-Q9XT', receivedOn: '2026-03-09', envelope: env('message') },
];

const receipts = cases.map((c) => {
  const sealedHash = sealedHashOf(c.envelope);
  const receipt = signReceipt(kp.secretKey, { kind: c.kind, caseRef: c.caseRef, receivedOn: c.receivedOn, sealedHash });
  return {
    envelope: c.envelope,
    sealedBytes: toB64u(sealedBytesOf(c.envelope)),
    sealedHash,
    body: toB64u(encodeReceiptBody(receipt)),
    signedMessage: toB64u(receiptMessage(receipt)),
    receipt,
    text: receiptText(receipt),
  };
});

const base = receipts[0]!.receipt;
const flip = (b64: string): string => {
  const b = fromB64u(b64);
  b[0]! ^= 1;
  return toB64u(b);
};
const refused: { why: string; expect: string; receipt: Receipt | Record<string, unknown>; sealedBytes?: string }[] = [
  { why: 'case reference changed', expect: 'bad_signature', receipt: { ...base, caseRef: 'RC-7K3M-Q9XV' } },
  { why: 'date changed by one day', expect: 'bad_signature', receipt: { ...base, receivedOn: '2026-03-03' } },
  { why: 'kind changed', expect: 'bad_signature', receipt: { ...base, kind: 'message' } },
  { why: 'sealed hash changed (one bit)', expect: 'bad_signature', receipt: { ...base, sealedHash: flip(base.sealedHash) } },
  { why: 'signature changed (one bit)', expect: 'bad_signature', receipt: { ...base, sig: flip(base.sig) } },
  { why: 'signed by a key that was not published', expect: 'unknown_key', receipt: signReceipt(other.secretKey, { kind: base.kind, caseRef: base.caseRef, receivedOn: base.receivedOn, sealedHash: base.sealedHash }) },
  { why: 'unknown version', expect: 'malformed', receipt: { ...base, v: 2 } },
  { why: 'a field a receipt does not have (a time)', expect: 'malformed', receipt: { ...base, receivedAt: '2026-03-02T09:14:00Z' } },
  { why: 'a time of day in the date', expect: 'malformed', receipt: { ...base, receivedOn: '2026-03-02T09:14' } },
  {
    why: 'genuine receipt, but one sealed byte changed', expect: 'hash_mismatch', receipt: base,
    sealedBytes: (() => { const b = sealedBytesOf(cases[0]!.envelope); b[b.length - 1]! ^= 0x80; return toB64u(b); })(),
  },
];

const out = {
  format: 'rc2-receipt v1 test vectors (docs/PROTOCOL.md "Receipts")',
  note: 'The signing seed is fixed only so the bytes are reproducible; a real receipt key is derived from the server secret.',
  seed: toB64u(seed),
  publishedKey: receiptKeyOf(kp.publicKey),
  receipts,
  refused,
};
writeFileSync(new URL('../../docs/receipt-vectors.json', import.meta.url), JSON.stringify(out, null, 2) + '\n');
console.log('wrote docs/receipt-vectors.json');
