import { sodium } from './sodium.ts';
import type { B64u } from './types.ts';

const B64U = /^[A-Za-z0-9_-]*$/;

/**
 * Node's Buffer where there is one (the server): native base64url, where libsodium's goes through
 * WebAssembly and copies the text in and out (32 µs for a 32-byte key, 90 µs for 3 KB; a submission
 * decodes a few dozen fields). Browsers have no Buffer and keep libsodium. Both give the same bytes for
 * the strings accepted below (the alphabet is checked first, and only canonical text is accepted).
 */
interface NodeBytes extends Uint8Array { toString(encoding?: 'base64url'): string }
const NodeBuffer = (globalThis as { Buffer?: {
  from(text: string, encoding: 'base64url'): NodeBytes;
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): NodeBytes;
} }).Buffer;

export function toB64u(bytes: Uint8Array): B64u {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url') as B64u;
  return sodium().to_base64(bytes, sodium().base64_variants.URLSAFE_NO_PADDING) as B64u;
}

/**
 * Strict base64url decoding: rejects padding, the standard alphabet and
 * impossible lengths instead of silently skipping characters, so that two
 * different strings never decode to the same bytes.
 */
export function fromB64u(text: string): Uint8Array {
  if (!B64U.test(text) || text.length % 4 === 1) throw new RangeError('not base64url without padding');
  if (NodeBuffer) {
    const decoded = NodeBuffer.from(text, 'base64url');
    // Unused low bits set: another string names the same bytes.
    if (decoded.toString('base64url') !== text) throw new RangeError('non-canonical base64url');
    // A plain Uint8Array of its own (a Buffer may be a view into a shared pool).
    return new Uint8Array(decoded);
  }
  const bytes = sodium().from_base64(text, sodium().base64_variants.URLSAFE_NO_PADDING);
  if (toB64u(bytes) !== text) throw new RangeError('non-canonical base64url');
  return bytes;
}

export function isB64u(text: string, byteLength?: number): text is B64u {
  try {
    const bytes = fromB64u(text);
    return byteLength === undefined || bytes.length === byteLength;
  } catch {
    return false;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
export const utf8 = (text: string): Uint8Array => encoder.encode(text);
export const fromUtf8 = (bytes: Uint8Array): string => decoder.decode(bytes);

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
