// Prepares a production database for the app: migrate, install the
// organisation's recovery key, and check that the force's structure has been
// loaded. Demo data never comes from here: seeds/ has its own entry point.
import { fromB64u, isB64u, isUsablePublicKey, ready } from '../../shared/src/crypto/index.ts';
import type { Db } from './db/dialect.ts';
import { migrate } from './db/migrate.ts';
import { setRecoveryKey } from './directory/repository.ts';
import { getCentralTeam } from './intake/repository.ts';

export interface PrepareOptions {
  /** Base64url X25519 public key of the organisation's offline recovery key. */
  recoveryPublicKey?: string | undefined;
}

export async function prepareDatabase(handle: Db, opts: PrepareOptions): Promise<void> {
  await ready();
  if (opts.recoveryPublicKey === undefined || !isB64u(opts.recoveryPublicKey, 32)) {
    // Without it a case could be lost for good when a team forgets its passphrases.
    throw new Error('RECOVERY_PUBLIC_KEY (base64url, 32 bytes) is required outside demo mode');
  }
  // Every case is wrapped to it: a small-order key would let anyone open those wraps.
  if (!isUsablePublicKey(fromB64u(opts.recoveryPublicKey))) throw new Error('RECOVERY_PUBLIC_KEY is not a usable X25519 key (all zero or small order)');
  await migrate(handle);
  await setRecoveryKey(handle.db, opts.recoveryPublicKey);
  if ((await getCentralTeam(handle.db)) === null) {
    throw new Error('no force structure in the database: load it first with `npm run structure:load`');
  }
}
