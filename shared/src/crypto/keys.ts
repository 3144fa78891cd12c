// Key wraps: a symmetric key sealed (crypto_box_seal) to each person allowed to read.
import { sodium } from './sodium.ts';
import { KEY_BYTES, SEALED_KEY_BYTES, type KeyPair, type PublicKey, type SealedKey, type SymmetricKey } from './types.ts';

export function wrapKey(recipient: PublicKey, key: SymmetricKey): SealedKey {
  return sodium().crypto_box_seal(key, recipient) as SealedKey;
}

/** Throws if the wrap was not made for this key pair or was altered. */
export function unwrapKey(keyPair: KeyPair, sealed: Uint8Array): SymmetricKey {
  if (sealed.length !== SEALED_KEY_BYTES) throw new RangeError('bad key wrap length');
  const key = sodium().crypto_box_seal_open(sealed, keyPair.publicKey, keyPair.secretKey);
  if (key.length !== KEY_BYTES) throw new RangeError('bad wrapped key length');
  return key as SymmetricKey;
}

// Any fixed non-zero scalar: clamping makes it a multiple of 8, so a point of small order
// (or the all-zero key) gives the all-zero shared secret, which libsodium refuses.
const PROBE_SCALAR = new Uint8Array(32).fill(0x5a);

/**
 * Whether `pk` is an X25519 public key anyone can really wrap to: 32 bytes, not all zero and not
 * of small order. A wrap to a small-order key opens for everyone (the shared secret is fixed), so
 * enrolment refuses such keys. libsodium's crypto_scalarmult throws on them (its small-order
 * blocklist, then an all-zero result check).
 */
export function isUsablePublicKey(pk: Uint8Array): boolean {
  if (pk.length !== 32) return false;
  try {
    sodium().crypto_scalarmult(PROBE_SCALAR, pk);
    return true;
  } catch {
    return false;
  }
}
