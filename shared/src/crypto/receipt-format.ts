// The receipt's shape, constants and saved text (docs/PROTOCOL.md "Receipts"), without
// libsodium: pages that only show or save a receipt import this and stay out of the
// crypto chunk. Signing and checking are in receipt.ts.
export const RECEIPT_FORMAT = 'rc2-receipt';
export const RECEIPT_VERSION = 1;
/** Magic and version at the start of the signed body ("RCR" then the version byte). */
export const RECEIPT_MAGIC = 'RCR';
export const LABEL_RECEIPT_SIGNATURE = 'rc2 filing receipt';
export const LABEL_RECEIPT_KEY_ID = 'rc2 receipt key id';

// 'entry': one entry of a private record (record.ts), under the reference its case will have.
export const RECEIPT_KINDS = ['report', 'message', 'attachment', 'entry'] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];

/** What a receipt states; everything here is signed. */
export interface ReceiptFields {
  kind: ReceiptKind;
  caseRef: string;
  /** YYYY-MM-DD (Europe/London): the day only, never a time (THREAT-MODEL.md, "Time metadata"). */
  receivedOn: string;
  /** base64url of BLAKE2b-256 over the exact sealed bytes (sealedBytesOf). */
  sealedHash: string;
  /** Which receipt key signed it: receiptKeyId(publicKey). */
  keyId: string;
}

/** A receipt as the API returns it and the reporter saves it (JSON). */
export interface Receipt extends ReceiptFields {
  format: typeof RECEIPT_FORMAT;
  v: typeof RECEIPT_VERSION;
  /** Ed25519 signature (64 bytes, base64url) over receiptMessage(fields). */
  sig: string;
}

/** A published receipt public key. */
export interface ReceiptKey {
  keyId: string;
  /** Ed25519 public key, base64url. */
  publicKey: string;
}

/** The receipt as the text a reporter saves: stable key order, one field a line. */
export const receiptText = (r: Receipt): string => JSON.stringify(
  { format: r.format, v: r.v, kind: r.kind, caseRef: r.caseRef, receivedOn: r.receivedOn, sealedHash: r.sealedHash, keyId: r.keyId, sig: r.sig },
  null, 2,
) + '\n';

