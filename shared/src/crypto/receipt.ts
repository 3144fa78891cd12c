// Signed proof of filing (docs/PROTOCOL.md "Receipts"): when the server stores a
// sealed record it signs, with a key kept outside the database, the case reference,
// a hash of the exact sealed bytes, the day received and the kind of record. The
// holder can later show that the force received those bytes on that day; the
// receipt says nothing about what the bytes say, and proves nothing without them.
//
// The signed bytes are a fixed binary layout rebuilt from the fields, so the JSON
// a receipt travels in (spacing, key order) never matters.
import { concat, fromB64u, isB64u, toB64u, utf8 } from './encoding.ts';
import { attachmentHasher } from './attachment.ts';
import { sodium } from './sodium.ts';
import type { B64u } from './types.ts';
import { CASE_REF_PATTERN } from '../domain/reference.ts';
import {
  RECEIPT_FORMAT, RECEIPT_KINDS, RECEIPT_MAGIC, RECEIPT_VERSION, LABEL_RECEIPT_KEY_ID, LABEL_RECEIPT_SIGNATURE,
  type Receipt, type ReceiptFields, type ReceiptKey, type ReceiptKind,
} from './receipt-format.ts';

export * from './receipt-format.ts';

const CASE_REF = new RegExp(CASE_REF_PATTERN);
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const KEY_ID = /^[A-Za-z0-9_-]{12}$/;
const FIELDS = ['format', 'v', 'kind', 'caseRef', 'receivedOn', 'sealedHash', 'keyId', 'sig'] as const;

/** Why a receipt was refused: `code` to branch on, `message` in plain words for a person. */
export class ReceiptError extends Error {
  constructor(readonly code: ReceiptProblem, message: string) {
    super(message);
    this.name = 'ReceiptError';
  }
}

export type ReceiptProblem = 'malformed' | 'unknown_key' | 'bad_signature' | 'hash_mismatch';

/** The sealed bytes of an envelope: its 24-byte nonce then its ciphertext (version byte included), both decoded. */
export const sealedBytesOf = (env: { nonce: string; ct: string }): Uint8Array => concat(fromB64u(env.nonce), fromB64u(env.ct));

/** H0(bytes) = BLAKE2b-256 without a key, base64url. */
export const hashSealedBytes = (bytes: Uint8Array): B64u => toB64u(sodium().crypto_generichash(32, bytes, null));

/** The sealed hash of an envelope as posted. */
export const sealedHashOf = (env: { nonce: string; ct: string }): B64u => hashSealedBytes(sealedBytesOf(env));

/**
 * The hash a receipt of this kind names for these sealed bytes. An attachment's receipt names its
 * attachment hash (PROTOCOL.md "Attachments": keyed BLAKE2b-256 over the sealed chunks in order, which
 * the server computes while reading the chunks back), so its sealed bytes are the chunks concatenated.
 */
export function receiptHashOf(kind: ReceiptKind, sealedBytes: Uint8Array): B64u {
  if (kind !== 'attachment') return hashSealedBytes(sealedBytes);
  const h = attachmentHasher();
  h.update(sealedBytes);
  return toB64u(h.digest());
}

/** First 9 bytes of H("rc2 receipt key id", publicKey), base64url (12 characters). */
export const receiptKeyId = (publicKey: Uint8Array): string =>
  toB64u(sodium().crypto_generichash(32, publicKey, utf8(LABEL_RECEIPT_KEY_ID)).slice(0, 9));

const field = (bytes: Uint8Array): Uint8Array => {
  if (bytes.length > 255) throw new RangeError('receipt field too long');
  return concat(Uint8Array.of(bytes.length), bytes);
};

function checkFields(f: ReceiptFields): void {
  if (!RECEIPT_KINDS.includes(f.kind)) throw new ReceiptError('malformed', 'The receipt names an unknown kind of record.');
  if (!CASE_REF.test(f.caseRef)) throw new ReceiptError('malformed', 'The receipt’s case reference is not in the form RC-XXXX-XXXX.');
  if (!DAY.test(f.receivedOn)) throw new ReceiptError('malformed', 'The receipt’s date is not a day in the form YYYY-MM-DD.');
  if (!isB64u(f.sealedHash, 32)) throw new ReceiptError('malformed', 'The receipt’s sealed hash is not 32 bytes of base64url.');
  if (!KEY_ID.test(f.keyId)) throw new ReceiptError('malformed', 'The receipt’s key id is not 12 base64url characters.');
}

/** The canonical body: "RCR" ‖ 0x01 ‖ field(kind) ‖ field(caseRef) ‖ field(receivedOn) ‖ field(sealedHash) ‖ field(keyId). */
export function encodeReceiptBody(f: ReceiptFields): Uint8Array {
  checkFields(f);
  return concat(
    utf8(RECEIPT_MAGIC), Uint8Array.of(RECEIPT_VERSION),
    field(utf8(f.kind)), field(utf8(f.caseRef)), field(utf8(f.receivedOn)), field(fromB64u(f.sealedHash)), field(utf8(f.keyId)),
  );
}

/** The exact bytes signed: the label, a zero byte, then the body. */
export const receiptMessage = (f: ReceiptFields): Uint8Array =>
  concat(utf8(LABEL_RECEIPT_SIGNATURE), Uint8Array.of(0), encodeReceiptBody(f));

/** Signs a receipt with an Ed25519 secret key (64 bytes, libsodium's form); keyId is taken from its public half. */
export function signReceipt(secretKey: Uint8Array, f: Omit<ReceiptFields, 'keyId'>): Receipt {
  const keyId = receiptKeyId(secretKey.slice(32));
  const fields: ReceiptFields = { kind: f.kind, caseRef: f.caseRef, receivedOn: f.receivedOn, sealedHash: f.sealedHash, keyId };
  const sig = toB64u(sodium().crypto_sign_detached(receiptMessage(fields), secretKey));
  return { format: RECEIPT_FORMAT, v: RECEIPT_VERSION, ...fields, sig };
}

/** Strict reading of a receipt (a parsed JSON value or its text): exactly the known fields, each well formed. */
export function parseReceipt(input: unknown): Receipt {
  let v = input;
  if (typeof input === 'string') {
    try {
      v = JSON.parse(input);
    } catch {
      throw new ReceiptError('malformed', 'This is not a receipt: it is not the JSON text a receipt is saved as.');
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ReceiptError('malformed', 'This is not a receipt: it is not a JSON object.');
  const o = v as Record<string, unknown>;
  if (o.format !== RECEIPT_FORMAT) throw new ReceiptError('malformed', `This is not a receipt: its format is not "${RECEIPT_FORMAT}".`);
  if (o.v !== RECEIPT_VERSION) throw new ReceiptError('malformed', `This receipt is of version ${String(o.v)}, which this checker does not know.`);
  const extra = Object.keys(o).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (extra.length > 0) throw new ReceiptError('malformed', `The receipt has fields a receipt does not have: ${extra.join(', ')}.`);
  for (const k of FIELDS) {
    if (k !== 'v' && typeof o[k] !== 'string') throw new ReceiptError('malformed', `The receipt’s ${k} is missing or not text.`);
  }
  const r = o as unknown as Receipt;
  checkFields(r);
  if (!isB64u(r.sig, 64)) throw new ReceiptError('malformed', 'The receipt’s signature is not 64 bytes of base64url.');
  return { format: RECEIPT_FORMAT, v: RECEIPT_VERSION, kind: r.kind, caseRef: r.caseRef, receivedOn: r.receivedOn, sealedHash: r.sealedHash, keyId: r.keyId, sig: r.sig };
}

export type ReceiptCheck =
  | { ok: true; receipt: Receipt; key: ReceiptKey; hashChecked: boolean }
  | { ok: false; code: ReceiptProblem; message: string };

/**
 * Checks a receipt against the trusted public keys (those the force published), and, when
 * `sealedBytes` is given, that they are the bytes it names. Never throws for bad input.
 */
export function verifyReceipt(input: unknown, trusted: readonly ReceiptKey[], sealedBytes?: Uint8Array): ReceiptCheck {
  try {
    const r = parseReceipt(input);
    const key = trusted.find((k) => k.keyId === r.keyId);
    if (!key || !isB64u(key.publicKey, 32) || receiptKeyId(fromB64u(key.publicKey)) !== key.keyId) {
      return { ok: false, code: 'unknown_key', message: `The receipt was signed with key ${r.keyId}, which is not a published receipt key. It was not issued by this service, or its key was not published.` };
    }
    let good = false;
    try {
      good = sodium().crypto_sign_verify_detached(fromB64u(r.sig), receiptMessage(r), fromB64u(key.publicKey));
    } catch {
      good = false;
    }
    if (!good) {
      return { ok: false, code: 'bad_signature', message: 'The signature does not match: the reference, date, kind or hash on this receipt has been changed since it was issued, or the receipt is not genuine.' };
    }
    if (sealedBytes !== undefined && receiptHashOf(r.kind, sealedBytes) !== r.sealedHash) {
      return { ok: false, code: 'hash_mismatch', message: 'The receipt is genuine, but these are not the sealed bytes it was issued for.' };
    }
    return { ok: true, receipt: r, key, hashChecked: sealedBytes !== undefined };
  } catch (err) {
    if (err instanceof ReceiptError) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: 'malformed', message: 'This is not a readable receipt.' };
  }
}

/** The key record for a receipt public key. */
export const receiptKeyOf = (publicKey: Uint8Array): ReceiptKey => ({ keyId: receiptKeyId(publicKey), publicKey: toB64u(publicKey) });
