// Staff notifications delivered to a real SMTP server: who gets a mail, when
// (never before the batch slot), that it holds nothing of the case, and that
// each mail arrives once across sender restarts, SMTP outages and two
// senders at once. Every suite runs on SQLite and PostgreSQL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sealMessage, openCaseView } from '../../shared/src/crypto/index.ts';
import { createDb } from '../src/db/dialect.ts';
import { onAssigned } from '../src/notifications/events.ts';
import { claimMails } from '../src/notifications/repository.ts';
import { NotificationSender } from '../src/notifications/sender.ts';
import { outboxBacklog } from '../src/notifications/service.ts';
import { londonDay } from '../src/notifications/schedule.ts';
import { dialects } from './databases.ts';
import { postMessage } from './helpers.ts';
import {
  clearOutbox, forbiddenWords, giveAddresses, mailOf, membersOf, MESSAGE_TEXT, notifyEnv, SIGN_IN_URL, START, type NotifyEnv,
} from './notify-helpers.ts';

const HOUR = 3_600_000;
const SLOT = Date.parse('2026-09-01T10:00:00Z'); // 11:00 London, the first whole hour after START

describe.each(dialects)('staff notifications by email ($name)', (dialect) => {
  let env: NotifyEnv;
  let addressed: string[];
  let silent: string;
  const db = () => env.t.tdb.handle.db;

  beforeAll(async () => {
    env = await notifyEnv(dialect);
    const members = await membersOf(env.t, env.team);
    expect(members.length).toBeGreaterThanOrEqual(3);
    // Every member but one has an address; a member of another team has one too (and must hear nothing).
    silent = members[0]!;
    await db().updateTable('staff').set({ state: 'active' }).where('id', '=', silent).execute();
    addressed = await giveAddresses(env.t, members.slice(1));
    await giveAddresses(env.t, ['dps-central-1']);
  });
  afterAll(async () => env?.close());
  beforeEach(async () => {
    await clearOutbox(env);
    env.clock.ms = START;
  });

  it('batches a new case to the routed team: nothing before the slot, one mail per member with an address, nobody else', async () => {
    await env.submit();
    await env.submit();
    // The outbox keeps the slot, never the moment: every row is due exactly at the next whole hour.
    const events = await db().selectFrom('notification_events').selectAll().execute();
    expect(events.map((e) => e.staff_id).sort()).toEqual([...addressed, ...addressed].sort());
    for (const e of events) {
      expect(Object.keys(e).sort()).toEqual(['channel', 'id', 'kind', 'n', 'send_at_ms', 'staff_id']);
      expect(Number(e.send_at_ms)).toBe(SLOT);
      expect(e.kind).toBe('new_case');
    }
    const sender = env.sender();
    expect((await sender.tick()).sent).toBe(0);
    env.clock.ms = SLOT - 1;
    expect((await sender.tick()).sent).toBe(0);
    expect(env.smtp.received).toEqual([]);

    env.clock.ms = SLOT;
    const r = await sender.tick();
    expect(r.sent).toBe(addressed.length);
    expect(env.smtp.received.map((m) => m.to[0]).sort()).toEqual(addressed.map(mailOf).sort());
    expect(env.smtp.to(mailOf(silent))).toEqual([]);
    expect(env.smtp.to(mailOf('dps-central-1'))).toEqual([]);
    for (const m of env.smtp.received) {
      expect(m.to).toHaveLength(1);
      expect(m.from).toBe('rc@force.example');
      expect(m.subject).toBe('Raising concerns: new work in your inbox');
      expect(m.body).toContain("- New cases in your team's inbox: 2\n");
      expect(m.body).toContain(SIGN_IN_URL);
    }
    // Once sent, the mail row is only the marker that stops a resend: no counts, and no time
    // finer than the day (noon UTC of the London date), so it cannot place the reports in their day.
    const mails = await db().selectFrom('notification_mail').select(['slot_ms', 'next_try_ms', 'counts', 'state']).execute();
    expect(mails).toHaveLength(addressed.length);
    for (const m of mails) {
      expect(m.state).toBe('sent');
      expect(m.counts).toBe('{}');
      expect(new Date(Number(m.slot_ms)).toISOString()).toBe(`${londonDay(SLOT)}T12:00:00.000Z`);
      expect(Number(m.next_try_ms)).toBe(Number(m.slot_ms));
    }
    expect((await sender.tick()).sent).toBe(0);
    expect(env.smtp.received).toHaveLength(addressed.length);
  });

  it('tells whoever can open a case that its reporter wrote, at the next slot, and no mail holds anything of the case', async () => {
    const { session } = await env.submit();
    env.clock.ms = SLOT;
    await env.sender().tick();
    env.smtp.received.length = 0;

    env.clock.ms = SLOT + 25 * 60_000; // 11:25: the message goes out at 12:00
    const view = (await env.t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: session.authorization } })).json();
    const msg = sealMessage(openCaseView(session, view).caseKey, session.keyPair.publicKey, 'reporter', MESSAGE_TEXT);
    const post = await postMessage(env.t.app, session.authorization, msg);
    expect(post.statusCode).toBe(201);
    const sender = env.sender();
    expect((await sender.tick()).sent).toBe(0);
    env.clock.ms = SLOT + HOUR;
    await sender.tick();
    expect(env.smtp.received.map((m) => m.to[0]).sort()).toEqual(addressed.map(mailOf).sort());
    for (const m of env.smtp.received) expect(m.body).toContain('- New messages from reporters: 1\n');

    const words = await forbiddenWords(env.t);
    expect(words.length).toBeGreaterThan(10);
    for (const m of env.smtp.received) {
      for (const w of words) expect(m.raw.toLowerCase(), w).not.toContain(w.toLowerCase());
    }
  });

  it('sends an assignment at once (staff-caused), not to the one who assigned, and holds it outside the sending window', async () => {
    const [target, actor] = addressed as [string, string];
    await db().transaction().execute(async (tx) => {
      await onAssigned(tx, target, actor, env.clock.ms);
      await onAssigned(tx, actor, actor, env.clock.ms);
    });
    await env.sender().tick();
    expect(env.smtp.received.map((m) => m.to[0])).toEqual([mailOf(target)]);
    expect(env.smtp.received[0]!.body).toContain('- Cases assigned to you: 1\n');

    env.clock.ms = Date.parse('2026-09-01T21:00:00Z'); // 22:00 London: the default window is 07:00–19:00
    await db().transaction().execute((tx) => onAssigned(tx, target, actor, env.clock.ms));
    env.smtp.received.length = 0;
    const sender = env.sender();
    await sender.tick();
    expect(env.smtp.received).toEqual([]);
    env.clock.ms = Date.parse('2026-09-02T06:00:00Z'); // 07:00 London
    await sender.tick();
    expect(env.smtp.received.map((m) => m.to[0])).toEqual([mailOf(target)]);
  });

  it('keeps mail waiting while the SMTP server is down, keeps taking reports, and delivers each mail once when it is back', async () => {
    await env.submit();
    await env.smtp.stop();
    env.clock.ms = SLOT;
    const sender = env.sender();
    const down = await sender.tick();
    expect(down.sent).toBe(0);
    expect(down.retrying).toBe(addressed.length);
    expect(await outboxBacklog(db(), SLOT)).toBe(0); // each waits for its retry time…
    expect(await outboxBacklog(db(), SLOT + 60_000)).toBe(addressed.length); // …then counts as due

    // The portal keeps working: a report made while mail is down is taken (and batched for 12:00).
    env.clock.ms = SLOT + 5 * 60_000;
    await env.submit();
    env.clock.ms = SLOT + 2 * 60_000 + 60_000;
    expect((await sender.tick()).sent).toBe(0); // still down: back-off doubled
    await env.smtp.start();
    env.clock.ms = SLOT + 10 * 60_000;
    expect((await sender.tick()).sent).toBe(addressed.length);
    env.clock.ms = SLOT + HOUR;
    expect((await sender.tick()).sent).toBe(addressed.length);
    await sender.tick();
    expect(env.smtp.received).toHaveLength(2 * addressed.length);
    for (const a of addressed) {
      const mine = env.smtp.to(mailOf(a));
      expect(mine).toHaveLength(2);
      expect(new Set(mine.map((m) => m.messageId)).size).toBe(2);
    }
    expect(await outboxBacklog(db(), env.clock.ms + HOUR)).toBe(0);
  });

  it('sends nothing twice after a restart, and takes over a crashed sender\'s claims only when its lease runs out', async () => {
    await env.submit();
    env.clock.ms = SLOT;
    const first = env.sender();
    expect((await first.tick()).sent).toBe(addressed.length);
    await first.stop();
    expect((await env.sender().tick()).sent).toBe(0);

    // A sender that claimed the next batch and died before sending: its lease (2 min) holds the mails.
    env.clock.ms = SLOT + 5 * 60_000;
    await env.submit();
    env.clock.ms = SLOT + HOUR;
    const again = env.sender();
    await again.tick(); // composes and delivers the 12:00 batch: take those claims back first
    expect(env.smtp.received).toHaveLength(2 * addressed.length);
    env.smtp.received.length = 0;
    await env.submit();
    env.clock.ms = SLOT + 2 * HOUR;
    const { compose } = await import('../src/notifications/outbox.ts');
    await compose(db(), dialect.name === 'postgres', env.clock.ms);
    const stolen = await claimMails(db(), { token: 'crashed', now: env.clock.ms, until: env.clock.ms + 120_000, limit: 100, postgres: dialect.name === 'postgres' });
    expect(stolen).toHaveLength(addressed.length);
    const restarted = env.sender();
    expect((await restarted.tick()).sent).toBe(0);
    env.clock.ms += 120_000;
    expect((await restarted.tick()).sent).toBe(addressed.length);
    expect((await restarted.tick()).sent).toBe(0);
    expect(env.smtp.received).toHaveLength(addressed.length);
  });

  it('two senders at once deliver each mail exactly once', async () => {
    const everyone = (await db().selectFrom('staff').select('id').where('role', 'in', ['triage', 'lead']).execute()).map((r) => r.id);
    await giveAddresses(env.t, everyone);
    try {
      await db().transaction().execute((tx) => Promise.all(everyone.map((id) => onAssigned(tx, id, 'nobody', env.clock.ms))).then(() => undefined));
      // PostgreSQL: two pools, as two instances would have. SQLite: two senders on the one connection
      // (two processes on one file take SQLite's own write lock instead).
      const second = dialect.name === 'postgres' ? createDb(env.t.tdb.url) : null;
      try {
        const a = env.sender({ batchLimit: 3 });
        const b = new NotificationSender(second?.db ?? db(), { transport: env.smtp.transport(), from: 'rc@force.example', signInUrl: SIGN_IN_URL, now: env.clock.now, batchLimit: 3 });
        for (let i = 0; i < 20 && env.smtp.received.length < everyone.length; i++) await Promise.all([a.tick(), b.tick()]);
      } finally {
        await second?.close();
      }
      expect(everyone.length).toBeGreaterThan(10);
      expect(env.smtp.received.map((m) => m.to[0]).sort()).toEqual(everyone.map(mailOf).sort());
    } finally {
      await db().updateTable('staff').set({ email: null }).where('id', 'not in', [...addressed, 'dps-central-1']).execute();
    }
  });
});
