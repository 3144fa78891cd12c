// Intake keeps each team's recipient list between submissions
// (directory/repository.ts cachedTeamRecipients): a deactivated account or a
// revoked certificate must be gone from the very next answer, whether the change
// came through this server's handle or another connection (another instance;
// on PostgreSQL, once its notification has arrived: `changesSeen` waits for it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesSeen } from '../src/db/data-version.ts';
import { createDb, type Db } from '../src/db/dialect.ts';
import { dialects } from './databases.ts';
import { makeApp, type TestApp } from './helpers.ts';

type Recipients = { recipients: { id: string; kind: string }[] };

describe.each(dialects)('recipients kept between submissions on $name', (dialect) => {
  let t: TestApp;
  let other: Db;
  beforeAll(async () => {
    t = await makeApp(dialect);
    other = createDb(t.tdb.url);
    await changesSeen(t.tdb.handle.db);
  }, 60_000);
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  const staffIds = async (): Promise<string[]> => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/intake/recipients?category=bullying&unit=nw-cid' });
    expect(res.statusCode).toBe(200);
    const ids = (res.json() as Recipients).recipients.filter((r) => r.kind === 'staff').map((r) => r.id);
    return (await t.tdb.handle.db.selectFrom('key_certificates').select('staff_id').where('recipient_id', 'in', ids.length ? ids : ['-'])
      .execute()).map((r) => r.staff_id!).sort();
  };

  it('drops an account deactivated through the same handle, then one deactivated by another connection', async () => {
    const before = await staffIds();
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(await staffIds()).toEqual(before);
    await t.tdb.handle.db.updateTable('staff').set({ deactivated_on: '2026-01-15' }).where('id', '=', before[0]!).execute();
    expect(await staffIds()).toEqual(before.slice(1));
    await other.db.updateTable('staff').set({ deactivated_on: '2026-01-15' }).where('id', '=', before[1]!).execute();
    await changesSeen(t.tdb.handle.db);
    expect(await staffIds()).toEqual(before.slice(2));
  });

  it('drops a member whose certificate another connection revoked', async () => {
    const before = await staffIds();
    expect(before.length).toBeGreaterThanOrEqual(1);
    await other.db.updateTable('key_certificates').set({ revoked_on: '2026-01-15' }).where('staff_id', '=', before[0]!).where('kind', '=', 'member').execute();
    await changesSeen(t.tdb.handle.db);
    expect(await staffIds()).toEqual(before.slice(1));
  });
});
