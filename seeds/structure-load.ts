// `npm run structure:load`: migrates DATABASE_URL and loads the force's
// structure (commands, units, PSU and central teams, categories). The
// production server refuses to start without it. Idempotent.
import { startFailed } from '../server/src/process.ts';
import { createDb } from '../server/src/db/dialect.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { seedStructure } from './load.ts';

const url = process.env.DATABASE_URL ?? process.argv[2];
if (!url) startFailed(new Error('set DATABASE_URL (or pass the SQLite file) to load the structure into'));
const handle = createDb(url);
try {
  await migrate(handle);
  await seedStructure(handle.db);
  console.log('force structure loaded');
} catch (err) {
  console.error(`structure:load failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
