// npm run purge, spawned as cron runs it, on both dialects: it needs libsodium ready (the purge's audit entry
// re-signs the audit head), says what it did, and leaves an audit chain that still verifies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAnchored } from '../src/audit/verify.ts';
import { serverKeys } from '../src/server-keys.ts';
import { dialects } from './databases.ts';
import { makeApp, TEST_SECRET, type TestApp } from './helpers.ts';
import { spawnNode } from './support/spawn.ts';

describe.each(dialects)('npm run purge on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => { t = await makeApp(dialect); }, 60_000);
  afterAll(async () => { await t?.close(); });

  it('runs once from the command line and exits 0', async () => {
    const r = spawnNode(['--import', 'tsx', 'server/src/cli/purge.ts'], {
      DATABASE_URL: t.tdb.url, SERVER_SECRET: Buffer.from(TEST_SECRET).toString('base64url'),
    });
    const code = await r.exited;
    expect({ code, out: r.lines.join('\n') }).toEqual({ code: 0, out: expect.stringMatching(/^retention purge: \d+ case\(s\), \d+ advice request\(s\), \d+ private record\(s\) purged$/) });
    expect(await verifyAnchored(t.tdb.handle.db, { trusted: [serverKeys(TEST_SECRET).auditSigner.publicKey] })).toMatchObject({ ok: true });
  }, 60_000);
});
