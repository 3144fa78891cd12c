// AEAD envelopes. The additional data binds each ciphertext to its case (the
// reporter's public key) and, for messages and notes, to its record id, so the
// server cannot move a ciphertext to another case or replay it as another record.
import { concat, fromB64u, fromUtf8, toB64u, utf8 } from './encoding.ts';
import type { Rc1Doc, SchemaName } from './documents.ts';
import { pad, unpad } from './padding.ts';
import { sodium } from './sodium.ts';
import { ID_BYTES, KEY_BYTES, NONCE_BYTES, type Envelope, type PublicKey, type SymmetricKey } from './types.ts';

export const adReport = (reporterPk: PublicKey): Uint8Array => concat(utf8('rc1/report'), reporterPk);
export const adIdentity = (reporterPk: PublicKey): Uint8Array => concat(utf8('rc1/identity'), reporterPk);
export const adMessage = (reporterPk: PublicKey, messageId: Uint8Array): Uint8Array =>
  concat(utf8('rc1/message'), reporterPk, checkId(messageId));
export const adNote = (reporterPk: PublicKey, noteId: Uint8Array): Uint8Array =>
  concat(utf8('rc1/note'), reporterPk, checkId(noteId));
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

/** Pads then encrypts. `nonce` is only for reproducible test vectors; real calls leave it random. */
export function sealBytes(key: SymmetricKey, ad: Uint8Array, plain: Uint8Array, nonce?: Uint8Array): Envelope {
  const n = nonce ?? sodium().randombytes_buf(NONCE_BYTES);
  const ct = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(pad(plain), ad, null, n, key);
  return { nonce: toB64u(n), ct: toB64u(ct) };
}

/** Throws on a wrong key, wrong additional data, tampering or bad padding. */
/** Accepts wire strings: `fromB64u` validates them, so callers need not brand network input first. */
export function openBytes(key: SymmetricKey, ad: Uint8Array, env: { nonce: string; ct: string }): Uint8Array {
  const nonce = fromB64u(env.nonce);
  if (nonce.length !== NONCE_BYTES) throw new RangeError('bad nonce length');
  const padded = sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, fromB64u(env.ct), ad, nonce, key);
  return unpad(padded);
}

export function sealDoc(key: SymmetricKey, ad: Uint8Array, doc: Rc1Doc, nonce?: Uint8Array): Envelope {
  return sealBytes(key, ad, utf8(JSON.stringify(doc)), nonce);
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
