// The receipt signing key: Ed25519 from a seed derived from the server secret
// (server-keys.ts, its own label), so it is never stored and every instance
// signs with the same key. Kept apart from service.ts so server-keys.ts can
// build it without importing the feature's rules.
import { signingKeyPairFromSeed } from '../../../shared/src/crypto/at-rest.ts';
import { receiptKeyOf, signReceipt, type Receipt, type ReceiptFields, type ReceiptKey } from '../../../shared/src/crypto/receipt.ts';

export interface ReceiptSigner {
  /** The public key and its id, as published (GET /api/v1/receipts/keys, npm run receipt:key). */
  key: ReceiptKey;
  sign(fields: Omit<ReceiptFields, 'keyId'>): Receipt;
}

/** libsodium must be ready. */
export function receiptSigner(seed: Uint8Array): ReceiptSigner {
  const kp = signingKeyPairFromSeed(seed);
  return { key: receiptKeyOf(kp.publicKey), sign: (fields) => signReceipt(kp.secretKey, fields) };
}
