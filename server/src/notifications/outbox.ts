// From events to mails. compose() turns due events into one mail per person
// per channel group, in one transaction (events deleted as the mail row is
// written, so an event is in exactly one mail). The scheduled jobs (clocks,
// weekly summary) write events once per day, guarded by a run marker that
// commits with them.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { canonicalJson } from '../audit/log.ts';
import { addDays } from '../../../shared/src/domain/clock.ts';
import type { Database } from '../db/database.ts';
import * as repo from './repository.ts';
import { digestHourReached, isMonday, londonDay } from './schedule.ts';
import { enqueue, orgConfig } from './service.ts';

type Db = Kysely<Database>;

/** Mail groups: an immediate and a batched notice due together go out as one "new work" mail. */
export type MailGroup = 'work' | 'daily' | 'weekly';
const GROUP: Record<string, MailGroup> = { immediate: 'work', batch: 'work', daily: 'daily', weekly: 'weekly' };

const COMPOSE_MAX = 5000;
/**
 * How long a settled mail row is kept: its 'sent' marker is what stops a late resend, and no
 * claim lease or retry lasts anywhere near this; after it the row only says who was mailed when.
 */
export const MAIL_KEEP_MS = 30 * 24 * 3_600_000;

/** Composes every due event into mails; returns how many mails were written. */
export async function compose(db: Db, postgres: boolean, now: number): Promise<number> {
  return db.transaction().execute(async (tx) => {
    // Two instances composing at once could split one person's events over two mails.
    if (postgres && !(await repo.tryComposeLock(tx))) return 0;
    const events = await repo.dueEvents(tx, now, COMPOSE_MAX);
    const mails = new Map<string, { staff_id: string; channel: MailGroup; slot_ms: number; counts: Record<string, number> }>();
    for (const e of events) {
      const channel = GROUP[e.channel] ?? 'work';
      const key = `${e.staff_id}\u0000${channel}`;
      const m = mails.get(key) ?? { staff_id: e.staff_id, channel, slot_ms: 0, counts: {} };
      m.slot_ms = Math.max(m.slot_ms, e.send_at_ms);
      m.counts[e.kind] = (m.counts[e.kind] ?? 0) + e.n;
      mails.set(key, m);
    }
    await repo.insertMails(tx, [...mails.values()].map((m) => ({
      id: randomBytes(16).toString('base64url'), staff_id: m.staff_id, channel: m.channel, slot_ms: m.slot_ms,
      counts: canonicalJson(m.counts), next_try_ms: m.slot_ms,
    })));
    await repo.deleteEvents(tx, events.map((e) => e.id));
    return mails.size;
  });
}

/**
 * Once a day after the digest hour: cases whose acknowledgement is due in 2 days or feedback in
 * 2 weeks, and cases that went overdue yesterday, counted per person (the assignee, or the team
 * when nobody is assigned); and settled mail rows older than MAIL_KEEP_MS are removed. A day the
 * server is down all day is skipped, not made up.
 */
export async function runDaily(db: Db, now: number): Promise<boolean> {
  const org = await orgConfig(db);
  if (!digestHourReached(now, org)) return false;
  const today = londonDay(now);
  return db.transaction().execute(async (tx) => {
    if (!(await repo.markRun(tx, 'daily', today))) return false;
    await repo.pruneSettled(tx, now - MAIL_KEEP_MS);
    const ackClose = addDays(today, 2);
    const feedbackClose = addDays(today, 14);
    const overdue = addDays(today, -1);
    const cases = await repo.openCasesDueOn(tx, [...new Set([ackClose, feedbackClose, overdue])]);
    const teams = [...new Set(cases.filter((c) => c.assigned_to === null).map((c) => c.team_id))];
    const members = await repo.reachableMembers(tx, teams, false);
    const assignees = new Set(await repo.filterReachable(tx, [...new Set(cases.flatMap((c) => (c.assigned_to ? [c.assigned_to] : [])))]));
    const counts = { clock_due: new Map<string, number>(), clock_overdue: new Map<string, number>() };
    for (const c of cases) {
      const acknowledging = c.status === 'received';
      const kind = c.next_due_on === overdue ? 'clock_overdue'
        : c.next_due_on === (acknowledging ? ackClose : feedbackClose) ? 'clock_due' : null;
      if (!kind) continue;
      const who = c.assigned_to ? (assignees.has(c.assigned_to) ? [c.assigned_to] : []) : members.filter((m) => m.team_id === c.team_id).map((m) => m.staff_id);
      for (const s of who) counts[kind].set(s, (counts[kind].get(s) ?? 0) + 1);
    }
    for (const kind of ['clock_due', 'clock_overdue'] as const) {
      const m = counts[kind];
      await enqueue(tx, { kind, recipients: [...m.keys()], counts: (s) => ({ [kind]: m.get(s) ?? 0 }), at: now }, now);
    }
    return true;
  });
}

/** Mondays after the digest hour: each lead's teams' open, overdue and unassigned cases, as counts. */
export async function runWeekly(db: Db, now: number): Promise<boolean> {
  const org = await orgConfig(db);
  if (!isMonday(now) || !digestHourReached(now, org)) return false;
  const today = londonDay(now);
  return db.transaction().execute(async (tx) => {
    if (!(await repo.markRun(tx, 'weekly', today))) return false;
    const leads = await repo.reachableMembers(tx, null, true);
    const cases = await repo.openCasesOfTeams(tx, [...new Set(leads.map((l) => l.team_id))]);
    const summary = (staffId: string): Record<string, number> => {
      const teams = new Set(leads.filter((l) => l.staff_id === staffId).map((l) => l.team_id));
      const mine = cases.filter((c) => teams.has(c.team_id));
      return {
        team_open: mine.length,
        team_overdue: mine.filter((c) => c.next_due_on !== null && c.next_due_on < today).length,
        team_unassigned: mine.filter((c) => c.assigned_to === null).length,
      };
    };
    await enqueue(tx, { kind: 'weekly_summary', recipients: [...new Set(leads.map((l) => l.staff_id))], counts: summary, at: now }, now);
    return true;
  });
}
