// Two real server processes (server.ts, as production runs it) on one
// throwaway PostgreSQL database, both sending to one SMTP server: every
// mail arrives exactly once, whether its events were queued before both
// started (their first passes race) or while both were running.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready, toB64u } from '../../shared/src/crypto/index.ts';
import { demoRecoveryKeyPair } from '../../seeds/demo.ts';
import { prepareDemoDatabase } from '../../seeds/prepare.ts';
import { onAssigned } from '../src/notifications/events.ts';
import { setOrgSettings } from '../src/notifications/service.ts';
import { londonDay } from '../src/notifications/schedule.ts';
import { markRun } from '../src/notifications/repository.ts';
import { addDays } from '../../shared/src/domain/clock.ts';
import { dialects, postgres, type TestDb } from './databases.ts';
import { mailOf } from './notify-helpers.ts';
import { TestSmtp } from './smtp.ts';
import { spawnServer, type Spawned } from './support/spawn.ts';

const hasPg = dialects.some((d) => d.name === 'postgres');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.runIf(hasPg)('two server processes sending staff notifications', () => {
  let tdb: TestDb;
  let smtp: TestSmtp;
  let a: Spawned;
  let b: Spawned;
  let everyone: string[];
  const db = () => tdb.handle.db;

  /** One immediate "assigned" notice for each of `ids`, as the staff API queues it. */
  const assign = (ids: string[]): Promise<void> =>
    db().transaction().execute(async (tx) => { for (const id of ids) await onAssigned(tx, id, 'nobody', Date.now()); });

  /** Waits (bounded) until `n` mails arrived and the outbox holds nothing pending, then a few more passes of both senders. */
  async function settled(n: number): Promise<void> {
    for (let i = 0; i < 300; i++) {
      const pending = await db().selectFrom('notification_mail').select('id').where('state', '=', 'pending').execute();
      const events = await db().selectFrom('notification_events').select('id').execute();
      if (smtp.received.length >= n && pending.length === 0 && events.length === 0) break;
      await sleep(100);
    }
    await sleep(3_500); // several more 1-second passes of both senders: a duplicate would arrive now
  }

  beforeAll(async () => {
    await ready();
    smtp = new TestSmtp();
    await smtp.start();
    tdb = await postgres.create();
    await prepareDemoDatabase(tdb.handle);
    everyone = (await db().selectFrom('staff').select('id').where('role', 'in', ['triage', 'lead']).orderBy('id').execute()).map((r) => r.id);
    for (const id of everyone) await db().updateTable('staff').set({ email: mailOf(id), state: 'active' }).where('id', '=', id).execute();
    // All day, so the test does not depend on the hour it runs at.
    await db().transaction().execute((tx) => setOrgSettings(tx, { windowStart: 0, windowEnd: 24, batchMinutes: 60, offForAll: [] }));
    // The scheduled summaries (daily; the leads' weekly one on Mondays) count as done, so on a Monday the leads'
    // summary does not join the mails this test counts (it failed every Monday before).
    const today = londonDay(Date.now());
    for (const day of [today, addDays(today, 1)]) {
      for (const job of ['daily', 'weekly']) await markRun(db(), job, day);
    }
    // Queued before either process starts: both first passes find the same due work.
    await assign(everyone);
    const env = {
      DATABASE_URL: tdb.url, RECOVERY_PUBLIC_KEY: toB64u(demoRecoveryKeyPair().publicKey),
      SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_TLS: 'none', MAIL_FROM: 'rc@force.example',
      PORTAL_URL: 'https://portal.example', NOTIFY_INTERVAL_SECONDS: '1',
    };
    [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await smtp?.stop();
    await tdb?.cleanup();
  });

  it('delivers each mail queued before both started exactly once', async () => {
    expect(everyone.length).toBeGreaterThan(10);
    await settled(everyone.length);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(everyone.map(mailOf).sort());
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(everyone.length);
    const states = await db().selectFrom('notification_mail').select(['state', 'attempts']).execute();
    expect(states).toHaveLength(everyone.length);
    expect(states.every((s) => s.state === 'sent' && s.attempts === 1)).toBe(true);
  }, 60_000);

  it('delivers each mail queued while both run exactly once, in waves', async () => {
    smtp.received.length = 0;
    for (let wave = 0; wave < 3; wave++) {
      await assign(everyone);
      await sleep(300);
    }
    await settled(everyone.length);
    // Waves may compose into one mail per person or several; each composed mail arrives once.
    const mails = await db().selectFrom('notification_mail').select(['id', 'state', 'staff_id']).where('state', '!=', 'sent').execute();
    expect(mails).toEqual([]);
    const all = await db().selectFrom('notification_mail').select('id').execute();
    expect(smtp.received).toHaveLength(all.length - everyone.length);
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(smtp.received.length);
    const counts = new Map<string, number>();
    for (const m of smtp.received) {
      const n = Number(/Cases assigned to you: (\d+)/.exec(m.body)?.[1] ?? 0);
      counts.set(m.to[0]!, (counts.get(m.to[0]!) ?? 0) + n);
    }
    // Every notice counted once across everyone's mails: three waves, three assignments each.
    expect([...counts.entries()].sort()).toEqual(everyone.map((id) => [mailOf(id), 3]).sort());
    expect(a.alive() && b.alive()).toBe(true);
  }, 60_000);
});
