// Secrets the server must be able to read back (TOTP secrets), sealed under a
// key derived from the server secret, which is kept outside the database: a
// dump alone yields none of them. Each value is bound to its column and row
// (additional data), so a sealed value copied onto another account does not
// open. Stored as text: `sk1.<key id>.<base64url(nonce ‖ ciphertext)>`; the key
// id says which server secret sealed it, so a wrong secret is named as such
// instead of looking like a wrong code.
import { createHash } from 'node:crypto';
import { openAtRest, sealAtRest } from '../../../shared/src/crypto/at-rest.ts';
import { fromB64u, fromUtf8, isB64u, toB64u, utf8 } from '../../../shared/src/crypto/index.ts';

const PREFIX = 'sk1';
const SEALED = /^sk1\.([0-9a-f]{8})\.([A-Za-z0-9_-]+)$/;

export class SecretUnreadable extends Error {
  constructor(readonly reason: 'plaintext' | 'other_key' | 'damaged') {
    super(reason === 'plaintext'
      ? 'a secret is stored in the clear: it is sealed at start-up or by npm run secrets:rotate'
      : reason === 'other_key'
        ? 'a secret was sealed under another server secret: start with that secret or run npm run secrets:rotate'
        : 'a sealed secret does not open (altered, or moved to another row)');
    this.name = 'SecretUnreadable';
  }
}

export interface SecretBox {
  /** 8 hex digits naming the key (not secret: a hash of the key). */
  readonly keyId: string;
  seal(plaintext: string, ad: string): string;
  /** The plaintext, or SecretUnreadable (plaintext row, another key, or altered/moved). */
  open(stored: string, ad: string): string;
}

/** The key id of a sealed value, or null when the value is not sealed (a plaintext row). */
export function keyIdOf(stored: string): string | null {
  return SEALED.exec(stored)?.[1] ?? null;
}

/** Additional data naming where a value lives: table.column and the row's id. */
export const rowAd = (table: string, column: string, id: string): string => `${table}.${column} ${id}`;

/** A box for a 32-byte key. libsodium must be ready. */
export function secretBox(key: Uint8Array): SecretBox {
  const keyId = createHash('sha256').update('rc at-rest key id v1').update(key).digest('hex').slice(0, 8);
  return {
    keyId,
    seal: (plaintext, ad) => `${PREFIX}.${keyId}.${toB64u(sealAtRest(key, utf8(plaintext), utf8(ad)))}`,
    open(stored, ad) {
      const m = SEALED.exec(stored);
      if (!m) throw new SecretUnreadable('plaintext');
      if (m[1] !== keyId) throw new SecretUnreadable('other_key');
      const opened = isB64u(m[2]!) ? openAtRest(key, fromB64u(m[2]!), utf8(ad)) : null;
      if (!opened) throw new SecretUnreadable('damaged');
      return fromUtf8(opened);
    },
  };
}
