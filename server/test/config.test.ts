// Configuration is checked at start: each bad value stops the process with one
// line and exit code 1 (spawned from the built JavaScript, as production runs
// it), and the build itself starts and serves with plain node.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready, toB64u } from '../../shared/src/crypto/index.ts';
import { demoRecoveryKeyPair } from '../../seeds/demo.ts';
import { prepareDemoDatabase } from '../../seeds/prepare.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createDb } from '../src/db/dialect.ts';
import { ROOT, spawnNode } from './support/spawn.ts';

await ready();
const KEY = toB64u(demoRecoveryKeyPair().publicKey);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rc-config-'));
  execFileSync('npm', ['run', '--silent', 'build:server'], { cwd: ROOT, stdio: 'pipe' });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(entry: string, env: Record<string, string>): Promise<{ code: number | null; lines: string[] }> {
  const { lines, exited } = spawnNode([entry], env);
  return { code: await exited, lines };
}

describe('loadConfig', () => {
  const base = { RECOVERY_PUBLIC_KEY: KEY };
  it('reads defaults and every variable', () => {
    expect(loadConfig(base)).toMatchObject({ databaseUrl: 'data/portal.sqlite', kind: 'sqlite', port: 3000, host: '127.0.0.1', logLevel: 'info', trustProxy: [], workers: 1 });
    const c = loadConfig({ ...base, DATABASE_URL: 'postgres://u:p@db:5432/portal', PORT: '8080', REDIS_URL: 'redis://cache:6379', TRUST_PROXY: '10.0.0.1, 192.168.0.0/16', WORKERS: '4', DB_POOL_MAX: '20' }, 'cluster');
    expect(c).toMatchObject({ kind: 'postgres', port: 8080, redisUrl: 'redis://cache:6379', trustProxy: ['10.0.0.1', '192.168.0.0/16'], workers: 4, db: { poolMax: 20 } });
  });
  it.each([
    [{ DATABASE_URL: 'postgres://u:secret@/' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '80a' }, 'PORT'],
    [{ REDIS_URL: 'http://cache' }, 'REDIS_URL'],
    [{ TRUST_PROXY: 'everyone' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ RECOVERY_PUBLIC_KEY: 'short' }, 'RECOVERY_PUBLIC_KEY'],
    [{ RECOVERY_PUBLIC_KEY: '' }, 'RECOVERY_PUBLIC_KEY'],
    [{ DB_STATEMENT_TIMEOUT_MS: '0' }, 'DB_STATEMENT_TIMEOUT_MS'],
  ])('refuses %j naming the variable', (env, name) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...env })).toThrow(name);
    try { loadConfig({ ...base, ...env }); } catch (err) { expect((err as Error).message).not.toContain('secret'); }
  });
  it('needs PostgreSQL and Redis for more than one worker', () => {
    expect(() => loadConfig({ ...base, WORKERS: '2' }, 'cluster')).toThrow('PostgreSQL');
    expect(() => loadConfig({ ...base, WORKERS: '2', DATABASE_URL: 'postgres://db/portal' }, 'cluster')).toThrow('REDIS_URL');
  });
});

describe('the built server process', () => {
  it.each([
    ['a malformed DATABASE_URL', { DATABASE_URL: 'postgres://admin:hunter2@:5432' }, /^Could not start: DATABASE_URL /],
    ['a missing key file', { RECOVERY_PUBLIC_KEY: '', RECOVERY_PUBLIC_KEY_FILE: '/nonexistent/recovery.pub' }, /^Could not start: RECOVERY_PUBLIC_KEY_FILE cannot be read/],
    ['a bad PORT', { PORT: '99999' }, /^Could not start: PORT /],
    ['no server secret', { SERVER_SECRET: '' }, /^Could not start: SERVER_SECRET or SERVER_SECRET_FILE is required/],
  ])('stops with one line and exit code 1 on %s', async (_what, env, line) => {
    const r = await run('dist/server/server.js', { DATABASE_URL: join(dir, 'never.sqlite'), RECOVERY_PUBLIC_KEY: KEY, ...env });
    expect(r.code).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(line);
    expect(r.lines[0]).not.toContain('hunter2');
  });

  it('serve:cluster refuses several workers on SQLite', async () => {
    const r = await run('dist/server/cluster.js', { DATABASE_URL: join(dir, 'never.sqlite'), RECOVERY_PUBLIC_KEY: KEY, WORKERS: '2' });
    expect(r.code).toBe(1);
    expect(r.lines).toEqual(['Could not start: WORKERS above 1 needs a PostgreSQL DATABASE_URL']);
  });

  it('starts from plain JavaScript with a key file, serves, and stops cleanly on SIGTERM', async () => {
    const file = join(dir, 'portal.sqlite');
    const handle = createDb(file);
    await prepareDemoDatabase(handle, { demoSignIn: [] });
    await handle.close();
    const keyFile = join(dir, 'recovery.pub');
    writeFileSync(keyFile, `${KEY}\n`);
    const { proc, lines, exited } = spawnNode(['dist/server/server.js'], { DATABASE_URL: file, RECOVERY_PUBLIC_KEY_FILE: keyFile, PORT: '0', LOG_LEVEL: 'warn' });
    let url: string | undefined;
    for (let i = 0; i < 200 && !url; i++) {
      url = lines.map((l) => /listening on (http:\/\/\S+)/.exec(l)?.[1]).find((u) => u);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(url).toBeDefined();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/api/v1/intake`)).status).toBe(200);
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
