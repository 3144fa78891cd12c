// Case token: 120 random bits shown as 24 Crockford base32 characters plus a
// check character, so a reporter copying it by hand learns of a typo in the
// browser, before a request tells the server anything.
import { sodium } from './sodium.ts';
import { TOKEN_BYTES, type CaseToken } from './types.ts';

import { CROCKFORD } from '../domain/reference.ts';

export { CROCKFORD };
const DATA_CHARS = 24;

export function generateToken(): CaseToken {
  return sodium().randombytes_buf(TOKEN_BYTES) as CaseToken;
}

function checkChar(token: Uint8Array): string {
  const h = sodium().crypto_generichash(32, token, null);
  return CROCKFORD[(h[0] as number) >> 3] as string;
}

export function formatToken(token: CaseToken): string {
  let bits = 0n;
  for (const b of token) bits = (bits << 8n) | BigInt(b);
  let chars = '';
  for (let i = DATA_CHARS - 1; i >= 0; i--) chars += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  chars += checkChar(token);
  return chars.match(/.{5}/g)!.join('-');
}

export type TokenParse =
  | { ok: true; token: CaseToken }
  | { ok: false; reason: 'length' | 'characters' | 'check' };

/** Forgiving parse: any case, spaces and hyphens ignored, O→0 and I/L→1. */
export function parseToken(input: string): TokenParse {
  const cleaned = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (cleaned.length !== DATA_CHARS + 1) return { ok: false, reason: 'length' };
  let bits = 0n;
  for (const ch of cleaned.slice(0, DATA_CHARS)) {
    const v = CROCKFORD.indexOf(ch);
    if (v < 0) return { ok: false, reason: 'characters' };
    bits = (bits << 5n) | BigInt(v);
  }
  if (!CROCKFORD.includes(cleaned[DATA_CHARS] as string)) return { ok: false, reason: 'characters' };
  const token = new Uint8Array(TOKEN_BYTES);
  for (let i = TOKEN_BYTES - 1; i >= 0; i--) {
    token[i] = Number(bits & 0xffn);
    bits >>= 8n;
  }
  if (checkChar(token) !== cleaned[DATA_CHARS]) return { ok: false, reason: 'check' };
  return { ok: true, token: token as CaseToken };
}
