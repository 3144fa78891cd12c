// Every key the server derives from its secret (secret.ts), in one place so the
// labels are seen together: a new purpose gets a new label, never a reused one.
// None of these is stored anywhere; each instance derives the same ones.
import { auditSigner, type AuditSigner } from './audit/head.ts';
import { secretBox, type SecretBox } from './atrest/box.ts';
import { deriveKey } from './secret.ts';
import { receiptSigner, type ReceiptSigner } from './receipts/signer.ts';

export interface ServerKeys {
  /** Seals TOTP secrets (atrest/). */
  box: SecretBox;
  /** Signs the audit log's head (audit/head.ts). */
  auditSigner: AuditSigner;
  /** Signs receipts for stored sealed records (receipts/); its public key is published. */
  receipt: ReceiptSigner;
  /** Staff sign-in: fake salts, CSRF tokens, device cookies (auth/service.ts). */
  auth: { fakeSalt: Buffer; csrf: Buffer; device: Buffer };
}

/** libsodium must be ready (shared/src/crypto ready()). */
export function serverKeys(secret: Uint8Array): ServerKeys {
  return {
    box: secretBox(deriveKey(secret, 'rc at-rest secrets key v1')),
    auditSigner: auditSigner(deriveKey(secret, 'rc audit head signing key v1')),
    receipt: receiptSigner(deriveKey(secret, 'rc receipt signing key v1')),
    auth: {
      fakeSalt: deriveKey(secret, 'rc staff fake salt key v1'),
      csrf: deriveKey(secret, 'rc staff csrf key v1'),
      device: deriveKey(secret, 'rc staff device key v1'),
    },
  };
}
