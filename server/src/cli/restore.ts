// npm run restore -- <backup file> [--force] — restores into DATABASE_URL
// (default data/portal.sqlite). Stop the server first. Refuses a database that
// already has tables unless --force; verifies the restored audit chain.
import { restore } from '../backup/service.ts';

const url = process.env.DATABASE_URL ?? 'data/portal.sqlite';
const args = process.argv.slice(2);
const from = args.find((a) => !a.startsWith('--'));
if (!from) {
  console.error('usage: npm run restore -- <backup file> [--force]');
  process.exit(2);
}
try {
  const audit = await restore(from, url, { force: args.includes('--force') });
  if (audit.ok) {
    console.log(`restored ${from}; audit chain OK (${audit.entries} entries)`);
  } else {
    console.error(`restored ${from}, but its audit chain is broken at seq ${audit.brokenAt}`);
    process.exitCode = 1;
  }
} catch (err) {
  console.error(`restore failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
