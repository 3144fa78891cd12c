// Staff test plumbing: a movable clock, sign-in as a demo account with real
// Argon2id-derived secrets and a TOTP code, and requests carrying the session.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { demoTotpSecret } from '../../seeds/demo.ts';
import { secretsOf } from '../../seeds/staff.ts';
import type { LoginResult } from '../../shared/src/api/staff.ts';
import { totpFor } from '../src/auth/totp.ts';

export class Clock {
  constructor(public ms: number = Date.parse('2026-01-15T10:00:00Z')) {}
  now = (): number => this.ms;
  advance(ms: number): void { this.ms += ms; }
}

export const codeFor = (username: string, ms: number): string => totpFor(demoTotpSecret(username)).generate({ timestamp: ms });

export interface Session {
  username: string;
  cookie: string;
  csrf: string;
  login: LoginResult;
}

export const cookieOf = (res: LightMyRequestResponse): string => {
  const raw = res.headers['set-cookie'];
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (!first) throw new Error('no cookie');
  return first.split(';')[0] as string;
};

/** Signs in; moves the clock one TOTP step first so each code is fresh. */
export async function signIn(app: FastifyInstance, clock: Clock, username: string): Promise<Session> {
  clock.advance(30_000);
  const { loginSecret } = await secretsOf(username);
  const res = await app.inject({ method: 'POST', url: '/api/v1/staff/auth/login', payload: { username, loginSecret, totp: codeFor(username, clock.ms) } });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  const login = res.json() as LoginResult;
  return { username, cookie: cookieOf(res), csrf: login.csrfToken, login };
}

type Method = 'GET' | 'POST';

export function call(app: FastifyInstance, s: Session | null, method: Method, url: string, payload?: object) {
  const headers: Record<string, string> = {};
  if (s) {
    headers.cookie = s.cookie;
    if (method !== 'GET') headers['x-csrf-token'] = s.csrf;
  }
  return app.inject({ method, url: `/api/v1/staff${url}`, headers, ...(payload !== undefined ? { payload } : {}) });
}
