// RFC 6238 TOTP via otpauth: SHA1, 6 digits, 30 s, window ±1. The caller
// remembers the accepted step so a code is never accepted twice.
import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;

export function totpFor(base32: string, label = 'staff'): TOTP {
  return new TOTP({ issuer: 'Raising concerns', label, secret: Secret.fromBase32(base32), algorithm: 'SHA1', digits: 6, period: PERIOD });
}

export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The time step the code belongs to, or null; `lastStep` and earlier steps are refused (replay). */
export function acceptedStep(base32: string, token: string, nowMs: number, lastStep: number | null): number | null {
  const delta = totpFor(base32).validate({ token, timestamp: nowMs, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(nowMs / 1000 / PERIOD) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}
