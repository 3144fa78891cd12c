// npm run secrets:rotate -- --old-file OLD --new-file NEW [database]
// (or OLD_SERVER_SECRET / NEW_SERVER_SECRET in the environment, base64url text)
// Moves every secret sealed under the old server secret to the new one, in one
// transaction: the TOTP secrets are re-sealed and the audit log's stored head is
// re-signed with the new key (after its old signature is checked). Stop every
// instance first, run this, then start them with the new secret.
import { parseArgs } from 'node:util';
import { ready } from '../../../shared/src/crypto/index.ts';
import { rotateSecrets } from '../atrest/service.ts';
import { createDb } from '../db/dialect.ts';
import { parseSecret } from '../secret.ts';
import { serverKeys } from '../server-keys.ts';
import { databaseOf, message, secretFile } from './keys.ts';

function secretArg(file: string | undefined, envText: string | undefined, name: string): Buffer {
  if (file) return secretFile(file);
  if (envText) return parseSecret(envText);
  throw new Error(`give --${name}-file, or ${name.toUpperCase()}_SERVER_SECRET`);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { 'old-file': { type: 'string' }, 'new-file': { type: 'string' } },
    allowPositionals: true,
  });
  await ready();
  const old = serverKeys(secretArg(values['old-file'], process.env.OLD_SERVER_SECRET, 'old'));
  const next = serverKeys(secretArg(values['new-file'], process.env.NEW_SERVER_SECRET, 'new'));
  if (old.box.keyId === next.box.keyId) {
    console.error('secrets rotate: the old and new secrets are the same');
    return 1;
  }
  const handle = createDb(databaseOf(process.env, positionals), { statementTimeoutMs: 0 });
  try {
    const r = await rotateSecrets(handle.db, { box: old.box, signer: old.auditSigner }, { box: next.box, signer: next.auditSigner }, new Date());
    console.log(`secrets rotated: ${r.totpSecrets} TOTP secret${r.totpSecrets === 1 ? '' : 's'} re-sealed; stored audit head ${r.headResigned ? 're-signed' : 'unchanged'}`);
    console.log(`audit public key: was ${old.auditSigner.publicKey}, now ${next.auditSigner.publicKey}`);
    console.log('keep the new public key with your exported heads; check heads exported before today with --public-key <old key>');
    console.log(`receipt public key: was ${old.receipt.key.publicKey} (id ${old.receipt.key.keyId}), now ${next.receipt.key.publicKey} (id ${next.receipt.key.keyId})`);
    console.log('publish the new receipt key, and keep the old one published (RECEIPT_PREVIOUS_KEYS) so receipts issued before today still check');
    return 0;
  } finally {
    await handle.close();
  }
}

process.exitCode = await main().catch((err: unknown) => {
  console.error(`secrets rotate failed: ${message(err)}`);
  return 1;
});
