// npm run receipt:key [-- --json] [database]
// Prints the receipt public key and its key id, for the force to publish where
// reporters and staff can find it without this server (the intranet, a notice).
// The key is derived from the server secret (SERVER_SECRET / SERVER_SECRET_FILE;
// the demo's key file for the demo database), so nothing is read from the database.
import { parseArgs } from 'node:util';
import { ready } from '../../../shared/src/crypto/index.ts';
import { serverKeys } from '../server-keys.ts';
import { databaseOf, message, secretOf } from './keys.ts';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { json: { type: 'boolean' } }, allowPositionals: true });
  await ready();
  const secret = secretOf(process.env, databaseOf(process.env, positionals));
  if (!secret) {
    console.error('receipt key: SERVER_SECRET or SERVER_SECRET_FILE is required (the receipt key is derived from it)');
    return 1;
  }
  const { keyId, publicKey } = serverKeys(secret).receipt.key;
  if (values.json) {
    process.stdout.write(JSON.stringify({ keyId, publicKey }, null, 2) + '\n');
  } else {
    console.log(`receipt key id:     ${keyId}`);
    console.log(`receipt public key: ${publicKey}`);
    console.log('Publish both (the intranet, a notice): anyone can then check a receipt without asking this server.');
  }
  return 0;
}

process.exitCode = await main().catch((err: unknown) => {
  console.error(`receipt key failed: ${message(err)}`);
  return 1;
});
