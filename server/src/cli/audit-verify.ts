// npm run audit:verify [-- --head FILE …] [--public-key KEY …] [database]
// Checks the audit log on DATABASE_URL (default: the demo SQLite file): the hash
// chain, the signed head stored in the database (it must sit on the last entry),
// and each exported head given with --head (its entry must still be there, with
// the same hash). Heads count only when signed by a trusted key: the one derived
// from SERVER_SECRET / SERVER_SECRET_FILE, and any given with --public-key (an
// auditor without the secret; heads from before a rotation). Exit 1 on any fault.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ready } from '../../../shared/src/crypto/index.ts';
import { parseHead, type SignedHead } from '../audit/head.ts';
import { verifyAnchored } from '../audit/verify.ts';
import { createDb } from '../db/dialect.ts';
import { serverKeys } from '../server-keys.ts';
import { databaseOf, message, secretOf } from './keys.ts';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { head: { type: 'string', multiple: true }, 'public-key': { type: 'string', multiple: true } },
    allowPositionals: true,
  });
  await ready();
  const database = databaseOf(process.env, positionals);
  const secret = secretOf(process.env, database);
  const trusted = [...(secret ? [serverKeys(secret).auditSigner.publicKey] : []), ...(values['public-key'] ?? [])];
  if (trusted.length === 0) {
    console.log('audit verify: no trusted key to check signed heads with: set SERVER_SECRET or SERVER_SECRET_FILE, or give --public-key');
    return 1;
  }
  const heads: SignedHead[] = [];
  for (const file of values.head ?? []) {
    try {
      heads.push(parseHead(readFileSync(file, 'utf8')));
    } catch (err) {
      console.log(`audit verify: ${file}: ${message(err)}`);
      return 1;
    }
  }
  // A long log is read in one statement: no request timeout here.
  const handle = createDb(database, { statementTimeoutMs: 0 });
  try {
    const r = await verifyAnchored(handle.db, { trusted, heads });
    if (!r.ok) {
      console.log(`audit chain broken: ${r.problem}`);
      return 1;
    }
    const head = r.storedHead === null ? 'no entries yet' : `signed head at seq ${r.storedHead}`;
    console.log(`audit chain OK (${r.entries} entries; ${head}; ${r.exportedHeads} exported head${r.exportedHeads === 1 ? '' : 's'} checked)`);
    return 0;
  } finally {
    await handle.close();
  }
}

process.exitCode = await main().catch((err: unknown) => {
  console.error(`audit verify failed: ${message(err)}`);
  return 1;
});
