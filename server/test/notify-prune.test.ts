// The sender's daily run removes settled mail rows (sent, dropped, failed)
// older than MAIL_KEEP_MS, once a day after the digest hour, and never a
// pending mail or a recent settled one (the marker that stops a resend).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAIL_KEEP_MS } from '../src/notifications/outbox.ts';
import { insertMails } from '../src/notifications/repository.ts';
import { dialects } from './databases.ts';
import { clearOutbox, notifyEnv, START, type NotifyEnv } from './notify-helpers.ts';

const DAY = 24 * 3_600_000;
const EARLY = Date.parse('2026-09-01T04:00:00Z'); // 05:00 London: before the default 07:00 digest hour

describe.each(dialects)('pruning settled mail rows ($name)', (dialect) => {
  let env: NotifyEnv;
  const db = () => env.t.tdb.handle.db;
  beforeAll(async () => { env = await notifyEnv(dialect); });
  afterAll(async () => env?.close());
  beforeEach(async () => {
    await clearOutbox(env);
    await db().deleteFrom('notification_runs').execute();
  });

  /** A mail row; a pending one is not due until long after the test's days, so it only waits. */
  async function mail(id: string, state: 'sent' | 'dropped' | 'failed' | 'pending', slot: number): Promise<void> {
    await insertMails(db(), [{ id, staff_id: 'nw-bcu-psu-1', channel: 'work', slot_ms: slot, counts: '{"assigned":1}', next_try_ms: START + 10 * DAY }]);
    await db().updateTable('notification_mail').set({ state }).where('id', '=', id).execute();
  }
  const ids = async () => (await db().selectFrom('notification_mail').select('id').orderBy('id').execute()).map((r) => r.id);

  it('removes old sent, dropped and failed rows at the daily run, keeping pending and recent ones', async () => {
    const old = START - MAIL_KEEP_MS - 1;
    await mail('old-sent', 'sent', old);
    await mail('old-dropped', 'dropped', old);
    await mail('old-failed', 'failed', old);
    await mail('old-pending', 'pending', old);
    await mail('kept-sent', 'sent', START - MAIL_KEEP_MS + DAY);
    const all = ['kept-sent', 'old-dropped', 'old-failed', 'old-pending', 'old-sent'];
    expect(await ids()).toEqual(all);

    // Before the digest hour the daily run has not come: nothing is removed.
    env.clock.ms = EARLY;
    await env.sender().tick();
    expect(await ids()).toEqual(all);

    env.clock.ms = START;
    await env.sender().tick();
    expect(await ids()).toEqual(['kept-sent', 'old-pending']);
    const runs = await db().selectFrom('notification_runs').select(['job', 'day']).execute();
    expect(runs).toContainEqual({ job: 'daily', day: '2026-09-01' });

    // Once a day: a row that grows old later the same day waits for tomorrow's run.
    await mail('later', 'sent', old);
    await env.sender().tick();
    expect(await ids()).toContain('later');
    env.clock.ms = START + DAY;
    await env.sender().tick();
    expect(await ids()).toEqual(['kept-sent', 'old-pending']);
  });
});
