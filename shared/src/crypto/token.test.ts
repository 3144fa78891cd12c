import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CROCKFORD, formatToken, generateToken, parseToken, ready, type CaseToken } from './index.ts';

beforeAll(ready);
const tokenArb = fc.uint8Array({ minLength: 15, maxLength: 15 }).map((b) => b as CaseToken);

describe('case token', () => {
  it('formats as 25 Crockford characters in five groups', () => {
    const shown = formatToken(generateToken());
    expect(shown).toMatch(/^([0-9A-HJKMNP-TV-Z]{5}-){4}[0-9A-HJKMNP-TV-Z]{5}$/);
  });

  it('round-trips any 15 bytes, whatever case, spacing or look-alike letters', () => {
    fc.assert(
      fc.property(tokenArb, (token) => {
        const shown = formatToken(token);
        const sloppy = shown.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
        for (const input of [shown, sloppy, shown.replace(/-/g, ''), ` ${shown} `]) {
          const parsed = parseToken(input);
          expect(parsed.ok).toBe(true);
          if (parsed.ok) expect(Array.from(parsed.token)).toEqual(Array.from(token));
        }
      }),
    );
  });

  it('catches every single-character typo (check character or unparseable)', () => {
    fc.assert(
      fc.property(tokenArb, fc.nat(24), fc.nat(31), (token, pos, sub) => {
        const chars = formatToken(token).replace(/-/g, '').split('');
        const replacement = CROCKFORD[sub] as string;
        fc.pre(chars[pos] !== replacement);
        chars[pos] = replacement;
        const parsed = parseToken(chars.join(''));
        // A substitution in the data changes the check with probability 31/32; the
        // property we rely on is that a typo never silently yields the same token.
        if (parsed.ok) expect(Array.from(parsed.token)).not.toEqual(Array.from(token));
      }),
    );
  });

  it('detects most typos with the check character', () => {
    let caught = 0;
    const trials = 2000;
    for (let i = 0; i < trials; i++) {
      const chars = formatToken(generateToken()).replace(/-/g, '').split('');
      const pos = i % 24;
      chars[pos] = CROCKFORD[(CROCKFORD.indexOf(chars[pos] as string) + 1 + (i % 31)) % 32] as string;
      if (!parseToken(chars.join('')).ok) caught++;
    }
    expect(caught / trials).toBeGreaterThan(0.9);
  });

  it('rejects wrong lengths and foreign characters with a reason', () => {
    expect(parseToken('ABC')).toEqual({ ok: false, reason: 'length' });
    expect(parseToken('40WMR-K16SZ-62VZS-75EGY-V5PW')).toEqual({ ok: false, reason: 'length' });
    expect(parseToken('40WMR-K16SZ-62VZS-75EGY-V5PWU')).toEqual({ ok: false, reason: 'characters' });
    expect(parseToken('40WMR-K16SZ-62VZS-75EGY-V5PWH')).toEqual({ ok: false, reason: 'check' });
  });
});
