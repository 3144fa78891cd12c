// isUsablePublicKey (shared/src/crypto/keys.ts) without a scalar multiplication: every submission checks
// its reporter key, and libsodium's WebAssembly crypto_scalarmult cost 0.13-0.2 ms of the event loop
// (Node's X25519 was no faster: decoding the key into OpenSSL alone took 0.15 ms).
//
// Same verdict, by construction: libsodium refuses a key when, with its top bit ignored, it is one of
// seven encodings of a small-order point (its blocklist: u = 0, 1, p-1, the two points of order 8, and
// p, p+1), and otherwise when the product with the clamped probe scalar is zero. A clamped scalar is a
// multiple of 8, so the product is zero exactly when u (mod p) is a point of order dividing 8 on the curve
// or 4 on its twist: u = 0, 1, p-1 and the two order-8 points, whose only other encodings below 2^255
// are p and p+1. So the blocklist is the whole rule. server/test/usable-key.test.ts compares the two
// over random keys and every small-order encoding, with and without the top bit.

/** libsodium's blocklist (ed25519_ref10.c, has_small_order), little-endian, top bit clear. */
const SMALL_ORDER = new Set([
  '0000000000000000000000000000000000000000000000000000000000000000', // 0
  '0100000000000000000000000000000000000000000000000000000000000000', // 1
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800', // order 8
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157', // order 8
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p - 1
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p + 1
]);

/** Whether `pk` is an X25519 public key anyone can really wrap to: 32 bytes, not all zero and not of small order. */
export function isUsablePublicKey(pk: Uint8Array): boolean {
  if (pk.length !== 32) return false;
  const masked = Buffer.from(pk);
  masked[31]! &= 0x7f;
  return !SMALL_ORDER.has(masked.toString('hex'));
}
