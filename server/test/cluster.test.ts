// serve:cluster: WORKERS processes on one port over PostgreSQL + Redis; a
// worker killed with -9 is replaced while the others serve; SIGTERM stops all.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready, toB64u } from '../../shared/src/crypto/index.ts';
import { demoRecoveryKeyPair } from '../../seeds/demo.ts';
import { prepareDemoDatabase } from '../../seeds/prepare.ts';
import { dialects, postgres, type TestDb } from './databases.ts';
import { spawnNode, timed } from './support/spawn.ts';
import { REDIS_URL, redisUp } from './support/redis.ts';

const hasPg = dialects.some((d) => d.name === 'postgres');

const until = async (f: () => boolean, ms = 60_000): Promise<void> => {
  for (const end = Date.now() + ms; !f(); await new Promise((r) => setTimeout(r, 100))) if (Date.now() > end) throw new Error('timed out');
};

describe.runIf(hasPg && redisUp)('serve:cluster', () => {
  let tdb: TestDb;
  beforeAll(async () => {
    await ready();
    tdb = await postgres.create();
    await prepareDemoDatabase(tdb.handle, { demoSignIn: [] });
  }, 60_000);
  afterAll(async () => { await tdb?.cleanup(); });

  it('runs WORKERS processes on one port, replaces one killed with -9, and stops on SIGTERM', async () => {
    const { proc, lines, exited } = spawnNode(['--import', 'tsx', 'server/src/cluster.ts'], {
      DATABASE_URL: tdb.url, REDIS_URL, RECOVERY_PUBLIC_KEY: toB64u(demoRecoveryKeyPair().publicKey), WORKERS: '2', PORT: '0', LOG_LEVEL: 'warn',
    });
    try {
      const listening = (): string[] => lines.filter((l) => l.includes('listening on'));
      await until(() => listening().length === 2);
      const url = /listening on (http:\/\/\S+)/.exec(listening()[0]!)![1]!;
      expect(listening()[1]).toContain(url); // one shared port
      // The primary's children running server.ts (tsx also starts an esbuild helper).
      const workers = (): number[] => execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(proc.pid)]).toString().trim().split('\n')
        .filter((l) => l.includes('server.ts')).map((l) => Number.parseInt(l.trim(), 10));
      expect(workers()).toHaveLength(2);
      const victim = workers()[0]!;
      process.kill(victim, 'SIGKILL');
      await until(() => lines.some((l) => l.includes(`worker ${victim} ended`)) && listening().length === 3);
      expect(workers()).toHaveLength(2);
      expect(workers()).not.toContain(victim);
      for (let i = 0; i < 6; i++) expect((await timed(`${url}/readyz`)).status).toBe(200);
    } finally {
      proc.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
