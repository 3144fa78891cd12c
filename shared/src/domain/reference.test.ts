import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseRefFrom, CROCKFORD, isCaseRef, normaliseCaseRef } from './reference.ts';

describe('case references', () => {
  it('makes references of the one format, from the Crockford alphabet only', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 8, maxLength: 8 }), (picks) => {
      let i = 0;
      const ref = caseRefFrom(() => picks[i++]!);
      expect(isCaseRef(ref)).toBe(true);
      expect(normaliseCaseRef(ref)).toBe(ref);
    }));
    expect(CROCKFORD).toHaveLength(32);
  });
  it('reads what a person types', () => {
    expect(normaliseCaseRef('rc-ab12-cd34')).toBe('RC-AB12-CD34');
    expect(normaliseCaseRef('ab12 cd34')).toBe('RC-AB12-CD34');
    expect(normaliseCaseRef('RC-AB1O-CD3L')).toBe('RC-AB10-CD31');
    expect(normaliseCaseRef('RC-AB12-CD3')).toBeNull();
    expect(normaliseCaseRef('RC-AB12-CDU4')).toBeNull();
    expect(normaliseCaseRef("RC-AB12-CD34'--")).toBeNull();
  });
});
