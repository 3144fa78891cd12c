import { describe, expect, it } from 'vitest';
import { grantsFor, validateAccount } from './validate.ts';

describe('admin account form', () => {
  it('refuses a display name with a right-to-left override with a message for the name field', () => {
    const errors = validateAccount({ displayName: 'Ann\u202Eevil', role: 'triage', teams: ['nw-bcu-psu'] });
    expect(errors.map((e) => e.field)).toEqual(['display-name']);
    expect(errors[0]?.message).toMatch(/hidden characters/);
  });

  it('asks for a name, a role and, for case roles, a team', () => {
    expect(validateAccount({ username: 'Bad Name', displayName: '  ', role: undefined, teams: [] }).map((e) => e.field))
      .toEqual(['new-username', 'display-name', 'role']);
    expect(validateAccount({ displayName: 'Ann', role: 'lead', teams: [] }).map((e) => e.field)).toEqual(['teams']);
    expect(validateAccount({ displayName: 'Ann', role: 'oversight', teams: [] })).toEqual([]);
  });

  it('gives oversight and admin no teams, and a lead the lead flag', () => {
    expect(grantsFor('admin', ['a'], true)).toEqual([]);
    expect(grantsFor('lead', ['a'], false)).toEqual([{ id: 'a', seesIdentity: false, lead: true }]);
  });
});
