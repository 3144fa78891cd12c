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
