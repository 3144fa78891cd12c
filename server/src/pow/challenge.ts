// Stateless challenges: everything the server needs to check a stamp is in
// the challenge, authenticated by an HMAC under a key derived from the server
// secret. Nothing is stored until a solved stamp is spent.
//
// Layout (38 bytes): version 2 | difficulty (1) | expiry, Unix seconds (4, big-endian)
//                    | 16 random bytes | HMAC-SHA256(key, first 22 bytes), first 16 bytes.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const CHALLENGE_BYTES = 38;
const BODY = 22;
const VERSION = 2;

export interface Challenge {
  bytes: Uint8Array;
  difficulty: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /** Identifies the challenge in the spent store (the random part, base64url). */
  id: string;
}

const mac = (key: Uint8Array, body: Uint8Array): Buffer => createHmac('sha256', key).update(body).digest().subarray(0, 16);

export function mintChallenge(key: Uint8Array, difficulty: number, expiresAt: number): Uint8Array {
  const out = Buffer.alloc(CHALLENGE_BYTES);
  out[0] = VERSION;
  out[1] = difficulty;
  out.writeUInt32BE(Math.ceil(expiresAt / 1000), 2);
  randomBytes(16).copy(out, 6);
  mac(key, out.subarray(0, BODY)).copy(out, BODY);
  return out;
}

/** The challenge if its MAC is ours, else null. Expiry is the caller's to check (it has the clock). */
export function readChallenge(key: Uint8Array, bytes: Uint8Array): Challenge | null {
  if (bytes.length !== CHALLENGE_BYTES || bytes[0] !== VERSION) return null;
  const buf = Buffer.from(bytes);
  if (!timingSafeEqual(mac(key, buf.subarray(0, BODY)), buf.subarray(BODY))) return null;
  return {
    bytes,
    difficulty: buf[1] as number,
    expiresAt: buf.readUInt32BE(2) * 1000,
    id: buf.subarray(6, BODY).toString('base64url'),
  };
}
