// The receipt signing key: Ed25519 from a seed derived from the server secret
// (server-keys.ts, its own label), so it is never stored and every instance
// signs with the same key. Kept apart from service.ts so server-keys.ts can
// build it without importing the feature's rules.
//
// Signed with Node's crypto (OpenSSL), not libsodium's WebAssembly: every
// submission and message is answered with a receipt, and the WebAssembly
// signature cost about 0.1 ms of the event loop each. Ed25519 signatures are
// deterministic (RFC 8032), so both give the same bytes for the same seed and
// message; server/test/receipt-signer.test.ts compares them.
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { signingKeyPairFromSeed } from '../../../shared/src/crypto/at-rest.ts';
import { toB64u } from '../../../shared/src/crypto/encoding.ts';
import {
  receiptKeyOf, receiptMessage, RECEIPT_FORMAT, RECEIPT_VERSION, type Receipt, type ReceiptFields, type ReceiptKey,
} from '../../../shared/src/crypto/receipt.ts';

export interface ReceiptSigner {
  /** The public key and its id, as published (GET /api/v1/receipts/keys, npm run receipt:key). */
  key: ReceiptKey;
  sign(fields: Omit<ReceiptFields, 'keyId'>): Receipt;
}

/** PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410). */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

export function ed25519KeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

/** libsodium must be ready. */
export function receiptSigner(seed: Uint8Array): ReceiptSigner {
  const kp = signingKeyPairFromSeed(seed);
  const key = receiptKeyOf(kp.publicKey);
  const privateKey = ed25519KeyFromSeed(seed);
  return {
    key,
    sign: (f) => {
      const fields: ReceiptFields = { kind: f.kind, caseRef: f.caseRef, receivedOn: f.receivedOn, sealedHash: f.sealedHash, keyId: key.keyId };
      const sig = toB64u(sign(null, receiptMessage(fields), privateKey));
      return { format: RECEIPT_FORMAT, v: RECEIPT_VERSION, ...fields, sig };
    },
  };
}
