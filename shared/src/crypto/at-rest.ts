// Server-side primitives for keys kept outside the database (server/src/atrest/,
// server/src/audit/head.ts): Ed25519 signatures for the audit log's head, and
// XChaCha20-Poly1305 (IETF AEAD) for secrets the server must hold, bound to the
// row they belong to by additional data. Here because this folder is the only
// place that imports libsodium; the browser never loads this file.
import { sodium } from './sodium.ts';

export interface SigningKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** The Ed25519 key pair for a 32-byte seed (deterministic: the same seed gives the same pair). */
export function signingKeyPairFromSeed(seed: Uint8Array): SigningKeyPair {
  const kp = sodium().crypto_sign_seed_keypair(seed);
  return { publicKey: kp.publicKey, secretKey: kp.privateKey };
}

export const signDetached = (message: Uint8Array, secretKey: Uint8Array): Uint8Array =>
  sodium().crypto_sign_detached(message, secretKey);

/** False (never a throw) for a signature or key of the wrong length. */
export function verifyDetached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  const s = sodium();
  if (signature.length !== s.crypto_sign_BYTES || publicKey.length !== s.crypto_sign_PUBLICKEYBYTES) return false;
  try {
    return s.crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}

export const AT_REST_KEY_BYTES = 32;

/** nonce (24 random bytes) ‖ ciphertext+tag, under a 32-byte key, bound to `ad`. */
export function sealAtRest(key: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array {
  const s = sodium();
  const nonce = s.randombytes_buf(s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key);
  const out = new Uint8Array(nonce.length + ct.length);
  out.set(nonce);
  out.set(ct, nonce.length);
  return out;
}

/** The plaintext, or null when the box was not made under this key for this `ad` (or was altered). */
export function openAtRest(key: Uint8Array, box: Uint8Array, ad: Uint8Array): Uint8Array | null {
  const s = sodium();
  const n = s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (box.length < n + s.crypto_aead_xchacha20poly1305_ietf_ABYTES) return null;
  try {
    return s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, box.subarray(n), ad, box.subarray(0, n), key);
  } catch {
    return null;
  }
}
