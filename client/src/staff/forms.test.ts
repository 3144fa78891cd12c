import { describe, expect, it } from 'vitest';
import { groupSecret, lockedOutWords, validateNewPassphrase, validateSignIn } from './forms.ts';

describe('validateNewPassphrase', () => {
  const ok = { passphrase: 'correct horse battery', confirm: 'correct horse battery', code: '123456', enrolmentSecret: 'ABCD-EFGH' };
  it('accepts a long, matching passphrase and a 6-digit code', () => {
    expect(validateNewPassphrase(ok)).toEqual([]);
  });
  it('refuses short passphrases, the enrolment secret, mismatches and bad codes', () => {
    expect(validateNewPassphrase({ ...ok, passphrase: 'short', confirm: 'short' })[0]?.field).toBe('passphrase');
    expect(validateNewPassphrase({ ...ok, passphrase: 'enrol-secret-123', confirm: 'enrol-secret-123', enrolmentSecret: 'enrol-secret-123' })[0]?.message).toMatch(/different/);
    expect(validateNewPassphrase({ ...ok, confirm: 'something else!' })[0]?.field).toBe('confirm');
    expect(validateNewPassphrase({ ...ok, code: '12345' })[0]?.field).toBe('code');
  });
});

describe('sign-in words', () => {
  it('groups the TOTP secret', () => expect(groupSecret('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP'));
  it('rounds lock-outs up to whole minutes', () => {
    expect(lockedOutWords(60)).toBe('Too many attempts. Try again in 1 minute');
    expect(lockedOutWords(125)).toBe('Too many attempts. Try again in 3 minutes');
  });
  it('checks the sign-in form', () => {
    expect(validateSignIn({ username: '', passphrase: '', code: 'abc' }).map((e) => e.field)).toEqual(['username', 'passphrase', 'code']);
    expect(validateSignIn({ username: 'a', passphrase: 'b', code: '123 456' })).toEqual([]);
  });
});
