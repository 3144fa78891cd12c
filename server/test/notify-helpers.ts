// Notification test plumbing: an app on a movable clock, a real SMTP server,
// addresses for a team, a sender built like production's, and the words no
// mail may carry.
import type { Draft } from '../../shared/src/crypto/index.ts';
import { NotificationSender, type SenderOptions } from '../src/notifications/sender.ts';
import { londonDay } from '../src/notifications/schedule.ts';
import type { TestDialect } from './databases.ts';
import { makeApp, postReport, recipients, sealFor, type TestApp } from './helpers.ts';
import { TestSmtp } from './smtp.ts';
import { Clock } from './staff-helpers.ts';

/** Tuesday 1 September 2026, 10:20 in London (BST): the next hourly slot is 11:00 London = 10:00Z. */
export const START = Date.parse('2026-09-01T09:20:00Z');
export const SIGN_IN_URL = 'https://portal.example/triage/sign-in';
export const mailOf = (id: string): string => `${id}@staff.example`;

/** Words of the report and a reporter message that must never appear in a mail. */
export const NARRATIVE = 'Quokka zanzibar marmalade overtime ledger';
export const MESSAGE_TEXT = 'Wombat periscope reprisal canteen';
export const DRAFT: Draft = { mode: 'anonymous', category: 'bullying', unit: 'nw-response-camden', report: { narrative: NARRATIVE } };

export interface NotifyEnv {
  t: TestApp;
  clock: Clock;
  smtp: TestSmtp;
  /** The team DRAFT routes to. */
  team: string;
  sender(o?: Partial<SenderOptions>): NotificationSender;
  submit(): Promise<{ caseRef: string; session: Awaited<ReturnType<typeof sealFor>>['session'] }>;
  close(): Promise<void>;
}

export async function notifyEnv(dialect: TestDialect, signIn: string[] = []): Promise<NotifyEnv> {
  const clock = new Clock(START);
  const smtp = new TestSmtp();
  await smtp.start();
  const t = await makeApp(dialect, { now: clock.now, today: () => londonDay(clock.ms), signIn });
  const team = (await recipients(t.app, { category: 'bullying', unit: 'nw-response-camden' })).team.id;
  return {
    t, clock, smtp, team,
    sender: (o = {}) => new NotificationSender(t.tdb.handle.db, {
      transport: smtp.transport(), from: 'rc@force.example', signInUrl: SIGN_IN_URL, now: clock.now, backoffBaseMs: 60_000, ...o,
    }),
    async submit() {
      const { body, session } = await sealFor(t.app, DRAFT);
      const res = await postReport(t.app, body);
      if (res.statusCode !== 201) throw new Error(`report: ${res.statusCode} ${res.body}`);
      return { caseRef: res.json().caseRef as string, session };
    },
    async close() {
      await t.close();
      await smtp.stop();
    },
  };
}

/** Gives addresses (and an active account) to `ids`; returns them. */
export async function giveAddresses(t: TestApp, ids: string[]): Promise<string[]> {
  for (const id of ids) await t.tdb.handle.db.updateTable('staff').set({ email: mailOf(id), state: 'active' }).where('id', '=', id).execute();
  return ids;
}

export async function membersOf(t: TestApp, team: string): Promise<string[]> {
  const rows = await t.tdb.handle.db.selectFrom('team_members').select('staff_id').where('team_id', '=', team).orderBy('staff_id').execute();
  return rows.map((r) => r.staff_id);
}

export async function clearOutbox(env: NotifyEnv): Promise<void> {
  const db = env.t.tdb.handle.db;
  await db.deleteFrom('notification_events').execute();
  await db.deleteFrom('notification_mail').execute();
  await db.deleteFrom('notification_prefs').execute();
  env.smtp.received.length = 0;
}

/** Labels and references that no mail may hold: the category, units, teams, every case reference. */
export async function forbiddenWords(t: TestApp): Promise<string[]> {
  const db = t.tdb.handle.db;
  const [cats, units, refs, cts] = await Promise.all([
    db.selectFrom('categories').select('label').execute(),
    db.selectFrom('units').select('label').execute(),
    db.selectFrom('cases').select('case_ref').execute(),
    db.selectFrom('messages').select('ct').execute(),
  ]);
  return [
    ...NARRATIVE.split(' '), ...MESSAGE_TEXT.split(' '),
    ...cats.map((c) => c.label), ...units.map((u) => u.label), ...refs.map((r) => r.case_ref),
    ...cts.map((c) => c.ct.slice(0, 16)),
  ];
}
