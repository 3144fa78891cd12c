// Enrolment checks, kept apart from rendering so they can be tested.
import type { FieldError } from '../reporter/flow.ts';

export const MIN_PASSPHRASE = 12;

export function validateNewPassphrase(f: { passphrase: string; confirm: string; code: string; enrolmentSecret: string }): FieldError[] {
  const errors: FieldError[] = [];
  if (!f.passphrase) errors.push({ field: 'passphrase', message: 'Enter a new passphrase' });
  else if (f.passphrase.length < MIN_PASSPHRASE) errors.push({ field: 'passphrase', message: `Your passphrase must be at least ${MIN_PASSPHRASE} characters` });
  else if (f.passphrase.trim() === f.enrolmentSecret.trim()) errors.push({ field: 'passphrase', message: 'Your passphrase must be different from your enrolment secret' });
  else if (f.confirm !== f.passphrase) errors.push({ field: 'confirm', message: 'The passphrases do not match' });
  if (!/^\d{6}$/.test(f.code.replace(/\s/g, ''))) errors.push({ field: 'code', message: 'Enter the 6-digit code from your authenticator app' });
  return errors;
}

/** The base32 secret in groups of 4 for typing into an authenticator app by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

export function lockedOutWords(seconds: number | undefined): string {
  const minutes = Math.max(1, Math.ceil((seconds ?? 60) / 60));
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export function validateSignIn(f: { username: string; passphrase: string; code: string }): FieldError[] {
  const errors: FieldError[] = [];
  if (!f.username.trim()) errors.push({ field: 'username', message: 'Enter your username' });
  if (!f.passphrase) errors.push({ field: 'passphrase', message: 'Enter your passphrase' });
  if (!f.code.trim()) errors.push({ field: 'code', message: 'Enter the 6-digit code from your authenticator app' });
  else if (!/^\d{6}$/.test(f.code.replace(/\s/g, ''))) errors.push({ field: 'code', message: 'The code must be 6 digits' });
  return errors;
}

/**
 * The id a staff key is sealed to at enrolment (AD "rc1/staff-key" ‖ id). enrol/start
 * does not return the account id, so enrolment uses the lowercased username;
 * sign-in tries the account id first, then this.
 */
export const enrolmentKeyId = (username: string): string => username.trim().toLowerCase();
