// npm run reshuffle — runs today's reshuffle (retention/reshuffle.ts) once on DATABASE_URL (default
// the demo's file, or the first argument), for cron or by hand. Safe while servers run their own
// timer: the run marker and (PostgreSQL) the advisory lock let one run per day do the work. No
// statement timeout here, unlike a server's pool: use this for the first run on a large database.
import { ready } from '../../../shared/src/crypto/index.ts';
import { todayInLondon } from '../../../shared/src/domain/clock.ts';
import { createDb } from '../db/dialect.ts';
import { reshuffle } from '../retention/reshuffle.ts';
import { serverKeys } from '../server-keys.ts';
import { databaseOf, secretOf } from './keys.ts';

const database = databaseOf(process.env, process.argv.slice(2));
// The run's audit entry re-signs the audit head, with the key derived from the server secret.
const secret = secretOf(process.env, database);
if (!secret) {
  console.error('reshuffle: set SERVER_SECRET or SERVER_SECRET_FILE (the audit head is signed with it)');
  process.exit(2);
}
await ready(); // the audit head's signing key
const handle = createDb(database, { statementTimeoutMs: 0 });
try {
  const r = await reshuffle({ db: handle.db, today: () => todayInLondon(), now: () => Date.now(), serverKeys: serverKeys(secret) });
  if (!r.ran) console.log(r.reason === 'done' ? `reshuffle: ${r.day} is done already` : 'reshuffle: another instance is running it');
  else console.log(`reshuffle: ${r.day} done, ${r.rows} ${handle.kind === 'postgres' ? 'row(s) rewritten' : 'page(s) rebuilt'}${r.vacuumed ? '' : ' (vacuum incomplete: retried tomorrow)'}`);
} catch (err) {
  // The code only: a database error's message can quote a key.
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  console.error(`reshuffle failed (${typeof code === 'string' ? code : 'error'})`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
