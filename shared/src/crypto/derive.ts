import { utf8 } from './encoding.ts';
import { sodium } from './sodium.ts';
import type { AccessHash, AccessKey, CaseToken, KeyPair, PublicKey, SecretKey } from './types.ts';

// Labels are BLAKE2b keys (docs/PROTOCOL.md); each is at least 16 bytes long.
export const LABEL_ACCESS_KEY = 'rc1 case access key';
export const LABEL_REPORTER_SEED = 'rc1 reporter box seed';

export function deriveAccessKey(token: CaseToken): AccessKey {
  return sodium().crypto_generichash(32, token, utf8(LABEL_ACCESS_KEY)) as AccessKey;
}

export function accessHashOf(accessKey: Uint8Array): AccessHash {
  return sodium().crypto_generichash(32, accessKey, null) as AccessHash;
}

export function deriveReporterKeyPair(token: CaseToken): KeyPair {
  const seed = sodium().crypto_generichash(32, token, utf8(LABEL_REPORTER_SEED));
  const kp = sodium().crypto_box_seed_keypair(seed);
  return { publicKey: kp.publicKey as PublicKey, secretKey: kp.privateKey as SecretKey };
}

export function generateKeyPair(): KeyPair {
  const kp = sodium().crypto_box_keypair();
  return { publicKey: kp.publicKey as PublicKey, secretKey: kp.privateKey as SecretKey };
}
