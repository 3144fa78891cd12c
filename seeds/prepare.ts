// Prepares a database for the demo (or a test): migrate, load the force's
// structure, then the DEMO ONLY keys, staff and cases, all through the
// server's own repositories. The server never imports this.
import { ready } from '../shared/src/crypto/index.ts';
import { addDays, todayInLondon } from '../shared/src/domain/clock.ts';
import type { Db } from '../server/src/db/dialect.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { demoRecoveryKeyPair, demoStaffKeyPair, seedDemoCases, seedDemoKeys, seedDemoStaff, type DemoAccount } from './demo.ts';
import { certifyDemoKeys } from './keys.ts';
import { seedStructure } from './load.ts';
import { seedSupportContacts } from './support.ts';

export interface DemoOptions {
  today?: string;
  /** Demo accounts to pre-enrol for sign-in (Argon2id, ~0.8 s each); default: all of them. */
  demoSignIn?: string[];
}

export interface DemoPrepared {
  /** Demo case tokens, formatted for display. */
  demoTokens: string[];
  /** Demo staff sign-in details, printed at startup. */
  demoAccounts: DemoAccount[];
}

export async function prepareDemoDatabase(handle: Db, opts: DemoOptions = {}): Promise<DemoPrepared> {
  await ready();
  const today = opts.today ?? todayInLondon();
  await migrate(handle);
  await seedStructure(handle.db);
  await seedSupportContacts(handle.db);
  await seedDemoKeys(handle.db, today);
  const demoAccounts = await seedDemoStaff(handle.db, today, demoStaffKeyPair, opts.demoSignIn);
  // Dated a month back: the demo's keys were set up before, so inboxes show only changes made since.
  await certifyDemoKeys(handle.db, addDays(today, -30), demoStaffKeyPair, demoRecoveryKeyPair());
  return { demoTokens: await seedDemoCases(handle.db, today), demoAccounts };
}
