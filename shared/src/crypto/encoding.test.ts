import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromB64u, isB64u, ready, toB64u } from './index.ts';

beforeAll(ready);

describe('base64url', () => {
  it('round-trips', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      expect(Array.from(fromB64u(toB64u(b)))).toEqual(Array.from(b));
    }));
  });

  it('rejects padding, the standard alphabet, impossible lengths and non-canonical tails', () => {
    for (const bad of ['AAA=', 'AA+A', 'AA/A', 'A', 'AAAAA', 'AB', 'AAB', ' AAAA']) {
      expect(() => fromB64u(bad), bad).toThrow();
    }
    expect(isB64u('AAAA', 3)).toBe(true);
    expect(isB64u('AAAA', 4)).toBe(false);
  });
});
