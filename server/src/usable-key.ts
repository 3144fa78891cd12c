// isUsablePublicKey (shared/src/crypto/keys.ts) with Node's X25519 (OpenSSL) instead of libsodium's
// WebAssembly: every submission checks its reporter key, and the WebAssembly scalar multiplication
// cost about 0.13 ms of the event loop. Same probe scalar, same verdict: both clamp the scalar (a
// multiple of 8, so every small-order point, in any of its encodings, multiplies to zero) and refuse
// an all-zero result; libsodium's blocklist names only such points. server/test/usable-key.test.ts
// compares the two over random keys and every small-order encoding.
import { createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';

const PROBE_SCALAR = new Uint8Array(32).fill(0x5a);
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');
const probe = createPrivateKey({ key: Buffer.concat([PKCS8_X25519, PROBE_SCALAR]), format: 'der', type: 'pkcs8' });

/** Whether `pk` is an X25519 public key anyone can really wrap to: 32 bytes, not all zero and not of small order. */
export function isUsablePublicKey(pk: Uint8Array): boolean {
  if (pk.length !== 32) return false;
  try {
    diffieHellman({ privateKey: probe, publicKey: createPublicKey({ key: Buffer.concat([SPKI_X25519, pk]), format: 'der', type: 'spki' }) });
    return true;
  } catch {
    return false;
  }
}
