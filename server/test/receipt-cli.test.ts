// npm run receipt:verify and receipt:key, spawned as an operator or a reporter runs them:
// exit 0 for a genuine receipt (and matching bytes), 1 with a plain reason when a byte,
// date or reference changed, 2 for a usage mistake. Offline: no server, no database.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import rv from '../../docs/receipt-vectors.json' with { type: 'json' };
import { fromB64u, ready } from '../../shared/src/crypto/index.ts';
import { serverKeys } from '../src/server-keys.ts';
import { spawnNode } from './support/spawn.ts';

const dir = mkdtempSync(join(tmpdir(), 'receipt-cli-'));
const file = (name: string, content: string | Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  const r = spawnNode(['--import', 'tsx', `server/src/cli/${script}`, ...args], env);
  const code = await r.exited;
  return { code, out: r.lines.join('\n') };
}

describe('npm run receipt:verify', () => {
  const v = rv.receipts[0]!;
  let receipt: string;
  let keys: string;
  beforeAll(async () => {
    await ready();
    receipt = file('receipt.json', v.text);
    keys = file('keys.json', JSON.stringify({ current: rv.publishedKey, previous: [] }));
  });

  it('accepts a genuine receipt with the bytes it names (raw, or the envelope as posted); the key as text or the published JSON', async () => {
    const raw = await run('receipt-verify.ts', ['--receipt', receipt, '--public-key', rv.publishedKey.publicKey, '--sealed', file('sealed.bin', fromB64u(v.sealedBytes))]);
    expect(raw).toEqual({ code: 0, out: `receipt valid: report for case ${v.receipt.caseRef}, received on ${v.receipt.receivedOn}, signed with key ${rv.publishedKey.keyId}\nthe sealed bytes given are the ones the receipt names` });
    const env = await run('receipt-verify.ts', ['--receipt', receipt, '--public-key', keys, '--sealed', file('envelope.json', JSON.stringify(v.envelope))]);
    expect(env.code).toBe(0);
    const noBytes = await run('receipt-verify.ts', ['--receipt', receipt, '--public-key', keys]);
    expect(noBytes.code).toBe(0);
    expect(noBytes.out).toContain('were not checked');
  });

  it('fails with a clear message on a changed byte, date or reference, or another key', async () => {
    const bytes = fromB64u(v.sealedBytes);
    bytes[100]! ^= 1;
    const changedByte = await run('receipt-verify.ts', ['--receipt', receipt, '--public-key', keys, '--sealed', file('changed.bin', bytes)]);
    expect(changedByte).toEqual({ code: 1, out: 'receipt NOT valid (hash_mismatch): The receipt is genuine, but these are not the sealed bytes it was issued for.' });
    const date = await run('receipt-verify.ts', ['--receipt', file('date.json', JSON.stringify({ ...v.receipt, receivedOn: '2026-03-01' })), '--public-key', keys]);
    expect(date.code).toBe(1);
    expect(date.out).toMatch(/^receipt NOT valid \(bad_signature\): The signature does not match: the reference, date/);
    const ref = await run('receipt-verify.ts', ['--receipt', file('ref.json', JSON.stringify({ ...v.receipt, caseRef: 'RC-7K3M-Q9XV' })), '--public-key', keys]);
    expect(ref.code).toBe(1);
    const otherKey = await run('receipt-verify.ts', ['--receipt', receipt, '--public-key', 'A'.repeat(42) + 'E']);
    expect(otherKey.code).toBe(1);
    expect(otherKey.out).toContain('(unknown_key)');
  });

  it('exits 2 on a usage mistake', async () => {
    expect((await run('receipt-verify.ts', ['--receipt', receipt])).code).toBe(2);
    expect((await run('receipt-verify.ts', ['--receipt', join(dir, 'missing.json'), '--public-key', keys])).out).toContain('cannot read the receipt file');
    expect((await run('receipt-verify.ts', ['--receipt', receipt, '--public-key', file('bad-key.txt', 'not a key')])).code).toBe(2);
  });
});

describe('npm run receipt:key', () => {
  it('prints the public key derived from the server secret, the one the server publishes', async () => {
    await ready();
    const secret = new Uint8Array(32).fill(42);
    const expected = serverKeys(secret).receipt.key;
    const r = await run('receipt-key.ts', ['--json'], { SERVER_SECRET: Buffer.from(secret).toString('base64url') });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(expected);
    const none = await run('receipt-key.ts', [], { SERVER_SECRET: '', SERVER_SECRET_FILE: '', DATABASE_URL: join(dir, 'none.sqlite') });
    expect(none.code).toBe(1);
  });
});
