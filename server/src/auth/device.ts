// A device cookie, given to a browser once an account signs in there: it lets
// the owner's own browser keep its own back-off count for that account. A
// stranger typing the username over and over fills only the count of browsers
// without one, so they cannot lock the owner out (OWASP "device cookies").
// Stateless: the value is a random nonce and a MAC over (username, nonce)
// under an installation key, so the server stores nothing per device.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { normaliseUsername } from './secrets.ts';

export const DEVICE_COOKIE = 'rc_device';
export const DEVICE_COOKIE_PATH = '/api/v1/staff/auth';
const MAX_AGE_S = 180 * 24 * 60 * 60;
const SHAPE = /^[A-Za-z0-9_-]{43}$/;

const mac = (key: Buffer, username: string, nonce: Buffer): Buffer =>
  createHmac('sha256', key).update(`rc1 device ${normaliseUsername(username)} `).update(nonce).digest().subarray(0, 16);

export function newDeviceToken(key: Buffer, username: string): string {
  const nonce = randomBytes(16);
  return Buffer.concat([nonce, mac(key, username, nonce)]).toString('base64url');
}

/** The device's nonce (hex) when the cookie was issued to this username by this installation; else null. */
export function deviceOf(key: Buffer, username: string, value: string | undefined): string | null {
  if (!value || !SHAPE.test(value)) return null;
  const raw = Buffer.from(value, 'base64url');
  if (raw.length !== 32) return null;
  const nonce = raw.subarray(0, 16);
  return timingSafeEqual(raw.subarray(16), mac(key, username, nonce)) ? nonce.toString('hex') : null;
}

export function deviceCookieValue(req: FastifyRequest): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === DEVICE_COOKIE) return v.join('=');
  }
  return undefined;
}

export const deviceCookie = (value: string): string =>
  `${DEVICE_COOKIE}=${value}; Path=${DEVICE_COOKIE_PATH}; Max-Age=${MAX_AGE_S}; HttpOnly; Secure; SameSite=Strict`;
