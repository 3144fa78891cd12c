// The production configuration, read from the environment once at start and
// checked before anything else happens: a bad value stops the start with one
// line naming the variable (never echoing a secret), exit code 1. Every
// variable is described in docs/OPERATIONS.md.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import type { DbOptions } from './db/dialect.ts';

export interface Config {
  /** postgres://… or a SQLite file path. */
  databaseUrl: string;
  kind: 'postgres' | 'sqlite';
  port: number;
  host: string;
  recoveryPublicKey: string;
  /** The organisation's Ed25519 public key (npm run keys:org -- public); the database keeps the last one set. */
  orgPublicKey?: string;
  /** JSON lines or an array of { certificate, staffId } from npm run keys:org, installed at start. */
  keyCertificatesFile?: string;
  redisUrl?: string;
  logLevel: string;
  /** Proxy addresses/CIDRs whose X-Forwarded-For is believed; empty = none. */
  trustProxy: string[];
  /** Processes for serve:cluster. */
  workers: number;
  db: Required<Pick<DbOptions, 'poolMax' | 'connectTimeoutMs' | 'statementTimeoutMs'>>;
  /** Public keys (base64url) of earlier receipt keys, still published after a rotation of the server secret. */
  receiptPreviousKeys: string[];
  /** Proof-of-work difficulty (leading zero bits) at quiet times and at most. */
  pow: { baseDifficulty: number; maxDifficulty: number };
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}`);
  return Number(raw);
}

function database(raw: string): Pick<Config, 'databaseUrl' | 'kind'> {
  if (/^postgres(ql)?:/i.test(raw)) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      // Not the value itself: it may hold a password.
      throw new ConfigError('DATABASE_URL is not a valid postgres:// URL');
    }
    if (!/^postgres(ql)?:$/.test(url.protocol) || url.hostname === '' || !/^\/[^/]+$/.test(url.pathname)) {
      throw new ConfigError('DATABASE_URL must look like postgres://user:password@host:5432/database');
    }
    return { databaseUrl: raw, kind: 'postgres' };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) throw new ConfigError('DATABASE_URL must be a postgres:// URL or a SQLite file path');
  const file = raw.replace(/^sqlite:(\/\/)?/, '');
  if (file === '') throw new ConfigError('DATABASE_URL names no SQLite file');
  return { databaseUrl: raw, kind: 'sqlite' };
}

/** Canonical unpadded base64url of 32 bytes (an X25519 public key). */
function isKey(text: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(text) && Buffer.from(text, 'base64url').toString('base64url') === text;
}

function recoveryKey(env: Env): string {
  const inline = env.RECOVERY_PUBLIC_KEY;
  const file = env.RECOVERY_PUBLIC_KEY_FILE;
  if (inline && file) throw new ConfigError('set RECOVERY_PUBLIC_KEY or RECOVERY_PUBLIC_KEY_FILE, not both');
  let key: string;
  if (file) {
    try {
      key = readFileSync(file, 'utf8').trim();
    } catch {
      throw new ConfigError(`RECOVERY_PUBLIC_KEY_FILE cannot be read: ${file}`);
    }
    if (!isKey(key)) throw new ConfigError(`RECOVERY_PUBLIC_KEY_FILE does not hold a base64url 32-byte public key: ${file}`);
    return key;
  }
  if (!inline) throw new ConfigError('RECOVERY_PUBLIC_KEY or RECOVERY_PUBLIC_KEY_FILE is required (the organisation recovery public key)');
  if (!isKey(inline)) throw new ConfigError('RECOVERY_PUBLIC_KEY must be a base64url 32-byte public key');
  return inline;
}

function orgKeys(env: Env): Pick<Config, 'orgPublicKey' | 'keyCertificatesFile'> {
  const key = env.ORG_PUBLIC_KEY;
  if (key !== undefined && key !== '' && !isKey(key)) throw new ConfigError('ORG_PUBLIC_KEY must be a base64url 32-byte Ed25519 public key');
  const file = env.KEY_CERTIFICATES_FILE;
  if (file) {
    try {
      readFileSync(file, 'utf8');
    } catch {
      throw new ConfigError(`KEY_CERTIFICATES_FILE cannot be read: ${file}`);
    }
  }
  return { ...(key ? { orgPublicKey: key } : {}), ...(file ? { keyCertificatesFile: file } : {}) };
}

function redisUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('REDIS_URL is not a valid redis:// URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ConfigError('REDIS_URL must start with redis:// or rediss://');
  return raw;
}

function trustProxy(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((s) => s.trim()).map((entry) => {
    const [addr = '', bits, extra] = entry.split('/');
    const family = isIP(addr);
    const max = family === 6 ? 128 : 32;
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= max);
    if (family === 0 || !okBits || extra !== undefined) throw new ConfigError(`TRUST_PROXY must list proxy IP addresses or CIDR ranges, comma-separated (bad entry: ${entry})`);
    return entry;
  });
}

/**
 * POW_BASE_DIFFICULTY (default 18: about a second on a mid-range phone) and POW_MAX_DIFFICULTY
 * (default 28). Lower them only for tests and load drills: they are the flood brake.
 */
function powDifficulty(env: Env): { baseDifficulty: number; maxDifficulty: number } {
  const baseDifficulty = int(env, 'POW_BASE_DIFFICULTY', 18, 1, 32);
  const maxDifficulty = int(env, 'POW_MAX_DIFFICULTY', Math.max(28, baseDifficulty), 1, 32);
  if (maxDifficulty < baseDifficulty) throw new ConfigError('POW_MAX_DIFFICULTY must be at least POW_BASE_DIFFICULTY');
  return { baseDifficulty, maxDifficulty };
}

/** RECEIPT_PREVIOUS_KEYS: comma-separated Ed25519 public keys (base64url, 32 bytes) printed by `npm run receipt:key` before a rotation. */
function receiptPreviousKeys(text: string | undefined): string[] {
  const keys = (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const k of keys) {
    if (!/^[A-Za-z0-9_-]{43}$/.test(k) || Buffer.from(k, 'base64url').toString('base64url') !== k) {
      throw new ConfigError(`RECEIPT_PREVIOUS_KEYS must list receipt public keys (43 base64url characters), comma-separated (bad entry: ${k})`);
    }
  }
  return keys;
}

/** `cluster`: serve:cluster's primary, which alone reads WORKERS; a single process is one worker. */
export function loadConfig(env: Env = process.env, mode: 'single' | 'cluster' = 'single'): Config {
  const db = database(env.DATABASE_URL ?? 'data/portal.sqlite');
  const port = int(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST ?? '127.0.0.1';
  if (host === '' || /\s/.test(host)) throw new ConfigError('HOST must be an address to listen on, e.g. 127.0.0.1 or 0.0.0.0');
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const redis = redisUrl(env.REDIS_URL);
  const workers = mode === 'cluster' ? int(env, 'WORKERS', Math.min(availableParallelism(), 8), 1, 64) : 1;
  if (workers > 1 && db.kind !== 'postgres') throw new ConfigError('WORKERS above 1 needs a PostgreSQL DATABASE_URL');
  if (workers > 1 && !redis) throw new ConfigError('WORKERS above 1 needs REDIS_URL, so rate limits are shared by the workers');
  return {
    ...db,
    port,
    host,
    recoveryPublicKey: recoveryKey(env),
    ...orgKeys(env),
    ...(redis ? { redisUrl: redis } : {}),
    logLevel,
    trustProxy: trustProxy(env.TRUST_PROXY),
    workers,
    db: {
      poolMax: int(env, 'DB_POOL_MAX', 10, 1, 100),
      connectTimeoutMs: int(env, 'DB_CONNECT_TIMEOUT_MS', 2000, 100, 60_000),
      statementTimeoutMs: int(env, 'DB_STATEMENT_TIMEOUT_MS', 3000, 100, 600_000),
    },
    pow: powDifficulty(env),
    receiptPreviousKeys: receiptPreviousKeys(env.RECEIPT_PREVIOUS_KEYS),
  };
}
