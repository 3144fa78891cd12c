// DEMO ONLY: npm run demo:open-case -- <caseRef>
// Opens a case in the demo database with the demo recovery key (falling back
// to the routed team's demo officers) and prints what a recipient would read.
import { demoRecoveryKeyPair, demoStaff, demoStaffKeyPair } from '../demo.ts';
import { ready } from '../../shared/src/crypto/index.ts';
import { openCaseAsRecipient } from '../../server/src/case/open-case.ts';
import { createDb } from '../../server/src/db/dialect.ts';

const caseRef = process.argv[2];
if (!caseRef) {
  console.error('usage: npm run demo:open-case -- <caseRef>');
  process.exit(2);
}
await ready();
const handle = createDb(process.env.DATABASE_URL ?? 'data/demo.sqlite');
try {
  const keys = [demoRecoveryKeyPair(), ...demoStaff().map((s) => demoStaffKeyPair(s.username))];
  console.log(JSON.stringify(await openCaseAsRecipient(handle.db, caseRef, keys), null, 2));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
} finally {
  await handle.close();
}
