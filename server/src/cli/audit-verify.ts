// npm run audit:verify — checks the audit log's hash chain on DATABASE_URL
// (default: the demo SQLite file). Exit 1 when the chain is broken.
import { createDb } from '../db/dialect.ts';
import { verifyAudit } from '../audit/log.ts';

// A long log is read in one statement: no request timeout here.
const handle = createDb(process.env.DATABASE_URL ?? process.argv[2] ?? 'data/demo.sqlite', { statementTimeoutMs: 0 });
try {
  const result = await verifyAudit(handle.db);
  if (result.ok) {
    console.log(`audit chain OK (${result.entries} entries)`);
  } else {
    console.log(`audit chain broken at seq ${result.brokenAt}`);
    process.exitCode = 1;
  }
} catch (err) {
  console.error(`audit verify failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
