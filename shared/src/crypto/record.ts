// A private record (docs/PROTOCOL.md "Private records"): dated entries sealed in the
// holder's browser under a random record key that only the record token unwraps. No
// team, recovery key or server holds a wrap of it until the holder turns the record
// into a report; then the same key becomes the case key, so every entry's stored bytes
// (and the receipt over them) stay exactly as they were.
import type { RecordEntryWire, RecordView, NewRecord, NewRecordEntry } from '../api/record.ts';
import type { RecipientsInfo } from '../api/schemas.ts';
import { verifyRecipients } from './certs.ts';
import { accessHashOf } from './derive.ts';
import type { RecordEntryDoc, RecordSubjectDoc } from './documents.ts';
import { concat, fromB64u, toB64u, utf8 } from './encoding.ts';
import { generateId, generateKey, openDoc, sealDoc, type SealOptions } from './envelope.ts';
import { sealSubmission, type Draft, type SealedSubmission } from './reporter.ts';
import { sodium } from './sodium.ts';
import { formatToken, generateToken, parseToken, type TokenParse } from './token.ts';
import { ID_BYTES, KEY_BYTES, NONCE_BYTES, type AccessKey, type CaseToken, type SymmetricKey } from './types.ts';

export const LABEL_RECORD_ACCESS = 'rc2 record access key';
export const LABEL_RECORD_WRAP = 'rc2 record wrapping key';
/** What sets a record token apart from a case token: same 120 bits, same characters, this prefix. */
export const RECORD_TOKEN_PREFIX = 'REC';
/** nonce ‖ AEAD(recordKey): 24 + 32 + 16 bytes. Not 80, so it is never mistaken for a box wrap. */
export const HOLDER_KEY_BYTES = NONCE_BYTES + KEY_BYTES + 16;

export const adRecordKey = (recordId: Uint8Array): Uint8Array => concat(utf8('rc2/record-key'), id16(recordId));
export const adRecordEntry = (recordId: Uint8Array, entryId: Uint8Array): Uint8Array =>
  concat(utf8('rc2/record-entry'), id16(recordId), id16(entryId));
export const adRecordSubject = (recordId: Uint8Array, entryId: Uint8Array): Uint8Array =>
  concat(utf8('rc2/record-subject'), id16(recordId), id16(entryId));

function id16(id: Uint8Array): Uint8Array {
  if (id.length !== ID_BYTES) throw new RangeError(`record ids are ${ID_BYTES} bytes`);
  return id;
}

const h = (label: string, m: Uint8Array): Uint8Array => sodium().crypto_generichash(32, m, utf8(label));

/** `REC-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`: a case token's 25 characters after the prefix. */
export function formatRecordToken(token: CaseToken): string {
  return `${RECORD_TOKEN_PREFIX}-${formatToken(token)}`;
}

export type AnyTokenParse = TokenParse & { kind: 'case' | 'record' };

/**
 * Reads either kind of token, as forgivingly as parseToken. A record token is 28 characters once
 * spaces and hyphens go, starting REC; a case token is 25, so the two cannot be confused.
 */
export function parseAnyToken(input: string): AnyTokenParse {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, '');
  if (cleaned.startsWith(RECORD_TOKEN_PREFIX) && cleaned.length === 25 + RECORD_TOKEN_PREFIX.length) {
    return { ...parseToken(cleaned.slice(RECORD_TOKEN_PREFIX.length)), kind: 'record' };
  }
  return { ...parseToken(cleaned), kind: 'case' };
}

export function deriveRecordAccessKey(token: CaseToken): AccessKey {
  return h(LABEL_RECORD_ACCESS, token) as AccessKey;
}

export function deriveRecordWrapKey(token: CaseToken): SymmetricKey {
  return h(LABEL_RECORD_WRAP, token) as SymmetricKey;
}

export function wrapRecordKey(wrapKey: SymmetricKey, recordId: Uint8Array, recordKey: SymmetricKey, nonce?: Uint8Array): Uint8Array {
  const n = nonce ?? sodium().randombytes_buf(NONCE_BYTES);
  return concat(n, sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(recordKey, adRecordKey(recordId), null, n, wrapKey));
}

/** Throws if the token is not this record's or the wrap was changed. */
export function unwrapRecordKey(wrapKey: SymmetricKey, recordId: Uint8Array, holderKey: Uint8Array): SymmetricKey {
  if (holderKey.length !== HOLDER_KEY_BYTES) throw new RangeError('bad holder key length');
  const key = sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(
    null, holderKey.subarray(NONCE_BYTES), adRecordKey(recordId), holderKey.subarray(0, NONCE_BYTES), wrapKey,
  );
  return key as SymmetricKey;
}

function u32be(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

/**
 * An entry's sealed bytes, as receipts define them (PROTOCOL.md "Receipts": the exact bytes stored):
 * the ids that tie it to its record, then each envelope's nonce and length-prefixed ciphertext.
 */
export function entrySealedBytes(recordId: Uint8Array, entry: { id: string; entry: { nonce: string; ct: string }; subject: { nonce: string; ct: string } }): Uint8Array {
  const ct = fromB64u(entry.entry.ct);
  const sct = fromB64u(entry.subject.ct);
  return concat(
    id16(recordId), id16(fromB64u(entry.id)),
    fromB64u(entry.entry.nonce), u32be(ct.length), ct,
    fromB64u(entry.subject.nonce), u32be(sct.length), sct,
  );
}

/**
 * What a receipt binds: H0 of the entry's sealed bytes. The server computes it when it stores the
 * entry and signs it with the day; a reader recomputes it from what it was given, so the receipt
 * checks the bytes, not anyone's word, and keeps verifying after conversion (the bytes never change).
 */
export function entrySealedHash(recordId: Uint8Array, entry: { id: string; entry: { nonce: string; ct: string }; subject: { nonce: string; ct: string } }): Uint8Array {
  return sodium().crypto_generichash(32, entrySealedBytes(recordId, entry), null);
}

export interface RecordSession {
  token: CaseToken;
  accessKey: AccessKey;
  wrapKey: SymmetricKey;
  /** Value of the Authorization header for record requests. */
  authorization: string;
}

export function recordSession(token: CaseToken): RecordSession {
  const accessKey = deriveRecordAccessKey(token);
  return { token, accessKey, wrapKey: deriveRecordWrapKey(token), authorization: `Record ${toB64u(accessKey)}` };
}

export interface CreatedRecord {
  session: RecordSession;
  recordId: Uint8Array;
  recordKey: SymmetricKey;
  body: NewRecord;
}

/** A new record: token, random id and key, and what the server keeps (the access hash and the wrapped key). */
export function createRecord(token: CaseToken = generateToken()): CreatedRecord {
  const session = recordSession(token);
  const recordId = generateId();
  const recordKey = generateKey();
  return {
    session, recordId, recordKey,
    body: {
      v: 2,
      id: toB64u(recordId),
      accessHash: toB64u(accessHashOf(session.accessKey)),
      holderKey: toB64u(wrapRecordKey(session.wrapKey, recordId, recordKey)),
    },
  };
}

export type EntryInput = Omit<RecordEntryDoc, 'schema'>;
export type SubjectInput = Omit<RecordSubjectDoc, 'schema'>;

/** Seals one entry and, always, its subject (empty when unknown), so the server cannot tell whether anyone was named. */
export function sealRecordEntry(
  recordKey: SymmetricKey, recordId: Uint8Array, entry: EntryInput, subject: SubjectInput,
  opts: { id?: Uint8Array; entry?: SealOptions; subject?: SealOptions } = {},
): NewRecordEntry {
  const id = opts.id ?? generateId();
  return {
    id: toB64u(id),
    entry: sealDoc(recordKey, adRecordEntry(recordId, id), { schema: 'rc2/record-entry', ...entry }, opts.entry),
    subject: sealDoc(recordKey, adRecordSubject(recordId, id), { schema: 'rc2/record-subject', ...subject }, opts.subject),
  };
}

export interface OpenedEntry {
  id: string;
  on: string;
  /** null when the entry did not open (changed bytes, or not this record's). */
  entry: RecordEntryDoc | null;
  subject: RecordSubjectDoc | null;
  /** The hash over the stored bytes, recomputed here: what a receipt must name. */
  sealedHash: Uint8Array;
}

export function openRecordEntry(recordKey: SymmetricKey, recordId: Uint8Array, e: RecordEntryWire): OpenedEntry {
  const id = fromB64u(e.id);
  const attempt = <T>(f: () => T): T | null => {
    try {
      return f();
    } catch {
      return null;
    }
  };
  return {
    id: e.id,
    on: e.on,
    entry: attempt(() => openDoc(recordKey, adRecordEntry(recordId, id), e.entry, 'rc2/record-entry')),
    subject: attempt(() => openDoc(recordKey, adRecordSubject(recordId, id), e.subject, 'rc2/record-subject')),
    sealedHash: entrySealedHash(recordId, e),
  };
}

export interface OpenedRecord {
  recordId: Uint8Array;
  recordKey: SymmetricKey;
  entries: OpenedEntry[];
}

export function openRecordView(session: RecordSession, view: RecordView): OpenedRecord {
  const recordId = fromB64u(view.id);
  const recordKey = unwrapRecordKey(session.wrapKey, recordId, fromB64u(view.holderKey));
  return { recordId, recordKey, entries: view.entries.map((e) => openRecordEntry(recordKey, recordId, e)) };
}

/**
 * Turning a record into a report: an ordinary sealed submission whose case key IS the record key
 * and whose case token IS the record token (the case access key and reporter key pair come from the
 * same 120 bits under the case labels). Every recipient's chain is checked first, as for a report.
 */
export function sealRecordReport(draft: Draft, info: RecipientsInfo, orgKey: Uint8Array, token: CaseToken, recordKey: SymmetricKey): SealedSubmission {
  verifyRecipients(info.recipients, info.team.id, orgKey);
  return sealSubmission(draft, info.recipients, token, recordKey);
}
