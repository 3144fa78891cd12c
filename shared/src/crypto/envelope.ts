// AEAD envelopes. The additional data binds each ciphertext to its case (the
// reporter's public key) and, for messages and notes, to its record id, so the
// server cannot move a ciphertext to another case or replay it as another record.
//
// Versions (docs/PROTOCOL.md "Envelopes"): an rc2 envelope's `ct` starts with
// one header byte, the format version (2), which is also the first byte of the
// additional data, so it cannot be changed or stripped without the tag failing.
// rc1 envelopes have no header. Readers tell them apart by length alone:
// every envelope is padded to a bucket (a multiple of 1024 bytes), so an rc1
// `ct` is bucket + 16 bytes and an rc2 `ct` is 1 + bucket + 16; no length is
// both. The wire and database shapes ({ nonce, ct }) did not change.
import { isBucketSize } from '../api/domain.ts';
import { concat, fromB64u, fromUtf8, toB64u, utf8 } from './encoding.ts';
import type { Rc1Doc, SchemaName } from './documents.ts';
import { pad, unpad } from './padding.ts';
import { sodium } from './sodium.ts';
import { AEAD_TAG_BYTES, ID_BYTES, KEY_BYTES, NONCE_BYTES, type Envelope, type PublicKey, type SymmetricKey } from './types.ts';

/** The version every new envelope is sealed with. */
export const ENVELOPE_VERSION = 2;
export type EnvelopeVersion = 1 | 2;

// Record labels name the kind of record; they are not protocol versions and rc2 keeps them.
export const adReport = (reporterPk: PublicKey): Uint8Array => concat(utf8('rc1/report'), reporterPk);
export const adAdvice = (reporterPk: PublicKey): Uint8Array => concat(utf8('rc1/advice'), reporterPk);
export const adIdentity = (reporterPk: PublicKey): Uint8Array => concat(utf8('rc1/identity'), reporterPk);
export const adMessage = (reporterPk: PublicKey, messageId: Uint8Array): Uint8Array =>
  concat(utf8('rc1/message'), reporterPk, checkId(messageId));
export const adNote = (reporterPk: PublicKey, noteId: Uint8Array): Uint8Array =>
  concat(utf8('rc1/note'), reporterPk, checkId(noteId));
/** A survey comment, bound to its case and to its answer's own random id. */
export const adSurvey = (reporterPk: PublicKey, answerId: Uint8Array): Uint8Array =>
  concat(utf8('rc1/survey'), reporterPk, checkId(answerId));
export const adAttachment = (reporterPk: PublicKey, attachmentId: Uint8Array): Uint8Array =>
  concat(utf8('rc1/attachment'), reporterPk, checkId(attachmentId));

function checkId(id: Uint8Array): Uint8Array {
  if (id.length !== ID_BYTES) throw new RangeError(`record ids are ${ID_BYTES} bytes`);
  return id;
}

export function generateKey(): SymmetricKey {
  return sodium().randombytes_buf(KEY_BYTES) as SymmetricKey;
}

export function generateId(): Uint8Array {
  return sodium().randombytes_buf(ID_BYTES);
}

/**
 * The version of a ciphertext, from its length and first byte; null when it is
 * neither (the reader refuses it before trying to decrypt).
 */
export function envelopeVersion(ct: Uint8Array): EnvelopeVersion | null {
  if (isBucketSize(ct.length - AEAD_TAG_BYTES)) return 1;
  if (ct[0] === 2 && isBucketSize(ct.length - 1 - AEAD_TAG_BYTES)) return 2;
  return null;
}

export interface SealOptions {
  /** Only for reproducible test vectors; real calls leave it random. */
  nonce?: Uint8Array;
  /** Only the test vectors seal rc1 (to pin its bytes); everything else writes the current version. */
  version?: EnvelopeVersion;
}

/** Pads then encrypts under the current envelope version. */
export function sealBytes(key: SymmetricKey, ad: Uint8Array, plain: Uint8Array, opts: SealOptions = {}): Envelope {
  const { nonce, version = ENVELOPE_VERSION } = opts;
  const n = nonce ?? sodium().randombytes_buf(NONCE_BYTES);
  const aead = (fullAd: Uint8Array) => sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(pad(plain), fullAd, null, n, key);
  const ct = version === 1 ? aead(ad) : concat(Uint8Array.of(version), aead(concat(Uint8Array.of(version), ad)));
  return { nonce: toB64u(n), ct: toB64u(ct) };
}

/**
 * Opens an rc1 or rc2 envelope, dispatching on its version. Throws on an
 * unknown version, a wrong key, wrong additional data, tampering or bad padding.
 * Accepts wire strings: `fromB64u` validates them, so callers need not brand network input first.
 */
export function openBytes(key: SymmetricKey, ad: Uint8Array, env: { nonce: string; ct: string }): Uint8Array {
  const nonce = fromB64u(env.nonce);
  if (nonce.length !== NONCE_BYTES) throw new RangeError('bad nonce length');
  const ct = fromB64u(env.ct);
  const decrypt = (body: Uint8Array, fullAd: Uint8Array) =>
    sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, body, fullAd, nonce, key);
  switch (envelopeVersion(ct)) {
    case 1:
      return unpad(decrypt(ct, ad));
    case 2:
      return unpad(decrypt(ct.subarray(1), concat(Uint8Array.of(2), ad)));
    default:
      throw new RangeError('unknown envelope version');
  }
}

export function sealDoc(key: SymmetricKey, ad: Uint8Array, doc: Rc1Doc, opts?: SealOptions): Envelope {
  return sealBytes(key, ad, utf8(JSON.stringify(doc)), opts);
}

/** Opens an envelope and checks that the document claims the schema the caller expects. */
export function openDoc<S extends SchemaName>(
  key: SymmetricKey,
  ad: Uint8Array,
  env: { nonce: string; ct: string },
  schema: S,
): Extract<Rc1Doc, { schema: S }> {
  const doc: unknown = JSON.parse(fromUtf8(openBytes(key, ad, env)));
  if (typeof doc !== 'object' || doc === null || (doc as { schema?: unknown }).schema !== schema) {
    throw new TypeError(`expected a ${schema} document`);
  }
  return doc as Extract<Rc1Doc, { schema: S }>;
}
