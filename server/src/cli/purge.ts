// npm run purge — runs the retention purge once on DATABASE_URL (default
// data/portal.sqlite), for cron. Safe while servers run their own timer.
import { todayInLondon } from '../../../shared/src/domain/clock.ts';
import { createDb } from '../db/dialect.ts';
import { purgeExpired } from '../retention/service.ts';

const handle = createDb(process.env.DATABASE_URL ?? 'data/portal.sqlite');
try {
  const r = await purgeExpired({ db: handle.db, today: () => todayInLondon(), now: () => Date.now() });
  console.log(r.skipped ? `another instance is purging; ${r.purged} purged here` : `retention purge: ${r.purged} case(s) purged`);
} catch (err) {
  console.error(`purge failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
