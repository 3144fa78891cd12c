// npm run backup [-- <output file>] — a consistent backup of DATABASE_URL
// (default data/portal.sqlite) while the server runs. Default output:
// backups/portal-<UTC time>.sqlite or .pgdump.
import { backup, BackupError } from '../backup/service.ts';
import { sqlitePath } from '../db/dialect.ts';

const url = process.env.DATABASE_URL ?? 'data/portal.sqlite';
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const out = process.argv[2] ?? `backups/portal-${stamp}.${sqlitePath(url) === null ? 'pgdump' : 'sqlite'}`;
try {
  await backup(url, out);
  console.log(`backup written to ${out}`);
} catch (err) {
  console.error(`backup failed: ${err instanceof BackupError || err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
