// RFC 6238 TOTP via otpauth: SHA1, 6 digits, 30 s, window ±1. The caller
// remembers the accepted step so a code is never accepted twice
// (repository.spendTotpStep).
import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;

export function totpFor(base32: string, label = 'staff'): TOTP {
  return new TOTP({ issuer: 'Raising concerns', label, secret: Secret.fromBase32(base32), algorithm: 'SHA1', digits: 6, period: PERIOD });
}

export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The time step the code belongs to (window ±1), or null for a wrong code. The caller refuses a step already used. */
export function totpStep(base32: string, token: string, nowMs: number): number | null {
  const delta = totpFor(base32).validate({ token, timestamp: nowMs, window: 1 });
  return delta === null ? null : Math.floor(nowMs / 1000 / PERIOD) + delta;
}
