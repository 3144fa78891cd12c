// Hashes and one-time secrets for sign-in. No database access here: the
// repository stores only what these functions produce.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CROCKFORD } from '../../../shared/src/domain/reference.ts';

export const sha256Hex = (value: string | Uint8Array): string => createHash('sha256').update(value).digest('hex');

/** Constant-time comparison of two hex digests of equal length. */
export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export const normaliseUsername = (u: string): string => u.trim().toLowerCase();

/** 100 random bits in Crockford base32, grouped for reading aloud or copying from a note. */
export function newEnrolmentSecret(): string {
  const bytes = randomBytes(20);
  let s = '';
  for (let i = 0; i < 20; i++) s += CROCKFORD[bytes[i]! & 31];
  return s.match(/.{4}/g)!.join('-');
}

/** Case, dashes and spaces do not matter when the secret is typed back. */
export const enrolmentHash = (secret: string): string => sha256Hex(`rc1 enrolment ${secret.toUpperCase().replace(/[\s-]/g, '')}`);
