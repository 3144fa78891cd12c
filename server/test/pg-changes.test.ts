// The PostgreSQL change feed (db/pg-changes.ts, db/change-triggers.ts) behind
// every result kept between requests: every table notifies; this instance's own
// commits count at once and only once committed; another connection's count
// once delivered; and while the feed cannot be trusted (its connection ended by
// pg_terminate_backend, or silently cut) no token is given, so nothing is reused.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGE_TRIGGER, installChangeTriggers, tablesWithoutChangeTrigger } from '../src/db/change-triggers.ts';
import { changesSeen, changeToken } from '../src/db/data-version.ts';
import { createDb, type Db } from '../src/db/dialect.ts';
import { migrate } from '../src/db/migrate.ts';
import { FEED_APPLICATION_NAME, HEARTBEAT_LIMIT } from '../src/db/pg-changes.ts';
import { dialects, type TestDb } from './databases.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';

const pgDialect = dialects.find((d) => d.name === 'postgres');
const until = async (what: string, ok: () => Promise<boolean>, ms = 8000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe.runIf(pgDialect)('PostgreSQL change feed', () => {
  let tdb: TestDb;
  let other: Db;
  beforeAll(async () => {
    tdb = await pgDialect!.create();
    await migrate(tdb.handle);
    other = createDb(tdb.url);
    await changesSeen(tdb.handle.db);
  }, 60_000);
  afterAll(async () => {
    await other?.close();
    await tdb?.cleanup();
  });

  it('has the trigger on every table after migrating, and gives one to a table created later', async () => {
    const db = tdb.handle.db;
    expect(await tablesWithoutChangeTrigger(db)).toEqual([]);
    await sql`CREATE TABLE later_feature (id integer PRIMARY KEY)`.execute(db);
    expect(await tablesWithoutChangeTrigger(db)).toEqual(['later_feature']);
    await installChangeTriggers(db);
    expect(await tablesWithoutChangeTrigger(db)).toEqual([]);
    const before = await changeToken(db, ['later_feature']);
    await sql`INSERT INTO later_feature VALUES (1)`.execute(other.db);
    await changesSeen(db);
    expect(await changeToken(db, ['later_feature'])).not.toBe(before);
  });

  it('leaves the quiet tables (pow_spent, staff_session_seen) without the trigger, drops one an older release installed, and never gives a token over them', async () => {
    const db = tdb.handle.db;
    const hasTrigger = async (table = 'pow_spent') => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = ${CHANGE_TRIGGER} AND tgrelid = ${table}::regclass`.execute(db)).rows[0]!.n;
    expect(await hasTrigger()).toBe(0);
    expect(await hasTrigger('staff_session_seen')).toBe(0);
    expect(await changeToken(db, ['staff_session_seen'])).toBeNull();
    await sql`CREATE TRIGGER ${sql.id(CHANGE_TRIGGER)} AFTER INSERT ON pow_spent FOR EACH STATEMENT EXECUTE FUNCTION rc_notify_change()`.execute(db);
    await installChangeTriggers(db);
    expect(await hasTrigger()).toBe(0);
    expect(await changeToken(db, ['pow_spent'])).toBeNull();
    expect(await changeToken(db, ['cases', 'pow_spent'])).toBeNull();
    expect(await changeToken(db, ['cases'])).not.toBeNull();
  });

  it('moves a table\'s token for another connection\'s commit, and leaves the other tables\' alone', async () => {
    const db = tdb.handle.db;
    const cases = await changeToken(db, ['cases']);
    const teams = await changeToken(db, ['teams']);
    expect(cases).not.toBeNull();
    await other.db.updateTable('teams').set({ label: 'Renamed' }).where('id', '=', 'nobody').execute();
    await changesSeen(db);
    expect(await changeToken(db, ['cases'])).toBe(cases);
    expect(await changeToken(db, ['teams'])).not.toBe(teams);
  });

  it('counts its own write only once committed, and at once when COMMIT returns', async () => {
    const db = tdb.handle.db;
    const before = await changeToken(db, ['settings']);
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('settings').values({ key: 'feed-test', value: '1' }).execute();
      // A reader now would still see the old rows: the token must not have moved yet, or what it
      // read would be kept under the new token and outlive the commit.
      expect(await changeToken(db, ['settings'])).toBe(before);
    });
    // No wait for the notification: the commit itself moved it.
    expect(await changeToken(db, ['settings'])).not.toBe(before);
    // The commit's own notification moves it once more on arrival; wait for it before comparing.
    await changesSeen(db);
    const afterCommit = await changeToken(db, ['settings']);
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('settings').values({ key: 'feed-test-2', value: '1' }).execute();
      throw new Error('roll back');
    }).catch(() => undefined);
    expect(await changeToken(db, ['settings'])).toBe(afterCommit);
  });

  it('gives no token while its connection is ended, and a new one once it has listened again', async () => {
    const db = tdb.handle.db;
    const before = await changeToken(db, ['cases']);
    expect(before).not.toBeNull();
    const ended = await other.db.executeQuery<{ n: number }>(sql`
      SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = ${FEED_APPLICATION_NAME}`.compile(other.db));
    expect(ended.rows[0]!.n).toBe(1);
    await until('the feed to notice', async () => (await changeToken(db, ['cases'])) === null);
    await until('the feed to reconnect', async () => (await changeToken(db, ['cases'])) !== null);
    // Notifications sent while nobody listened are lost: everything kept before is recomputed.
    expect(await changeToken(db, ['cases'])).not.toBe(before);
  });
});

describe.runIf(pgDialect)('PostgreSQL change feed cut off silently', () => {
  it('stops giving tokens within the heartbeat limit when no byte passes, and resumes after', async () => {
    const tdb = await pgDialect!.create();
    const u = new URL(tdb.url);
    const proxy = await startTcpProxy(u.hostname, Number(u.port || 5432));
    const handle = createDb(proxy.url(tdb.url));
    try {
      await migrate(tdb.handle);
      await changesSeen(handle.db);
      expect(await changeToken(handle.db, ['cases'])).not.toBeNull();
      await proxy.cut('hang');
      // Noticed through the heartbeat, not TCP's own timeouts (minutes).
      await until('the token to stop', async () => (await changeToken(handle.db, ['cases'])) === null, HEARTBEAT_LIMIT * 3);
      await proxy.restore();
      await until('the feed to reconnect', async () => (await changeToken(handle.db, ['cases'])) !== null, 15_000);
    } finally {
      await handle.close();
      await proxy.close();
      await tdb.cleanup();
    }
  }, 30_000);
});
