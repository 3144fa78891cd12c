// What the key commands share: which database (DATABASE_URL, the first
// argument, or the demo's file) and which server secret (SERVER_SECRET,
// SERVER_SECRET_FILE, or the demo's data/server.secret beside the demo file).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseSecret, secretFromEnv } from '../secret.ts';

export const DEMO_DB = 'data/demo.sqlite';

export function databaseOf(env: NodeJS.ProcessEnv, positional: string[]): string {
  return env.DATABASE_URL ?? positional[0] ?? DEMO_DB;
}

/** The server secret from the environment, else the demo's key file when the database is the demo's; undefined when neither. */
export function secretOf(env: NodeJS.ProcessEnv, database: string): Buffer | undefined {
  if (env.SERVER_SECRET || env.SERVER_SECRET_FILE) return secretFromEnv(env);
  const demoFile = join(dirname(DEMO_DB), 'server.secret');
  return database === DEMO_DB && existsSync(demoFile) ? parseSecret(readFileSync(demoFile, 'utf8')) : undefined;
}

export const secretFile = (path: string): Buffer => parseSecret(readFileSync(path, 'utf8'));

export const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
