// referralProblem against real libsodium: a referred case whose wraps open is
// confirmed; each kind of junk a sending browser (or the server) could supply
// is named by its reason code instead.
import { beforeAll, describe, expect, it } from 'vitest';
import { flipLastByte, newHolders, readyCrypto, sealCase } from '../../../shared/test/sealed-case.ts';
import { loadStaffCrypto, type Crypto } from '../staff/crypto.ts';
import { referralProblem } from './referral.ts';

let c: Crypto;
beforeAll(async () => {
  await readyCrypto();
  c = await loadStaffCrypto();
});

const NAMED = {
  mode: 'named' as const,
  category: 'bullying',
  report: { narrative: 'Referred from another team', people: 'Sgt Quillby' },
  identity: { name: 'PC Ada Marrow' },
};

describe('referralProblem', () => {
  it('finds nothing wrong when every wrap opens', () => {
    const s = sealCase('RC-AAAA-AAAA', NAMED);
    s.addNote({ text: 'internal' });
    expect(referralProblem(c, s.holders.lead, s.staffView('lead'))).toBeNull();
  });

  it('names what did not open: case key, report, identity key, identity, internal key', () => {
    const s = sealCase('RC-AAAA-AAAA', NAMED);
    s.addNote({ text: 'internal' });
    const v = s.staffView('lead');
    const other = sealCase('RC-BBBB-BBBB', NAMED, s.holders).staffView('lead');
    expect(referralProblem(c, s.holders.lead, { ...v, keyWrap: flipLastByte(v.keyWrap) })).toBe('case_key');
    expect(referralProblem(c, newHolders().lead, v)).toBe('case_key');
    // A wrap of some other key opens, but not the report.
    expect(referralProblem(c, s.holders.lead, { ...v, keyWrap: other.keyWrap })).toBe('report');
    expect(referralProblem(c, s.holders.lead, { ...v, identityWrap: flipLastByte(v.identityWrap!) })).toBe('identity_key');
    expect(referralProblem(c, s.holders.lead, { ...v, identityWrap: other.identityWrap! })).toBe('identity');
    expect(referralProblem(c, s.holders.lead, { ...v, internalKeyWrap: flipLastByte(v.internalKeyWrap!) })).toBe('internal_key');
  });
});
