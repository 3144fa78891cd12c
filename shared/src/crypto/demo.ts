// DEMO ONLY: deterministic key pairs and tokens for the demo data, so a demo
// database can be opened again after a restart. The labels say "DEMO ONLY" so
// a key made this way is recognisable wherever it turns up; production keys
// come from crypto_box_keypair in a staff browser or the offline ceremony.
import { utf8 } from './encoding.ts';
import { sodium } from './sodium.ts';
import { TOKEN_BYTES, type CaseToken, type KeyPair, type PublicKey, type SecretKey } from './types.ts';

/** keypair(H0(label)), e.g. demoKeyPair('DEMO ONLY rc1 staff nw-psu-1'). */
export function demoKeyPair(label: string): KeyPair {
  const kp = sodium().crypto_box_seed_keypair(sodium().crypto_generichash(32, utf8(label), null));
  return { publicKey: kp.publicKey as PublicKey, secretKey: kp.privateKey as SecretKey };
}

/** The first 15 bytes of H0(label) as a case token. */
export function demoToken(label: string): CaseToken {
  return sodium().crypto_generichash(32, utf8(label), null).slice(0, TOKEN_BYTES) as CaseToken;
}

/** DEMO ONLY Ed25519 signing key: seed H0(label), e.g. demoSigningKeyPair('DEMO ONLY rc2 org signing key'). */
export function demoSigningKeyPair(label: string): { publicKey: Uint8Array; secretKey: Uint8Array } {
  const kp = sodium().crypto_sign_seed_keypair(sodium().crypto_generichash(32, utf8(label), null));
  return { publicKey: kp.publicKey, secretKey: kp.privateKey };
}

export const DEMO_ORG_LABEL = 'DEMO ONLY rc2 org signing key';
