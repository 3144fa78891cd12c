// Branded byte and string types so a reporter's public key can never be passed
// where a case key is expected, and base64url strings are not confused with text.
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** 15 random bytes: the secret a reporter keeps. Never leaves the browser. */
export type CaseToken = Brand<Uint8Array, 'CaseToken'>;
/** H("rc1 case access key", T): proves possession of a token to the server. */
export type AccessKey = Brand<Uint8Array, 'AccessKey'>;
/** H0(accessKey): the only token-derived value the server stores. */
export type AccessHash = Brand<Uint8Array, 'AccessHash'>;
export type PublicKey = Brand<Uint8Array, 'PublicKey'>;
export type SecretKey = Brand<Uint8Array, 'SecretKey'>;
/** A 32-byte XChaCha20-Poly1305 key: caseKey, identityKey or internalKey. */
export type SymmetricKey = Brand<Uint8Array, 'SymmetricKey'>;
/** crypto_box_seal output (80 bytes for a 32-byte key). */
export type SealedKey = Brand<Uint8Array, 'SealedKey'>;
/** Base64url without padding, as every binary value travels in JSON. */
export type B64u = Brand<string, 'B64u'>;

export interface KeyPair {
  publicKey: PublicKey;
  secretKey: SecretKey;
}

/** A sealed document on the wire: 24-byte nonce and AEAD ciphertext. */
export interface Envelope {
  nonce: B64u;
  ct: B64u;
}

export const TOKEN_BYTES = 15;
export const KEY_BYTES = 32;
export const NONCE_BYTES = 24;
export const ID_BYTES = 16;
export const SEALED_KEY_BYTES = 80;
export const AEAD_TAG_BYTES = 16;
