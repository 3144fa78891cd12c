import { describe, expect, it } from 'vitest';
import type { Member } from '../staff/types.ts';
import { planInternalKeyWraps, planWraps, type WrapFn } from './wraps.ts';

const wrap: WrapFn = (pk, key) => `${pk}:${key[0]}`;
const member = (id: string, publicKey: string, seesIdentity = false): Member => ({ id, displayName: id, role: 'triage', publicKey, seesIdentity });
const caseKey = new Uint8Array([1]);
const identityKey = new Uint8Array([2]);
const internalKey = new Uint8Array([3]);

describe('planWraps', () => {
  it('wraps identity only to those who may see it, and skips members without a key', () => {
    const wraps = planWraps([member('a', 'PA', true), member('b', 'PB'), member('c', '', true)], { caseKey, identityKey, internalKey }, wrap);
    expect(wraps).toEqual([
      { recipient: 'a', kind: 'case', sealed: 'PA:1' },
      { recipient: 'a', kind: 'identity', sealed: 'PA:2' },
      { recipient: 'a', kind: 'internal', sealed: 'PA:3' },
      { recipient: 'b', kind: 'case', sealed: 'PB:1' },
      { recipient: 'b', kind: 'internal', sealed: 'PB:3' },
    ]);
  });
  it('sends only the case key when the case has no identity or internal key', () => {
    expect(planWraps([member('a', 'PA', true)], { caseKey }, wrap)).toEqual([{ recipient: 'a', kind: 'case', sealed: 'PA:1' }]);
  });
});

describe('planInternalKeyWraps', () => {
  it('covers staff with keys and the recovery key, once each', () => {
    const wraps = planInternalKeyWraps([member('a', 'PA'), member('b', ''), member('a', 'PA')], [{ id: 'recovery-1', publicKey: 'PR' }], internalKey, wrap);
    expect(wraps).toEqual([
      { recipient: 'a', sealed: 'PA:3' },
      { recipient: 'recovery-1', sealed: 'PR:3' },
    ]);
  });
});
