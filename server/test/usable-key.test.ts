// The server's reporter-key check (usable-key.ts, Node's X25519) must refuse exactly the keys the
// protocol's reference (shared isUsablePublicKey, libsodium's scalar multiplication) refuses.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { isUsablePublicKey as reference, ready } from '../../shared/src/crypto/index.ts';
import { isUsablePublicKey } from '../src/usable-key.ts';

beforeAll(ready);

const P = 2n ** 255n - 19n;
const le = (n: bigint): Uint8Array => { const b = new Uint8Array(32); for (let i = 0; i < 32; i++) { b[i] = Number(n & 0xffn); n >>= 8n; } return b; };
// The u-coordinates of the points of order 1, 2, 4 and 8 on Curve25519 (libsodium's blocklist).
const SMALL = [0n, 1n, 325606250916557431795983626356110631294008115727848805560023387167927233504n,
  39382357235489614581723060781553021112529911719440698176882885853963445705823n, P - 1n];

describe('usable reporter key', () => {
  it('agrees with libsodium on random keys, small-order points in every encoding, and top-bit variants', () => {
    const cases: Uint8Array[] = [];
    for (let i = 0; i < 300; i++) cases.push(randomBytes(32));
    // Near the edges: every value within 40 of 0 and of p, and of each small-order u.
    for (const u of [...SMALL, P]) for (let d = -40n; d <= 40n; d++) if (u + d >= 0n && u + d < 2n ** 255n) cases.push(le(u + d));
    for (const u of SMALL) for (const n of [u, u + P, u + 2n * P]) {
      if (n >= 2n ** 256n) continue;
      const b = le(n);
      cases.push(b);
      const high = Uint8Array.from(b); high[31]! |= 0x80; cases.push(high);
    }
    cases.push(new Uint8Array(31), new Uint8Array(33));
    let refused = 0;
    for (const pk of cases) {
      const want = reference(pk);
      expect(isUsablePublicKey(pk), Buffer.from(pk).toString('hex')).toBe(want);
      if (!want) refused++;
    }
    // Every encoding of 0, 1, p-1, p, p+1 and the two order-8 points, with and without the top bit: 14 at least.
    expect(refused).toBeGreaterThanOrEqual(14);
  });
});
