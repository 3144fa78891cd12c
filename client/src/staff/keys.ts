// Opening the staff member's sealed private key after sign-in or unlock. The
// key is sealed to the account id; enrolment only knew the username, which the
// demo seeds also use as the id, so that is tried second.
import type { KeyPair, SecretKey, SymmetricKey } from '../../../shared/src/crypto/types.ts';
import type { Crypto } from './crypto.ts';
import { enrolmentKeyId } from './forms.ts';
import type { LoginResponse, Staff } from './types.ts';

function openSecretKey(c: Crypto, wrappingKey: SymmetricKey, staff: Staff, env: { nonce: string; ct: string }): SecretKey {
  try {
    return c.staff.openStaffSecretKey(wrappingKey, staff.id, env);
  } catch (err) {
    if (enrolmentKeyId(staff.username) === staff.id) throw err;
    return c.staff.openStaffSecretKey(wrappingKey, enrolmentKeyId(staff.username), env);
  }
}

/** The key pair from a login or unlock answer, or null for accounts without one (oversight, admin). Throws when the key does not open. */
export function openKeyPair(c: Crypto, wrappingKey: SymmetricKey, res: LoginResponse): KeyPair | null {
  if (!res.keys) return null;
  const sk = openSecretKey(c, wrappingKey, res.staff, res.keys.encryptedSecretKey);
  return { publicKey: c.staff.publicKeyOf(sk), secretKey: sk };
}
