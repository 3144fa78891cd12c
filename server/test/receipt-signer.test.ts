// The server signs receipts with Node's Ed25519 (receipts/signer.ts); the protocol's reference is
// libsodium's signReceipt. Deterministic signatures: the two must give identical receipts.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../shared/src/crypto/index.ts';
import { signingKeyPairFromSeed } from '../../shared/src/crypto/at-rest.ts';
import { RECEIPT_KINDS, receiptKeyOf, signReceipt, verifyReceipt } from '../../shared/src/crypto/receipt.ts';
import { receiptSigner } from '../src/receipts/signer.ts';

beforeAll(ready);

describe('receipt signer', () => {
  it('signs exactly as libsodium does, for any seed and fields', () => {
    for (let i = 0; i < 50; i++) {
      const seed = randomBytes(32);
      const kp = signingKeyPairFromSeed(seed);
      const signer = receiptSigner(seed);
      expect(signer.key).toEqual(receiptKeyOf(kp.publicKey));
      const fields = {
        kind: RECEIPT_KINDS[i % RECEIPT_KINDS.length]!, caseRef: `RC-${'ABCD'.repeat(1)}-${String(1000 + i)}`,
        receivedOn: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`, sealedHash: randomBytes(32).toString('base64url'),
      };
      const ours = signer.sign(fields);
      expect(ours).toEqual(signReceipt(kp.secretKey, fields));
      expect(verifyReceipt(ours, [signer.key]).ok).toBe(true);
    }
  });
});
