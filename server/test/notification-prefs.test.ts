// Notification preferences, digests, the clock notices, the leads' weekly
// summary and the administrator's settings, on both dialects, checked on what
// a real SMTP server receives.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onReporterMessage } from '../src/notifications/events.ts';
import { outboxBacklog } from '../src/notifications/service.ts';
import { dialects } from './databases.ts';
import { clearOutbox, giveAddresses, mailOf, membersOf, notifyEnv, START, type NotifyEnv } from './notify-helpers.ts';
import { call, signIn, type Session } from './staff-helpers.ts';

const SLOT = Date.parse('2026-09-01T10:00:00Z');
const at = (iso: string): number => Date.parse(iso);

describe.each(dialects)('notification preferences, digests and settings ($name)', (dialect) => {
  let env: NotifyEnv;
  let officer: Session;
  let admin: Session;
  let members: string[];
  const db = () => env.t.tdb.handle.db;

  beforeAll(async () => {
    env = await notifyEnv(dialect, ['nw-bcu-psu-1', 'nw-bcu-psu-lead', 'admin-demo']);
    members = await giveAddresses(env.t, await membersOf(env.t, env.team));
    expect(members).toContain('nw-bcu-psu-1');
    officer = await signIn(env.t.app, env.clock, 'nw-bcu-psu-1');
    admin = await signIn(env.t.app, env.clock, 'admin-demo');
  });
  afterAll(async () => env?.close());
  beforeEach(async () => {
    await clearOutbox(env);
    await db().deleteFrom('settings').where('key', 'like', 'notifications.%').execute();
    await db().deleteFrom('notification_runs').execute();
    env.clock.ms = START;
  });

  it('shows sensible defaults, refuses "immediately" for reporter-caused kinds, and follows each choice', async () => {
    const prefs = (await call(env.t.app, officer, 'GET', '/notifications/preferences')).json();
    const of = (k: string) => prefs.kinds.find((x: { kind: string }) => x.kind === k);
    expect(prefs.hasEmail).toBe(true);
    expect(of('new_case')).toMatchObject({ delivery: 'batch', allowed: ['batch', 'daily', 'off'] });
    expect(of('reporter_message').delivery).toBe('batch');
    expect(of('assigned').delivery).toBe('immediate');
    expect(of('weekly_summary')).toBeUndefined(); // leads only

    const before = await db().selectFrom('notification_prefs').selectAll().execute();
    const bad = await call(env.t.app, officer, 'POST', '/notifications/preferences', { preferences: [{ kind: 'new_case', delivery: 'immediate' }] });
    expect(bad.statusCode).toBe(400);
    expect(await db().selectFrom('notification_prefs').selectAll().execute()).toEqual(before);

    const ok = await call(env.t.app, officer, 'POST', '/notifications/preferences', { preferences: [{ kind: 'new_case', delivery: 'daily' }] });
    expect(ok.statusCode).toBe(200);
    const lead = members.find((m) => m.endsWith('-lead'))!;
    await db().insertInto('notification_prefs').values({ staff_id: lead, kind: 'new_case', delivery: 'off' }).execute();

    await env.submit();
    const sender = env.sender();
    env.clock.ms = SLOT;
    await sender.tick();
    const batched = members.filter((m) => m !== 'nw-bcu-psu-1' && m !== lead);
    expect(env.smtp.received.map((m) => m.to[0]).sort()).toEqual(batched.map(mailOf).sort());
    env.smtp.received.length = 0;

    // The daily digest: the next opening of the window (07:00 London = 06:00Z), in one mail.
    await env.submit();
    env.clock.ms = at('2026-09-02T05:59:59Z');
    await sender.tick();
    expect(env.smtp.to(mailOf('nw-bcu-psu-1'))).toEqual([]);
    env.clock.ms = at('2026-09-02T06:00:00Z');
    await sender.tick();
    const digest = env.smtp.to(mailOf('nw-bcu-psu-1'));
    expect(digest).toHaveLength(1);
    expect(digest[0]!.subject).toBe('Raising concerns: your daily summary');
    expect(digest[0]!.body).toContain("- New cases in your team's inbox: 2\n");
    expect(env.smtp.to(mailOf(lead))).toEqual([]);
  });

  it('tells the team once a day that a date is close, then that it has passed', async () => {
    await env.submit(); // received 1 September: acknowledge by 8 September
    const received = await db().selectFrom('cases').select((eb) => eb.fn.countAll().as('n'))
      .where('team_id', '=', env.team).where('received_on', '=', '2026-09-01').where('status', '=', 'received').executeTakeFirstOrThrow();
    const n = Number(received.n);
    const sender = env.sender();
    env.clock.ms = SLOT;
    await sender.tick();
    env.smtp.received.length = 0;

    env.clock.ms = at('2026-09-06T05:30:00Z'); // 06:30 London: before the digest hour
    await sender.tick();
    expect(env.smtp.received).toEqual([]);
    env.clock.ms = at('2026-09-06T06:10:00Z');
    await sender.tick();
    await sender.tick();
    expect(env.smtp.received.map((m) => m.to[0]).sort()).toEqual(members.map(mailOf).sort());
    for (const m of env.smtp.received) {
      expect(m.subject).toBe('Raising concerns: your daily summary');
      expect(m.body).toContain(`- Cases with a date coming up: ${n}\n`);
    }
    env.smtp.received.length = 0;
    env.clock.ms = at('2026-09-07T12:00:00Z');
    await sender.tick();
    expect(env.smtp.received.filter((m) => m.subject.includes('daily'))).toEqual([]); // nothing due that day
    env.clock.ms = at('2026-09-09T06:10:00Z'); // the day after the acknowledgement was due
    await sender.tick();
    expect(env.smtp.received.filter((m) => m.body.includes(`- Cases past their date: ${n}\n`))).toHaveLength(members.length);
  });

  it('sends each lead a weekly summary of their team as counts, on Mondays only', async () => {
    await env.submit();
    const lead = members.find((m) => m.endsWith('-lead'))!;
    env.clock.ms = at('2026-09-06T12:00:00Z'); // Sunday
    const sender = env.sender();
    await sender.tick();
    expect(env.smtp.received.filter((m) => m.subject.includes('weekly'))).toEqual([]);
    env.clock.ms = at('2026-09-07T06:00:00Z'); // Monday 07:00 London
    await sender.tick();
    await sender.tick();
    const weekly = env.smtp.received.filter((m) => m.subject === "Raising concerns: your team's weekly summary");
    expect(weekly.map((m) => m.to[0])).toEqual([mailOf(lead)]);
    const open = await db().selectFrom('cases').select(['assigned_to', 'next_due_on']).where('team_id', '=', env.team).where('status', '!=', 'closed').execute();
    expect(weekly[0]!.body).toContain(`- Open cases: ${open.length}\n`);
    expect(weekly[0]!.body).toContain(`- Open cases past their date: ${open.filter((c) => c.next_due_on! < '2026-09-07').length}\n`);
    expect(weekly[0]!.body).toContain(`- Open cases not assigned to anyone: ${open.filter((c) => c.assigned_to === null).length}\n`);
  });

  it('lets the administrator set addresses (audited, never the address itself), the window, the batch and kinds off for everyone', async () => {
    const set = await call(env.t.app, admin, 'POST', '/admin/accounts/nw-bcu-psu-2/email', { email: 'officer.two@force.example' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({ email: 'officer.two@force.example' });
    const entry = await db().selectFrom('audit_log').selectAll().where('action', '=', 'admin.account_email').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.detail)).toEqual({ id: 'nw-bcu-psu-2', set: true });
    expect(entry.detail).not.toContain('@');
    for (const email of ['not-an-address', 'a@b', 'x y@force.example', 'a@force.example\nBcc: x@evil.example']) {
      expect((await call(env.t.app, admin, 'POST', '/admin/accounts/nw-bcu-psu-2/email', { email })).statusCode).toBe(400);
    }
    expect((await call(env.t.app, admin, 'POST', '/admin/accounts/nobody-here/email', { email: 'a@force.example' })).statusCode).toBe(404);
    expect((await call(env.t.app, officer, 'POST', '/admin/accounts/nw-bcu-psu-1/email', { email: 'me@force.example' })).statusCode).toBe(403);
    expect((await call(env.t.app, officer, 'GET', '/admin/notifications')).statusCode).toBe(403);
    await giveAddresses(env.t, ['nw-bcu-psu-2']);

    const settings = { windowStart: 9, windowEnd: 17, batchMinutes: 120, offForAll: ['reporter_message'] };
    expect((await call(env.t.app, admin, 'POST', '/admin/notifications', { ...settings, batchMinutes: 5 })).statusCode).toBe(400);
    const saved = await call(env.t.app, admin, 'POST', '/admin/notifications', settings);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ ...settings, backlog: 0 });

    // 10:20 London with two-hour batches (whole multiples of two hours, UTC) inside 09:00–17:00: the slot is 10:00Z = 11:00 London.
    await env.submit();
    const slots = await db().selectFrom('notification_events').select('send_at_ms').distinct().execute();
    expect(slots.map((s) => Number(s.send_at_ms))).toEqual([at('2026-09-01T10:00:00Z')]);
    env.clock.ms = at('2026-09-01T16:30:00Z'); // 17:30 London: after the window; the next batch waits for 09:00
    await env.submit();
    const later = await db().selectFrom('notification_events').select('send_at_ms').distinct().orderBy('send_at_ms').execute();
    expect(later.map((s) => Number(s.send_at_ms))).toEqual([at('2026-09-01T10:00:00Z'), at('2026-09-02T08:00:00Z')]);
    // The backlog counts what is due and undelivered (no sender ran here).
    expect(await outboxBacklog(db(), at('2026-09-01T10:00:00Z'))).toBe(members.length);
    expect(await outboxBacklog(db(), at('2026-09-02T08:00:00Z'))).toBe(2 * members.length);

    // Switched off for everyone: the kind makes no event at all.
    await db().transaction().execute((tx) => onReporterMessage(tx, 1, env.clock.ms));
    expect(await db().selectFrom('notification_events').select('id').where('kind', '=', 'reporter_message').execute()).toEqual([]);
  });
});
