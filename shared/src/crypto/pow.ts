// Proof-of-work stamps (docs/PROTOCOL.md "Proof of work"). A stamp is a nonce
// such that BLAKE2b-256(challenge ‖ nonce) starts with at least `difficulty`
// zero bits. BLAKE2b is libsodium's crypto_generichash, present in the
// browser build and in every binding (PyNaCl: nacl.hash.blake2b), needs no
// memory to speak of, and costs the server one hash to check.
import { concat, fromB64u, toB64u } from './encoding.ts';
import { sodium } from './sodium.ts';

export const POW_NONCE_BYTES = 8;
/** Name of the request header that carries a stamp: `<challenge>.<nonce>`, both base64url. */
export const POW_HEADER = 'pow-stamp';

/** Number of leading zero bits of `hash`, most significant bit of byte 0 first. */
export function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export function powHash(challenge: Uint8Array, nonce: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, concat(challenge, nonce), null);
}

export function meetsDifficulty(challenge: Uint8Array, nonce: Uint8Array, difficulty: number): boolean {
  return nonce.length === POW_NONCE_BYTES && leadingZeroBits(powHash(challenge, nonce)) >= difficulty;
}

export interface SolveOptions {
  /** First nonce to try, as 8 bytes; the counter runs on from here (little-endian). Random by default. */
  start?: Uint8Array;
  /** Called every `progressEvery` hashes with the number tried so far; return false to stop. */
  onProgress?: (tried: number) => boolean | void;
  progressEvery?: number;
  /** Give up after this many hashes (null result). */
  maxTries?: number;
}

/** Searches nonces until one meets `difficulty`. Expected work: 2^difficulty hashes. */
export function solve(challenge: Uint8Array, difficulty: number, opts: SolveOptions = {}): { nonce: Uint8Array; tried: number } | null {
  const s = sodium();
  const msg = new Uint8Array(challenge.length + POW_NONCE_BYTES);
  msg.set(challenge);
  msg.set(opts.start ?? s.randombytes_buf(POW_NONCE_BYTES), challenge.length);
  const every = opts.progressEvery ?? 4096;
  const max = opts.maxTries ?? Number.POSITIVE_INFINITY;
  for (let tried = 1; tried <= max; tried++) {
    if (leadingZeroBits(s.crypto_generichash(32, msg, null)) >= difficulty) {
      return { nonce: msg.slice(challenge.length), tried };
    }
    // Little-endian increment of the nonce bytes, in place: no allocation per try.
    for (let i = challenge.length; i < msg.length; i++) {
      msg[i] = ((msg[i] as number) + 1) & 0xff;
      if (msg[i] !== 0) break;
    }
    if (tried % every === 0 && opts.onProgress?.(tried) === false) return null;
  }
  return null;
}

export const formatStamp = (challenge: string, nonce: Uint8Array): string => `${challenge}.${toB64u(nonce)}`;

/** Splits a stamp header; null when it is not two base64url parts with an 8-byte nonce. */
export function parseStamp(header: string): { challenge: Uint8Array; nonce: Uint8Array } | null {
  const parts = header.split('.');
  if (parts.length !== 2) return null;
  try {
    const challenge = fromB64u(parts[0] as string);
    const nonce = fromB64u(parts[1] as string);
    if (nonce.length !== POW_NONCE_BYTES || challenge.length === 0) return null;
    return { challenge, nonce };
  } catch {
    return null;
  }
}
