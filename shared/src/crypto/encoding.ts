import { sodium } from './sodium.ts';
import type { B64u } from './types.ts';

const B64U = /^[A-Za-z0-9_-]*$/;

export function toB64u(bytes: Uint8Array): B64u {
  return sodium().to_base64(bytes, sodium().base64_variants.URLSAFE_NO_PADDING) as B64u;
}

/**
 * Strict base64url decoding: rejects padding, the standard alphabet and
 * impossible lengths instead of silently skipping characters, so that two
 * different strings never decode to the same bytes.
 */
export function fromB64u(text: string): Uint8Array {
  if (!B64U.test(text) || text.length % 4 === 1) throw new RangeError('not base64url without padding');
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
