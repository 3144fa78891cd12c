// Backup and restore of the whole database: everything in it is either
// ciphertext, key wraps or routing metadata, so a backup holds no plaintext
// and can be kept like the database itself.
// - SQLite: the online backup API (better-sqlite3 `backup()`): a consistent
//   copy while the server keeps writing; restore copies pages the same way.
// - PostgreSQL: pg_dump's custom format (one consistent snapshot) and
//   pg_restore, run as child processes with no shell.
// A restore refuses a database that already has tables unless `force` is
// given, then checks the audit chain of what it restored.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { verifyAudit, type VerifyResult } from '../audit/log.ts';
import { createDb, sqlitePath } from '../db/dialect.ts';
import pg from 'pg';

export class BackupError extends Error {}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', (e) => reject(new BackupError(`${cmd} could not start (${e.message}): is the PostgreSQL client installed?`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new BackupError(`${cmd} failed (exit ${code}): ${err.trim().split('\n').slice(-3).join(' ')}`))));
  });
}

/** Writes a consistent backup of the database at `url` to `out`; the server may keep running. */
export async function backup(url: string, out: string): Promise<void> {
  mkdirSync(dirname(out), { recursive: true });
  const file = sqlitePath(url);
  if (file === null) {
    await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${out}`, `--dbname=${url}`]);
    return;
  }
  if (!existsSync(file)) throw new BackupError(`no database at ${file}`);
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    await db.backup(out);
  } finally {
    db.close();
  }
}

/** Tables in the target database (0 = empty: safe to restore into). */
export async function tableCount(url: string): Promise<number> {
  const file = sqlitePath(url);
  if (file === null) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const r = await client.query<{ n: string }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'");
      return Number(r.rows[0]?.n ?? 0);
    } finally {
      await client.end();
    }
  }
  if (!existsSync(file)) return 0;
  const db = new SQLite(file, { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

export interface RestoreOptions {
  /** Overwrite a database that already has tables. */
  force?: boolean;
}

/** Restores `from` into the database at `url` and verifies the restored audit chain. Stop the server first. */
export async function restore(from: string, url: string, opts: RestoreOptions = {}): Promise<VerifyResult> {
  if (!existsSync(from)) throw new BackupError(`no backup at ${from}`);
  const tables = await tableCount(url);
  if (tables > 0 && !opts.force) throw new BackupError(`the target database is not empty (${tables} tables): pass --force to overwrite it`);
  const file = sqlitePath(url);
  if (file === null) {
    await run('pg_restore', [
      '--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction',
      ...(tables > 0 ? ['--clean', '--if-exists'] : []), `--dbname=${url}`, from,
    ]);
    // pg_restore brings no planner statistics: without them the inbox over a large set is planned as a full sort.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try { await client.query('ANALYZE'); } finally { await client.end(); }
  } else {
    const source = new SQLite(from, { readonly: true, fileMustExist: true });
    try {
      const check = source.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new BackupError(`the backup fails SQLite's integrity check: ${String(check)}`);
      mkdirSync(dirname(file), { recursive: true });
      // Old WAL frames must not be replayed over the restored pages.
      if (tables === 0) for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
      await source.backup(file);
    } finally {
      source.close();
    }
  }
  const handle = createDb(url);
  try {
    return await verifyAudit(handle.db);
  } finally {
    await handle.close();
  }
}
