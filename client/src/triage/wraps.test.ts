import { describe, expect, it } from 'vitest';
import type { Member } from '../staff/types.ts';
import { holdersOf, planInternalKeyWraps, planWraps, recusedOf, type WrapFn } from './wraps.ts';

const wrap: WrapFn = (pk, key) => `${pk}:${key[0]}`;
const member = (id: string, publicKey: string, seesIdentity = false): Member => ({ id, displayName: id, role: 'triage', publicKey, seesIdentity, recipientId: id, chain: [] });
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
  it('never wraps to a member recused from the case', () => {
    const wraps = planWraps([member('a', 'PA', true), member('r', 'PR', true)], { caseKey, identityKey, internalKey }, wrap, ['r']);
    expect(wraps.map((w) => w.recipient)).toEqual(['a', 'a', 'a']);
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

describe('planInternalKeyWraps with the case holders', () => {
  const recovery = [{ id: 'recovery-1', publicKey: 'PR' }];
  const team = [member('a', 'PA'), member('b', 'PB'), member('late', 'PL'), member('r', 'PX')];
  it('wraps to exactly the holders among the members, and the recovery key', () => {
    const wraps = planInternalKeyWraps(team, recovery, internalKey, wrap, { holders: ['a', 'b'] });
    expect(wraps).toEqual([
      { recipient: 'a', sealed: 'PA:3' },
      { recipient: 'b', sealed: 'PB:3' },
      { recipient: 'recovery-1', sealed: 'PR:3' },
    ]);
  });
  it('skips holders it has no key for (another team) and recused members even without a holders list', () => {
    expect(planInternalKeyWraps(team, recovery, internalKey, wrap, { holders: ['a', 'elsewhere'] }).map((w) => w.recipient)).toEqual(['a', 'recovery-1']);
    expect(planInternalKeyWraps(team, recovery, internalKey, wrap, { recused: ['r'] }).map((w) => w.recipient)).toEqual(['a', 'b', 'late', 'recovery-1']);
  });
  it('always includes the signed-in officer when they hold the case, once', () => {
    const self = { id: 'me', publicKey: 'PM' };
    expect(planInternalKeyWraps([member('a', 'PA')], recovery, internalKey, wrap, { self, holders: ['me'] })).toEqual([
      { recipient: 'me', sealed: 'PM:3' },
      { recipient: 'recovery-1', sealed: 'PR:3' },
    ]);
    expect(planInternalKeyWraps([member('me', 'PM')], recovery, internalKey, wrap, { self }).map((w) => w.recipient)).toEqual(['me', 'recovery-1']);
  });
});

describe('holdersOf / recusedOf', () => {
  it('reads the optional lists defensively', () => {
    expect(holdersOf({ holders: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(holdersOf({})).toBeUndefined();
    expect(holdersOf({ holders: 'a' })).toBeUndefined();
    expect(holdersOf({ holders: [1] })).toBeUndefined();
    expect(recusedOf({ recused: ['r'] })).toEqual(['r']);
    expect(recusedOf({})).toEqual([]);
    expect(recusedOf({ recused: null })).toEqual([]);
  });
});
