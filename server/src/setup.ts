// Prepares a database for the app: migrate, load the force's structure, then
// either the demo data or the organisation's real recovery key.
import { demoStaffKeyPair, seedDemoCases, seedDemoKeys, seedDemoStaff, type DemoAccount } from '../../seeds/demo.ts';
import { seedStructure } from '../../seeds/load.ts';
import { isB64u, ready } from '../../shared/src/crypto/index.ts';
import { todayInLondon } from './db/days.ts';
import type { Db } from './db/dialect.ts';
import { migrate } from './db/migrate.ts';
import { setRecoveryKey } from './staff/repository.ts';

export interface PrepareOptions {
  demo: boolean;
  /** Base64url X25519 public key; required outside demo mode. */
  recoveryPublicKey?: string | undefined;
  today?: string;
  /** Demo accounts to pre-enrol for sign-in (Argon2id, ~0.8 s each); default: all of them. */
  demoSignIn?: string[];
}

export interface Prepared {
  /** Demo case tokens, formatted for display (demo mode only). */
  demoTokens: string[];
  /** Demo staff sign-in details, printed at startup (demo mode only). */
  demoAccounts: DemoAccount[];
}

export async function prepareDatabase(handle: Db, opts: PrepareOptions): Promise<Prepared> {
  await ready();
  const today = opts.today ?? todayInLondon();
  if (!opts.demo && (opts.recoveryPublicKey === undefined || !isB64u(opts.recoveryPublicKey, 32))) {
    // Without it a case could be lost for good when a team forgets its passphrases.
    throw new Error('RECOVERY_PUBLIC_KEY (base64url, 32 bytes) is required outside demo mode');
  }
  await migrate(handle);
  await seedStructure(handle.db);
  if (opts.demo) {
    await seedDemoKeys(handle.db, today);
    const demoAccounts = await seedDemoStaff(handle.db, today, demoStaffKeyPair, opts.demoSignIn);
    return { demoTokens: await seedDemoCases(handle.db, today), demoAccounts };
  }
  await setRecoveryKey(handle.db, opts.recoveryPublicKey as string);
  return { demoTokens: [], demoAccounts: [] };
}
