// Attachments (docs/PROTOCOL.md "Attachments"): a file is sealed as a
// crypto_secretstream_xchacha20poly1305 stream under its own random key, in
// fixed 64 KiB chunks, after zero padding to a size bucket, so neither the
// number of chunks nor their lengths tell the file's exact size. The key, the
// stream header, the name, type and true size travel in one ordinary rc2
// envelope (the attachment's "meta"), sealed under the case key, so exactly the
// readers of the case can read its files, and a referral needs no new wraps.
//
// Memory stays bounded: a sealer takes one chunk at a time, in order, and keeps
// only the stream state; the caller reads, seals, uploads and drops each chunk.
import { adAttachment, openDoc, sealDoc, type SealOptions } from './envelope.ts';
import { fromB64u, toB64u, utf8 } from './encoding.ts';
import type { AttachmentDoc } from './documents.ts';
import { sodium } from './sodium.ts';
import type { Envelope, PublicKey, SymmetricKey } from './types.ts';

/** Plaintext bytes in every chunk: the unit of sealing, uploading and resuming. */
export const ATTACHMENT_CHUNK = 64 * 1024;
/** A sealed chunk: the plaintext chunk plus secretstream's 17 bytes (tag byte and MAC). */
export const SEALED_CHUNK = ATTACHMENT_CHUNK + 17;
export const STREAM_HEADER_BYTES = 24;
/** Buckets double from 64 KiB to 1 MiB, then grow in steps of 1 MiB. */
const SMALL_MAX = 1024 * 1024;
/** The BLAKE2b key (a label) of the attachment hash a receipt binds. */
export const ATTACHMENT_HASH_LABEL = 'rc2 attachment hash';
export const ATTACHMENT_NAME_MAX = 255;
export const ATTACHMENT_TYPE_MAX = 127;

/** The padded size of a file of `size` bytes: 64 KiB·2^k up to 1 MiB, then the next multiple of 1 MiB. */
export function attachmentBucket(size: number): number {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError('bad size');
  if (size > SMALL_MAX) return Math.ceil(size / SMALL_MAX) * SMALL_MAX;
  let b = ATTACHMENT_CHUNK;
  while (b < size) b *= 2;
  return b;
}

/** Whether `n` is a padded attachment size (what the server checks at upload start). */
export function isAttachmentBucket(n: number): boolean {
  return Number.isSafeInteger(n) && n >= ATTACHMENT_CHUNK && attachmentBucket(n) === n;
}

export const chunkCountFor = (padded: number): number => padded / ATTACHMENT_CHUNK;

export interface AttachmentSealer {
  /** The meta envelope to send at upload start. */
  meta: Envelope;
  padded: number;
  chunks: number;
  /** Seals chunk `index` (must be the next one) from up to 64 KiB of the file; pads with zeros. */
  seal(index: number, plain: Uint8Array): Uint8Array;
}

/**
 * Starts sealing a file for case `reporterPk` under `caseKey`. `attachmentId` is 16 random bytes,
 * chosen by the sender, bound into the meta envelope's additional data.
 */
export function startAttachment(
  caseKey: SymmetricKey, reporterPk: PublicKey, attachmentId: Uint8Array,
  file: { name: string; type: string; size: number }, opts: SealOptions & { fileKey?: Uint8Array } = {},
): AttachmentSealer {
  const s = sodium();
  const padded = attachmentBucket(file.size);
  const chunks = chunkCountFor(padded);
  const key = opts.fileKey ?? s.crypto_secretstream_xchacha20poly1305_keygen();
  const { state, header } = s.crypto_secretstream_xchacha20poly1305_init_push(key);
  const doc: AttachmentDoc = {
    schema: 'rc1/attachment', name: cleanName(file.name), type: cleanType(file.type), size: file.size,
    key: toB64u(key), header: toB64u(header), chunks,
  };
  const meta = sealDoc(caseKey, adAttachment(reporterPk, attachmentId), doc, opts);
  let next = 0;
  return {
    meta, padded, chunks,
    seal(index, plain) {
      if (index !== next) throw new RangeError(`chunk ${index} sealed out of order (expected ${next})`);
      if (plain.length > ATTACHMENT_CHUNK) throw new RangeError('chunk too long');
      const full = plain.length === ATTACHMENT_CHUNK ? plain : padChunk(plain);
      const tag = index === chunks - 1
        ? s.crypto_secretstream_xchacha20poly1305_TAG_FINAL
        : s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
      next++;
      return s.crypto_secretstream_xchacha20poly1305_push(state, full, null, tag);
    },
  };
}

function padChunk(plain: Uint8Array): Uint8Array {
  const out = new Uint8Array(ATTACHMENT_CHUNK);
  out.set(plain);
  return out;
}

/** A name without any path, control characters trimmed, at most 255 characters. */
export function cleanName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return [...(base || 'file')].slice(0, ATTACHMENT_NAME_MAX).join('');
}

function cleanType(type: string): string {
  return /^[a-z0-9][a-z0-9.+-]*\/[a-z0-9][a-z0-9.+-]*$/i.test(type) && type.length <= ATTACHMENT_TYPE_MAX
    ? type.toLowerCase() : 'application/octet-stream';
}

/** Opens the meta envelope and checks that its stream shape is one a sender could have made. */
export function openAttachmentMeta(caseKey: SymmetricKey, reporterPk: PublicKey, attachmentId: Uint8Array, meta: { nonce: string; ct: string }): AttachmentDoc {
  const doc = openDoc(caseKey, adAttachment(reporterPk, attachmentId), meta, 'rc1/attachment');
  if (typeof doc.name !== 'string' || typeof doc.type !== 'string' || !Number.isSafeInteger(doc.size) || doc.size < 0
    || doc.chunks !== chunkCountFor(attachmentBucket(doc.size))
    || fromB64u(doc.key).length !== 32 || fromB64u(doc.header).length !== STREAM_HEADER_BYTES) {
    throw new TypeError('malformed attachment meta');
  }
  return doc;
}

export interface AttachmentOpener {
  /** Opens chunk `index` (in order) and returns the file's bytes in it, padding removed. */
  open(index: number, sealed: Uint8Array): Uint8Array;
  /** Throws unless every chunk was opened and the last carried the final tag. */
  finish(): void;
}

export function openAttachment(doc: AttachmentDoc): AttachmentOpener {
  const s = sodium();
  const state = s.crypto_secretstream_xchacha20poly1305_init_pull(fromB64u(doc.header), fromB64u(doc.key));
  let next = 0;
  let done = false;
  return {
    open(index, sealed) {
      if (index !== next || done) throw new RangeError(`chunk ${index} opened out of order`);
      if (sealed.length !== SEALED_CHUNK) throw new RangeError('sealed chunk has the wrong length');
      const r = s.crypto_secretstream_xchacha20poly1305_pull(state, sealed, null) as { message: Uint8Array; tag: number } | false;
      if (!r) throw new Error('chunk does not open');
      const last = index === doc.chunks - 1;
      // A truncated stream (final tag early) or an extended one (no final tag at the end) is refused.
      if ((r.tag === s.crypto_secretstream_xchacha20poly1305_TAG_FINAL) !== last) throw new Error('stream ends in the wrong place');
      if (r.tag !== s.crypto_secretstream_xchacha20poly1305_TAG_FINAL && r.tag !== s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) {
        throw new Error('unexpected stream tag');
      }
      next++;
      done = last;
      const start = index * ATTACHMENT_CHUNK;
      const keep = Math.max(0, Math.min(ATTACHMENT_CHUNK, doc.size - start));
      return keep === ATTACHMENT_CHUNK ? r.message : r.message.slice(0, keep);
    },
    finish() {
      if (!done) throw new Error('stream incomplete');
    },
  };
}

/**
 * The attachment hash, BLAKE2b-256 keyed with "rc2 attachment hash" over the sealed chunks in order
 * (c_0 ‖ c_1 ‖ … ‖ c_{n-1}): what a receipt binds. Streamed: feed chunks one at a time.
 */
export function attachmentHasher(): { update(sealed: Uint8Array): void; digest(): Uint8Array } {
  const s = sodium();
  const state = s.crypto_generichash_init(utf8(ATTACHMENT_HASH_LABEL), 32);
  return {
    update: (sealed) => s.crypto_generichash_update(state, sealed),
    digest: () => s.crypto_generichash_final(state, 32),
  };
}
