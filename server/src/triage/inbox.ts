// The inbox: cases of the user's teams for which the user holds a case-key
// wrap (a recused officer's wraps are gone, so the case drops out), in one of
// three orders, each with a keyset cursor. Each team's page is read by its own
// index-ordered query (LIMIT n+1) and the ordered pages are merged here, so a
// user in several teams never makes the database sort all their cases.
import type { CaseStatus } from '../../../shared/src/api/domain.ts';
import type { CoveredUnits, InboxCase, InboxFilters, InboxPage } from '../../../shared/src/api/staff.ts';
import { clockFor, daysBetween, dueDates, NEVER_DUE, type ClockKind, type DueDates } from '../../../shared/src/domain/clock.ts';
import { normaliseCaseRef } from '../../../shared/src/domain/reference.ts';
import type { Principal } from '../auth/repository.ts';
import { clockStart } from '../case/repository.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../plugins/errors.ts';
import { cachedInboxPage } from './inbox-cache.ts';
import {
  cachedTabCounts, coveredUnits, teamPage, unreadCounts, type InboxKey, type InboxRow, type InboxScope, type InboxSort,
} from './inbox-repository.ts';

const MAX_ID = 2 ** 31 - 1;
const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const isId = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_ID;

// 'due' keeps the cursor it always had, [next_due_on, received_on, id]; the other orders name
// themselves, [sort, day, id], so a cursor from one order is refused (400) by another.
function encodeCursor(sort: InboxSort, k: InboxKey): string {
  const v = sort === 'due' ? [k.a, k.b, k.id] : [sort, k.a, k.id];
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

function decodeCursor(sort: InboxSort, s: string): InboxKey {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    // Checked in full before it reaches SQL: PostgreSQL answers a NUL byte or an id beyond int4 with an error (500).
    if (Array.isArray(v) && v.length === 3 && isId(v[2])) {
      if (sort === 'due' && isDay(v[0]) && isDay(v[1])) return { a: v[0], b: v[1], id: v[2] };
      if (sort !== 'due' && v[0] === sort && isDay(v[1])) return { a: v[1], b: '', id: v[2] };
    }
  } catch {
    // fall through
  }
  throw new ApiError('invalid_request');
}

function keyOf(sort: InboxSort, r: InboxRow): InboxKey {
  if (sort === 'due') return { a: r.next_due_on ?? '', b: r.received_on, id: r.id };
  return { a: sort === 'received' ? r.received_on : r.last_activity_on, b: '', id: r.id };
}

/** The sort's order on keys: negative when `x` comes first (the same order the indexes give). */
function compare(sort: InboxSort, x: InboxKey, y: InboxKey): number {
  const cmp = (p: string, q: string) => (p < q ? -1 : p > q ? 1 : 0);
  if (sort === 'due') return cmp(x.a, y.a) || -cmp(x.b, y.b) || y.id - x.id;
  return -cmp(x.a, y.a) || y.id - x.id;
}

function scopeOf(p: Principal, f: InboxFilters, today: string): InboxScope {
  let ref: string | undefined;
  if (f.ref !== undefined) {
    const r = normaliseCaseRef(f.ref);
    if (r === null) throw new ApiError('invalid_request');
    ref = r;
  }
  return {
    staffId: p.id,
    ...(f.status ? { status: f.status } : {}),
    ...(f.category ? { category: f.category } : {}),
    ...(f.unit ? { unit: f.unit } : {}),
    ...(f.assigned === 'me' ? { assignedTo: p.id } : {}),
    ...(f.overdue === 'true' ? { dueBefore: today } : {}),
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.welfare === 'true' ? { welfare: true } : {}),
    ...(ref ? { ref } : {}),
  };
}

/** An advice request's clock: a reply due by next_due_on, or nothing owed once answered. */
const adviceClock = (nextDue: string | null): { kind: ClockKind; due: string } =>
  (nextDue === null || nextDue >= NEVER_DUE ? { kind: null, due: NEVER_DUE } : { kind: 'advice', due: nextDue });

// Date arithmetic per row (two Date round trips for the due dates, two more for the clock, two parses
// for the days left) was a tenth of a page build's CPU, over a few hundred distinct days. Kept per day
// (pure functions of it); dropped whole when large, so they stay bounded.
const MEMO_KEPT = 5000;
const memo = <V>(m: Map<string, V>, key: string, make: () => V): V => {
  let v = m.get(key);
  if (v === undefined) {
    if (m.size >= MEMO_KEPT) m.clear();
    m.set(key, (v = make()));
  }
  return v;
};
const dueMemo = new Map<string, DueDates>();
const clockMemo = new Map<string, { kind: ClockKind; due: string }>();
const daysMemo = new Map<string, number>();

function itemOf(r: InboxRow, unread: number, today: string): InboxCase {
  const start = clockStart(r);
  const clock = r.kind === 'advice' ? adviceClock(r.next_due_on) : memo(clockMemo, `${start} ${r.status}`, () => clockFor(start, r.status));
  return {
    caseRef: r.case_ref,
    kind: r.kind,
    status: r.status as CaseStatus,
    category: r.category_id !== null && r.category_label !== null ? { id: r.category_id, label: r.category_label } : null,
    unit: r.unit_id && r.unit_label ? { id: r.unit_id, label: r.unit_label } : null,
    // cases.team_id is a NOT NULL foreign key: the label is always there (the subquery's type cannot say so).
    team: { id: r.team_id, label: r.team_label ?? r.team_id },
    receivedOn: r.received_on,
    due: { ...memo(dueMemo, start, () => dueDates(start)) },
    clock: { kind: clock.kind, days: clock.kind === null ? 0 : memo(daysMemo, `${today} ${clock.due}`, () => daysBetween(today, clock.due)) },
    assignedTo: r.assigned_to ? { id: r.assigned_to, displayName: r.assignee_name ?? r.assigned_to } : null,
    unread,
    lastActivityOn: r.last_activity_on,
    messageOnClosed: r.status === 'closed' && r.closed_message_on !== null,
    welfareRequested: r.welfare_on !== null,
  };
}

/** A validated inbox request: its cache key (null: nothing to read) and how to build its page. */
function prepare(ctx: AppContext, p: Principal, f: InboxFilters): { key: string | null; today: string; build: () => Promise<InboxPage> } {
  const teams = p.teams.map((t) => t.id);
  const today = ctx.today();
  const sort: InboxSort = f.sort ?? 'due';
  // Checked before the cache is consulted: a malformed request is refused and never kept.
  const after = f.cursor ? decodeCursor(sort, f.cursor) : undefined;
  const scope = scopeOf(p, f, today);
  if (teams.length === 0) return { key: null, today, build: async () => ({ cases: [], next: null, counts: { open: 0, closed: 0 } }) };
  const limit = f.limit ? Number(f.limit) : 25;
  const listed: InboxScope = { ...scope, ...(f.tab ? { tab: f.tab } : {}) };
  // The scope holds the user's id and every filter as applied; the page also depends on the teams, order, cursor and size.
  const key = JSON.stringify([teams, listed, sort, after ?? null, limit]);
  return { key, today, build: () => buildPage(ctx, p.id, teams, scope, listed, sort, after, limit, today) };
}

/** One page of the user's inbox, read afresh. */
export async function inbox(ctx: AppContext, p: Principal, f: InboxFilters): Promise<InboxPage> {
  return prepare(ctx, p, f).build();
}

/**
 * The page as GET /staff/cases answers it, `serialize`d by the route's response schema: kept between
 * requests while nothing it reads has changed and the day is the same (inbox-cache.ts).
 */
export async function inboxAnswer(ctx: AppContext, p: Principal, f: InboxFilters, serialize: (page: InboxPage) => string): Promise<Buffer> {
  const { key, today, build } = prepare(ctx, p, f);
  const bytes = async () => Buffer.from(serialize(await build()));
  return key === null ? bytes() : cachedInboxPage(ctx.db, key, today, bytes);
}

async function buildPage(
  ctx: AppContext, staffId: string, teams: string[], scope: InboxScope, listed: InboxScope,
  sort: InboxSort, after: InboxKey | undefined, limit: number, today: string,
): Promise<InboxPage> {
  // Sequential, not Promise.all: one pooled connection at a time per request keeps the pool for others.
  const pages: InboxRow[][] = [];
  for (const t of teams) pages.push(await teamPage(ctx.db, t, listed, sort, after, limit + 1));
  const rows = pages.flat().sort((x, y) => compare(sort, keyOf(sort, x), keyOf(sort, y))).slice(0, limit + 1);
  const page = rows.slice(0, limit);
  const unread = await unreadCounts(ctx.db, staffId, page.map((r) => r.id));
  const last = page[page.length - 1];
  return {
    cases: page.map((r) => itemOf(r, unread.get(r.id) ?? 0, today)),
    next: rows.length > limit && last ? encodeCursor(sort, keyOf(sort, last)) : null,
    counts: await cachedTabCounts(ctx.db, teams, scope),
  };
}

export const units = async (ctx: AppContext, p: Principal): Promise<CoveredUnits> => coveredUnits(ctx.db, p.teams.map((t) => t.id));
