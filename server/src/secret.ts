// The server secret: 32+ random bytes kept OUTSIDE the database (an env var
// or a key file), shared by every instance. Keys for separate purposes are
// derived from it with HMAC and a label, so one leak of a derived key says
// nothing about the others, and a copy of the database alone cannot forge a
// proof-of-work challenge or map a rate-limit key back to an address.
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const SECRET_MIN_BYTES = 32;

/** Base64url text of at least 32 bytes (surrounding whitespace ignored). */
export function parseSecret(text: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9_-]+$/.test(trimmed)) throw new Error('the server secret must be base64url text');
  const bytes = Buffer.from(trimmed, 'base64url');
  if (bytes.length < SECRET_MIN_BYTES) throw new Error(`the server secret must be at least ${SECRET_MIN_BYTES} bytes`);
  return bytes;
}

/** SERVER_SECRET (base64url) or SERVER_SECRET_FILE (a file holding it); production refuses to start without one. */
export function secretFromEnv(env: NodeJS.ProcessEnv): Buffer {
  if (env.SERVER_SECRET) return parseSecret(env.SERVER_SECRET);
  if (env.SERVER_SECRET_FILE) return parseSecret(readFileSync(env.SERVER_SECRET_FILE, 'utf8'));
  throw new Error('SERVER_SECRET or SERVER_SECRET_FILE is required (32 random bytes, base64url: `openssl rand -base64 32 | tr "+/" "-_" | tr -d =`)');
}

/** DEMO setup: the key file at `path`, made (readable by its owner only) if missing. */
export function ensureSecretFile(path: string): Buffer {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true }); // a fresh checkout has no data/ yet
    writeFileSync(path, randomBytes(SECRET_MIN_BYTES).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  return parseSecret(readFileSync(path, 'utf8'));
}

export const deriveKey = (secret: Uint8Array, label: string): Buffer => createHmac('sha256', secret).update(label).digest();
