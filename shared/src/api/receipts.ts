// Receipts on the wire (docs/PROTOCOL.md "Receipts"): the signed receipt returned
// when a sealed record is stored, the published receipt keys, and the staff check
// of a receipt against what a case holds. The fields' meaning and the signed bytes
// are in shared/src/crypto/receipt.ts.
import { Type, type Static } from '@sinclair/typebox';
import { CASE_REF_PATTERN } from '../domain/reference.ts';

const strict = { additionalProperties: false } as const;
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const b64 = (chars: number) => Type.String({ pattern: '^[A-Za-z0-9_-]*$', minLength: chars, maxLength: chars });
const KeyId = b64(12);

export const ReceiptWire = Type.Object({
  format: Type.Literal('rc2-receipt'),
  v: Type.Literal(1),
  kind: Type.Union([Type.Literal('report'), Type.Literal('message'), Type.Literal('attachment'), Type.Literal('entry')]),
  caseRef: Type.String({ pattern: CASE_REF_PATTERN }),
  receivedOn: Day,
  /** BLAKE2b-256 of the sealed bytes, base64url (32 bytes). */
  sealedHash: b64(43),
  keyId: KeyId,
  /** Ed25519 signature, base64url (64 bytes). */
  sig: b64(86),
}, strict);

export const ReceiptKeyWire = Type.Object({ keyId: KeyId, publicKey: b64(43) }, strict);

/** GET /api/v1/receipts/keys: the key signing today's receipts, and earlier ones still to be believed. */
export const ReceiptKeysResponse = Type.Object({
  current: ReceiptKeyWire,
  previous: Type.Array(ReceiptKeyWire),
});

/** The receipt as pasted or uploaded: its text, checked strictly by the server. */
export const ReceiptCheckBody = Type.Object({ receipt: Type.String({ minLength: 1, maxLength: 4096 }) }, strict);

export const RECEIPT_CHECK_RESULTS = ['match', 'not_genuine', 'other_case', 'no_record', 'date_differs'] as const;

export const ReceiptCheckResponse = Type.Object({
  match: Type.Boolean(),
  /**
   * match: genuine, for this case, and a stored record hashes to it on that day; not_genuine: the signature
   * or key does not hold; other_case: genuine but for another reference; no_record: nothing stored in this
   * case hashes to it (changed, purged, or never stored); date_differs: the record is here but under another day.
   */
  result: Type.Union(RECEIPT_CHECK_RESULTS.map((r) => Type.Literal(r))),
  /** The record it matched, when one did. */
  record: Type.Optional(Type.Object({
    kind: Type.Union([Type.Literal('report'), Type.Literal('message'), Type.Literal('attachment'), Type.Literal('entry')]),
    from: Type.Optional(Type.Union([Type.Literal('reporter'), Type.Literal('triage')])),
    on: Day,
  })),
});

export type ReceiptWireType = Static<typeof ReceiptWire>;
export type ReceiptKeys = Static<typeof ReceiptKeysResponse>;
export type ReceiptCheckResult = Static<typeof ReceiptCheckResponse>;
export type ReceiptCheckOutcome = (typeof RECEIPT_CHECK_RESULTS)[number];
