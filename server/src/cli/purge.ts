// npm run purge — runs the retention purge once on DATABASE_URL (default
// the demo's file, or the first argument), for cron. Safe while servers run their own timer.
import { ready } from '../../../shared/src/crypto/index.ts';
import { todayInLondon } from '../../../shared/src/domain/clock.ts';
import { createDb } from '../db/dialect.ts';
import { purgeExpired } from '../retention/service.ts';
import { serverKeys } from '../server-keys.ts';
import { databaseOf, secretOf } from './keys.ts';

const database = databaseOf(process.env, process.argv.slice(2));
// The purge's audit entry re-signs the audit head, with the key derived from the server secret.
const secret = secretOf(process.env, database);
if (!secret) {
  console.error('purge: set SERVER_SECRET or SERVER_SECRET_FILE (the audit head is signed with it)');
  process.exit(2);
}
await ready(); // libsodium: the audit head is re-signed with it
const handle = createDb(database);
try {
  const r = await purgeExpired({ db: handle.db, today: () => todayInLondon(), now: () => Date.now(), serverKeys: serverKeys(secret) });
  const counts = `${r.purged} case(s), ${r.advice} advice request(s), ${r.records} private record(s)`;
  console.log(r.skipped ? `another instance is purging; purged here: ${counts}` : `retention purge: ${counts} purged`);
} catch (err) {
  console.error(`purge failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
