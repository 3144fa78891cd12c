// Notification policy: the organisation's settings, each user's choices, and
// turning an event into outbox rows inside the event's own transaction.
// Nothing of the case enters the outbox: a recipient, a kind, a count, a slot.
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import {
  BATCH_CHOICES, defaultDelivery, KIND_NAMES, kindInfo, type Delivery, type NotificationKind, type OrgSettingsInfo, type OrgSettingsInput,
  type PreferencesInfo, type PreferencesUpdate,
} from '../../../shared/src/api/notifications.ts';
import type { Database } from '../db/database.ts';
import { ApiError } from '../plugins/errors.ts';
import * as repo from './repository.ts';
import { sendAt, type Schedule } from './schedule.ts';

type Db = Kysely<Database> | Transaction<Database>;

const WINDOW = 'notifications.window';
const OFF = 'notifications.off';
const BATCH = 'notifications.batch_minutes';
/** Staff work office hours by default; mail outside them would only pile up. */
export const DEFAULT_WINDOW = { start: 7, end: 19 };
export const DEFAULT_BATCH_MINUTES = 60;

export interface OrgConfig extends Schedule {
  offForAll: Set<NotificationKind>;
}

const isKind = (k: string): k is NotificationKind => (KIND_NAMES as string[]).includes(k);

export async function orgConfig(db: Db): Promise<OrgConfig> {
  const s = await repo.readSettings(db, [WINDOW, OFF, BATCH]);
  const [a, b] = (s.get(WINDOW) ?? '').split('-').map(Number);
  const valid = (h: number | undefined): h is number => Number.isInteger(h) && h! >= 0 && h! <= 24;
  const batch = Number(s.get(BATCH) ?? DEFAULT_BATCH_MINUTES);
  return {
    windowStart: valid(a) && valid(b) ? a : DEFAULT_WINDOW.start,
    windowEnd: valid(a) && valid(b) ? b : DEFAULT_WINDOW.end,
    batchMinutes: Number.isInteger(batch) && batch >= 1 && 1440 % batch === 0 ? batch : DEFAULT_BATCH_MINUTES,
    offForAll: new Set((s.get(OFF) ?? '').split(',').filter(isKind)),
  };
}

export async function orgSettings(db: Db, now: number): Promise<OrgSettingsInfo> {
  const c = await orgConfig(db);
  return { windowStart: c.windowStart, windowEnd: c.windowEnd, batchMinutes: c.batchMinutes, offForAll: [...c.offForAll], backlog: await repo.backlog(db, now) };
}

export async function setOrgSettings(tx: Transaction<Database>, s: OrgSettingsInput): Promise<void> {
  if (s.windowStart === 24 || s.windowEnd === 0 && s.windowStart !== 0) throw new ApiError('invalid_request');
  if (!(BATCH_CHOICES as readonly number[]).includes(s.batchMinutes)) throw new ApiError('invalid_request');
  await repo.writeSetting(tx, WINDOW, `${s.windowStart}-${s.windowEnd}`);
  await repo.writeSetting(tx, BATCH, String(s.batchMinutes));
  await repo.writeSetting(tx, OFF, [...new Set(s.offForAll)].join(','));
}

/** The stored choice if it is allowed for the kind, else the default (reporter-caused kinds can never be immediate). */
function effective(kind: NotificationKind, stored: string | undefined): Delivery {
  const allowed = kindInfo(kind).deliveries as readonly string[];
  return stored !== undefined && allowed.includes(stored) ? (stored as Delivery) : defaultDelivery(kind);
}

export async function preferences(db: Db, staffId: string, isLead: boolean): Promise<PreferencesInfo> {
  const [prefs, org, addr] = await Promise.all([repo.prefsOf(db, staffId), orgConfig(db), repo.emailOf(db, staffId)]);
  return {
    hasEmail: Boolean(addr?.email),
    kinds: KIND_NAMES.filter((k) => isLead || !kindInfo(k).leads).map((k) => ({
      kind: k, delivery: effective(k, prefs.get(k)), allowed: [...kindInfo(k).deliveries], offForAll: org.offForAll.has(k),
    })),
  };
}

export async function setPreferences(db: Db, staffId: string, body: PreferencesUpdate): Promise<void> {
  for (const p of body.preferences) {
    if (!(kindInfo(p.kind).deliveries as readonly string[]).includes(p.delivery)) throw new ApiError('invalid_request');
  }
  await repo.setPrefs(db, staffId, body.preferences);
}

export interface Notice {
  kind: NotificationKind;
  recipients: string[];
  /** The mail lines for a recipient ({line: count}); default one of `kind`. Scheduled jobs give counts. */
  counts?: (staffId: string) => Record<string, number>;
  /** A staff member who caused it is not told of their own action. */
  actor?: string;
  /** Scheduled jobs run at the digest hour and go out in that digest, not the next one. */
  at?: number;
}

/**
 * Writes the outbox rows for one event, in the caller's transaction. Each recipient's choice decides
 * the slot; reporter-caused kinds only ever get a batch or digest slot, which is all the row records.
 */
export async function enqueue(tx: Db, notice: Notice, now: number): Promise<void> {
  await enqueueAll(tx, [{ notice, now }]);
}

/**
 * enqueue for several events in one transaction (a group commit's new cases): the organisation's
 * settings and each kind's preferences are read once for all of them and the rows go in as one INSERT,
 * where one enqueue per event read and wrote four times each. The rows are those the events would
 * have written one by one: nothing read here is written in between.
 */
export async function enqueueAll(tx: Db, events: readonly { notice: Notice; now: number }[]): Promise<void> {
  const rows = await eventRows(tx, events);
  // Bounded statements: SQLite allows 32766 parameters; an event row has 6.
  for (let k = 0; k < rows.length; k += 1000) await repo.insertEvents(tx, rows.slice(k, k + 1000));
}

/**
 * The outbox rows enqueueAll writes for `events`, without writing them: for a caller that writes them
 * in a statement of its own (intake's one-statement batch, case/repository.ts insertCasesAtOnce).
 */
export async function eventRows(tx: Db, events: readonly { notice: Notice; now: number }[]): Promise<repo.EventRow[]> {
  return rowsOf(events, await eventInputs(tx, events));
}

/** What the rows of some events are made from besides the events: the organisation's settings, and each recipient's choice per kind. */
export interface EventInputs {
  org: OrgConfig;
  prefsByKind: Map<NotificationKind, Map<string, string>>;
}

const wantedOf = (events: readonly { notice: Notice; now: number }[], org: OrgConfig) => events.filter((e) => !org.offForAll.has(e.notice.kind))
  .map((e) => ({ ...e, ids: [...new Set(e.notice.recipients)].filter((r) => r !== e.notice.actor) }))
  .filter((e) => e.ids.length > 0);

/** Reads what rowsOf needs for `events` (and for any events of the same kinds and recipients). */
export async function eventInputs(tx: Db, events: readonly { notice: Notice; now: number }[]): Promise<EventInputs> {
  const org = await orgConfig(tx);
  const wanted = wantedOf(events, org);
  const prefsByKind = new Map<NotificationKind, Map<string, string>>();
  for (const kind of new Set(wanted.map((e) => e.notice.kind))) {
    prefsByKind.set(kind, await repo.prefsFor(tx, [...new Set(wanted.filter((e) => e.notice.kind === kind).flatMap((e) => e.ids))], kind));
  }
  return { org, prefsByKind };
}

/** The outbox rows of `events` from inputs read by eventInputs (for these events, or ones of the same kinds and recipients). */
export function rowsOf(events: readonly { notice: Notice; now: number }[], { org, prefsByKind }: EventInputs): repo.EventRow[] {
  const rows: repo.EventRow[] = [];
  for (const { notice, now, ids } of wantedOf(events, org)) {
    const prefs = prefsByKind.get(notice.kind) ?? new Map<string, string>();
    for (const staffId of ids) {
      const delivery = effective(notice.kind, prefs.get(staffId));
      const slot = sendAt(delivery, now, org);
      if (slot === null) continue;
      const counts = notice.counts?.(staffId) ?? { [notice.kind]: 1 };
      for (const [line, n] of Object.entries(counts)) {
        rows.push({ id: randomBytes(16).toString('base64url'), staff_id: staffId, kind: line, channel: delivery, n, send_at_ms: notice.at ?? slot });
      }
    }
  }
  return rows;
}

export const outboxBacklog = (db: Db, now: number = Date.now()): Promise<number> => repo.backlog(db, now);

export async function accountEmail(db: Db, staffId: string): Promise<{ email: string | null }> {
  const r = await repo.emailOf(db, staffId);
  if (!r) throw new ApiError('not_found');
  return { email: r.email };
}

export async function setAccountEmail(tx: Db, staffId: string, email: string | null): Promise<void> {
  if (!(await repo.setEmail(tx, staffId, email === null ? null : email.trim()))) throw new ApiError('not_found');
}
