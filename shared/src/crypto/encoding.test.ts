import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromB64u, isB64u, ready, toB64u } from './index.ts';
import { sodium } from './sodium.ts';

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

describe('base64url: the Node path (Buffer) reads and writes exactly as libsodium does', () => {
  const ls = () => sodium();
  const lsFrom = (text: string): Uint8Array | null => {
    // The browser's path: libsodium's decoder, then the canonical check by encoding again.
    try {
      const bytes = ls().from_base64(text, ls().base64_variants.URLSAFE_NO_PADDING);
      return ls().to_base64(bytes, ls().base64_variants.URLSAFE_NO_PADDING) === text ? bytes : null;
    } catch {
      return null;
    }
  };
  it('is the path taken here', () => { expect(typeof globalThis.Buffer).toBe('function'); });

  it('encodes any bytes, at any offset of a larger buffer, as libsodium does', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(7), (b, off) => {
      const view = new Uint8Array(b.length + off + 3).subarray(off, off + b.length);
      view.set(b);
      expect(toB64u(view)).toBe(ls().to_base64(b, ls().base64_variants.URLSAFE_NO_PADDING));
    }));
  });

  it('accepts and refuses every short string as libsodium with the canonical check does, and returns a plain Uint8Array', () => {
    const alphabet = 'AB_-z9Qg';
    for (let len = 0; len <= 4; len++) {
      const total = alphabet.length ** len;
      for (let i = 0; i < total; i++) {
        let s = '';
        for (let k = 0, x = i; k < len; k++, x = Math.floor(x / alphabet.length)) s += alphabet[x % alphabet.length];
        const want = len % 4 === 1 ? null : lsFrom(s);
        let got: Uint8Array | null = null;
        try { got = fromB64u(s); } catch { got = null; }
        expect(got === null ? null : Array.from(got), s).toEqual(want === null ? null : Array.from(want));
        if (got) expect(Object.getPrototypeOf(got)).toBe(Uint8Array.prototype);
      }
    }
  });
});
