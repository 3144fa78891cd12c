// npm run audit:head [-- --out FILE] [database]
// Exports a signed head of the audit log for keeping OUTSIDE the server (another
// system, write-once storage, a printed copy): { format, seq, hash, day,
// publicKey, signature } as JSON on stdout or in FILE. The log is verified first
// (chain and stored head), then the last entry is signed afresh with the key
// derived from the server secret (SERVER_SECRET / SERVER_SECRET_FILE; the demo's
// key file for the demo database). Later, `npm run audit:verify -- --head FILE`
// fails if that entry was cut off or rewritten.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ready } from '../../../shared/src/crypto/index.ts';
import { dayOf } from '../audit/head.ts';
import { verifyAnchored } from '../audit/verify.ts';
import { createDb } from '../db/dialect.ts';
import { serverKeys } from '../server-keys.ts';
import { databaseOf, message, secretOf } from './keys.ts';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
  await ready();
  const database = databaseOf(process.env, positionals);
  const secret = secretOf(process.env, database);
  if (!secret) {
    console.error('audit head: SERVER_SECRET or SERVER_SECRET_FILE is required to sign a head');
    return 1;
  }
  const signer = serverKeys(secret).auditSigner;
  const handle = createDb(database, { statementTimeoutMs: 0 });
  try {
    // Never sign over a log that is already broken: the head would vouch for the damage.
    const r = await verifyAnchored(handle.db, { trusted: [signer.publicKey] });
    if (!r.ok) {
      console.error(`audit head: not signed, the log does not verify: ${r.problem}`);
      return 1;
    }
    const last = await handle.db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    if (!last) {
      console.error('audit head: the log is empty, nothing to sign');
      return 1;
    }
    const head = signer.sign({ seq: Number(last.seq), hash: last.hash, day: dayOf(new Date()) });
    const text = JSON.stringify(head, null, 2) + '\n';
    if (values.out) {
      writeFileSync(values.out, text);
      console.error(`audit head: seq ${head.seq} signed (${head.day}), written to ${values.out}; keep it outside this server`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  } finally {
    await handle.close();
  }
}

process.exitCode = await main().catch((err: unknown) => {
  console.error(`audit head failed: ${message(err)}`);
  return 1;
});
