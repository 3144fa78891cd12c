import { describe, expect, it } from 'vitest';
import { DISPLAY_NAME_PATTERN, displayNameProblem } from './names.ts';

const schema = new RegExp(DISPLAY_NAME_PATTERN, 'u');
const BIDI = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];
const OTHER_INVISIBLE = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u034F', '\u3164', '\u2028', '\u0000', '\u0085', '\uE000', '\uD800'];

describe('display names', () => {
  it('refuses every bidirectional control and other invisible character, in the schema pattern and the browser check alike', () => {
    for (const c of [...BIDI, ...OTHER_INVISIBLE]) {
      const name = `Ann${c}a Smith`;
      expect([c.codePointAt(0)?.toString(16), schema.test(name), displayNameProblem(name)]).toEqual([c.codePointAt(0)?.toString(16), false, 'invisible']);
    }
  });

  it('accepts names in any script with ordinary punctuation', () => {
    for (const name of ['Zoë O’Brien-Ng', 'محمد علی', 'Ñandú Pérez', '李小龍', 'Siân Jones (DC 1234)', 'Ann']) {
      expect([name, schema.test(name), displayNameProblem(name)]).toEqual([name, true, null]);
    }
  });

  it('refuses a blank name and one over 120 characters', () => {
    expect(schema.test('   ')).toBe(false);
    expect(displayNameProblem('   ')).toBe('missing');
    expect(displayNameProblem('')).toBe('missing');
    expect(displayNameProblem('é'.repeat(121))).toBe('too_long');
    expect(displayNameProblem('é'.repeat(120))).toBe(null);
  });
});
