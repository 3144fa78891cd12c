// Inbox storage: Kysely only. One query per team and order, each served by an
// index led by team_id (cases_inbox, cases_received, cases_activity), so a page
// is read in index order with no sort step; inbox.ts merges the teams' pages.
import { type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import { NEVER_DUE } from '../../../shared/src/domain/clock.ts';
import type { Database } from '../db/database.ts';
import { changeToken } from '../db/data-version.ts';
import { toCount } from '../db/dialect.ts';
import { shapedQuery } from '../db/precompiled.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type InboxSort = 'due' | 'received' | 'activity';
export type InboxTab = 'open' | 'closed';

/** Where a page starts: strictly after this row in the sort's order. `b` is used by 'due' only. */
export interface InboxKey { a: string; b: string; id: number }

export interface InboxScope {
  staffId: string;
  status?: string;
  category?: string;
  unit?: string;
  assignedTo?: string;
  /** Cases whose open clock is due before this day. */
  dueBefore?: string;
  kind?: 'report' | 'advice';
  /** Only those with an open welfare request. */
  welfare?: boolean;
  /** An exact case reference, already normalised. */
  ref?: string;
  /** open: something is owed to the reporter (next_due_on before NEVER_DUE, or an open welfare request); closed: nothing is. */
  tab?: InboxTab;
}

/** Cases the user may see (a key wrap, not recused) and that match the filters: shared by pages and counts. */
function scoped<O>(q: SelectQueryBuilder<Database, 'cases', O>, s: InboxScope): SelectQueryBuilder<Database, 'cases', O> {
  let r = q
    .where(({ exists, selectFrom }) => exists(selectFrom('case_keys').select('case_keys.case_id')
      .whereRef('case_keys.case_id', '=', 'cases.id')
      .where('case_keys.recipient_id', '=', s.staffId)
      .where('case_keys.kind', '=', 'staff')
      .where('case_keys.identity', '=', 0)))
    // Recused for this case: hidden even if a stray wrap exists.
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('case_conflicts').select('case_conflicts.case_id')
      .whereRef('case_conflicts.case_id', '=', 'cases.id')
      .where('case_conflicts.staff_id', '=', s.staffId)
      .where('case_conflicts.knows_people', '=', 1))));
  if (s.status) r = r.where('cases.status', '=', s.status);
  if (s.category) r = r.where('cases.category_id', '=', s.category);
  if (s.unit) r = r.where('cases.unit_id', '=', s.unit);
  if (s.assignedTo) r = r.where('cases.assigned_to', '=', s.assignedTo);
  if (s.dueBefore) r = r.where('cases.next_due_on', '<', s.dueBefore);
  if (s.ref) r = r.where('cases.case_ref', '=', s.ref);
  if (s.kind) r = r.where('cases.kind', '=', s.kind);
  if (s.welfare) r = r.where('cases.welfare_on', 'is not', null);
  // An open welfare request is owed to the reporter too, whatever the clocks say (an answered advice request, a closed case).
  if (s.tab === 'open') r = r.where((eb) => eb.or([eb('cases.next_due_on', '<', NEVER_DUE), eb('cases.welfare_on', 'is not', null)]));
  if (s.tab === 'closed') r = r.where('cases.next_due_on', '>=', NEVER_DUE).where('cases.welfare_on', 'is', null);
  return r;
}

/**
 * One team's page in `sort` order, after `after`: `team_id = ?` plus the index's own order, so the
 * database walks cases_inbox / cases_received / cases_activity and stops after `limit` rows.
 */
export function teamPageQuery(db: Db, teamId: string, s: InboxScope, sort: InboxSort, after: InboxKey | undefined, limit: number) {
  let q = scoped(db.selectFrom('cases')
    .select([
      'cases.id', 'cases.case_ref', 'cases.status', 'cases.received_on', 'cases.next_due_on', 'cases.last_activity_on',
      'cases.closed_message_on', 'cases.clock_from', 'cases.team_id', 'cases.unit_id', 'cases.category_id', 'cases.assigned_to',
      'cases.kind', 'cases.welfare_on',
    ])
    // Labels as scalar subqueries, not joins: with four joins beside the two EXISTS the PostgreSQL
    // planner searched join orders over seven relations on every execution (~8 ms of planning for
    // a 0.5 ms query); a subquery in the select list is planned on its own, in microseconds, and
    // runs only for the LIMIT rows. An advice request has no category, a case may have no unit or
    // assignee: the subquery then gives null, as the left joins did.
    .select((eb) => [
      eb.selectFrom('categories').select('categories.label').whereRef('categories.id', '=', 'cases.category_id').as('category_label'),
      eb.selectFrom('teams').select('teams.label').whereRef('teams.id', '=', 'cases.team_id').as('team_label'),
      eb.selectFrom('units').select('units.label').whereRef('units.id', '=', 'cases.unit_id').as('unit_label'),
      eb.selectFrom('staff').select('staff.display_name').whereRef('staff.id', '=', 'cases.assigned_to').as('assignee_name'),
    ])
    .where('cases.team_id', '=', teamId), s);
  if (sort === 'due') {
    if (after) {
      const { a, b, id } = after;
      q = q.where((eb) => eb.or([
        eb('cases.next_due_on', '>', a),
        eb.and([eb('cases.next_due_on', '=', a), eb('cases.received_on', '<', b)]),
        eb.and([eb('cases.next_due_on', '=', a), eb('cases.received_on', '=', b), eb('cases.id', '<', id)]),
      ]));
    }
    return q.orderBy('cases.next_due_on', 'asc').orderBy('cases.received_on', 'desc').orderBy('cases.id', 'desc').limit(limit);
  }
  const col = sort === 'received' ? 'cases.received_on' : 'cases.last_activity_on';
  if (after) {
    const { a, id } = after;
    q = q.where((eb) => eb.or([eb(col, '<', a), eb.and([eb(col, '=', a), eb('cases.id', '<', id)])]));
  }
  return q.orderBy(col, 'desc').orderBy('cases.id', 'desc').limit(limit);
}

export type InboxRow = Awaited<ReturnType<ReturnType<typeof teamPageQuery>['execute']>>[number];

/** The scope's values that become parameters when set; which of them are set is part of the query's shape. */
const SCOPE_VALUES = ['staffId', 'status', 'category', 'unit', 'assignedTo', 'dueBefore', 'ref', 'kind'] as const;

/**
 * teamPageQuery's rows, its SQL built and compiled once per shape (the order, the tab, the welfare
 * flag, a cursor or not, which filters are set) instead of per call: Kysely's build and compile took
 * ~340 us per team, more than SQLite's execution of it.
 */
export async function teamPage(db: Db, teamId: string, s: InboxScope, sort: InboxSort, after: InboxKey | undefined, limit: number): Promise<InboxRow[]> {
  const present = SCOPE_VALUES.filter((k) => Boolean(s[k]));
  const cursor = after ? (sort === 'due' ? [after.a, after.b, after.id] : [after.a, after.id]) : [];
  const shape = `inbox page ${sort} ${s.tab ?? '-'} ${s.welfare ? 'welfare' : '-'} ${after ? 'after' : '-'} ${present.join(',')}`;
  const values = [teamId, limit, ...present.map((k) => s[k]), ...cursor];
  return shapedQuery(db, shape, values, (slot) => {
    const scope: InboxScope = { staffId: '', ...(s.tab ? { tab: s.tab } : {}), ...(s.welfare ? { welfare: true } : {}) };
    present.forEach((k, i) => { (scope as unknown as Record<string, unknown>)[k] = slot(2 + i); });
    const c = 2 + present.length;
    const key = after ? { a: slot(c) as string, b: (sort === 'due' ? slot(c + 1) : '') as string, id: slot(sort === 'due' ? c + 2 : c + 1) as number } : undefined;
    return teamPageQuery(db, slot(0) as string, scope, sort, key, slot(1) as number);
  });
}

/** What the counts read: a change to any of these tables makes them be counted again (db/data-version.ts). */
const COUNTED_TABLES = ['cases', 'case_keys', 'case_conflicts'] as const;
const COUNTS_KEPT = 1000;
const countCache = new WeakMap<Kysely<Database>, Map<string, { token: string; counts: Promise<Record<InboxTab, number>> }>>();

/**
 * tabCounts, kept per user, teams and filters until one of the counted tables changes: counting
 * walks every case of the user's teams (11 000 cases of one team: ~18 ms on SQLite, from
 * cases_inbox alone since migration 020; ~60 ms before, reading each case row), while the
 * page itself reads 26 rows in index order. The token is taken before counting, so a change
 * during the count makes the next request count again. Requests arriving while a count runs
 * share it (one count, not one per waiting request); a failed count is not kept.
 */
export async function cachedTabCounts(db: Kysely<Database>, teamIds: string[], s: InboxScope): Promise<Record<InboxTab, number>> {
  const token = await changeToken(db, COUNTED_TABLES);
  if (token === null) return tabCounts(db, teamIds, s);
  let cache = countCache.get(db);
  if (!cache) countCache.set(db, (cache = new Map()));
  const key = JSON.stringify([teamIds, s]);
  let entry = cache.get(key);
  if (entry?.token !== token) {
    const counts = tabCounts(db, teamIds, s);
    const mine = (entry = { token, counts });
    counts.catch(() => { if (cache.get(key) === mine) cache.delete(key); });
  }
  // Map keeps insertion order: re-inserting marks it most recently used.
  cache.delete(key);
  cache.set(key, entry);
  if (cache.size > COUNTS_KEPT) cache.delete(cache.keys().next().value as string);
  return { ...(await entry.counts) };
}

/** Cases in scope per tab, over all of `teamIds` (a count needs no order, so one query serves every team). */
export async function tabCounts(db: Db, teamIds: string[], s: InboxScope): Promise<Record<InboxTab, number>> {
  const count = async (tab: InboxTab) => {
    const r = await scoped(db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).where('cases.team_id', 'in', teamIds), { ...s, tab })
      .executeTakeFirst();
    return toCount(r?.n);
  };
  return { open: await count('open'), closed: await count('closed') };
}

/** Reporter messages after this user's read marker, per case. */
export async function unreadCounts(db: Db, staffId: string, caseIds: number[]): Promise<Map<number, number>> {
  if (caseIds.length === 0) return new Map();
  // Compiled once per number of ids (one shape each), as teamPage is.
  const rows = await shapedQuery(db, `inbox unread ${caseIds.length}`, [staffId, ...caseIds], (slot) => db.selectFrom('messages')
    .leftJoin('case_reads', (j) => j.onRef('case_reads.case_id', '=', 'messages.case_id').on('case_reads.staff_id', '=', slot(0) as string))
    .select(['messages.case_id', (eb) => eb.fn.countAll().as('n')])
    .where('messages.case_id', 'in', caseIds.map((_, i) => slot(i + 1) as number))
    .where('messages.sender', '=', 'reporter')
    .where((eb) => eb.or([eb('case_reads.read_n', 'is', null), eb('messages.n', '>', eb.ref('case_reads.read_n'))]))
    .groupBy('messages.case_id'));
  return new Map(rows.map((r) => [r.case_id, Number(r.n)]));
}

/**
 * Units a team covers: those of the commands whose PSU it is. A central team (DPS) takes reports
 * from any unit (a reporter avoiding their own PSU, or a category routed centrally), so it covers all.
 */
export async function coveredUnits(db: Db, teamIds: string[]) {
  if (teamIds.length === 0) return [];
  const central = await db.selectFrom('teams').select('id').where('id', 'in', teamIds).where('central', '=', 1).executeTakeFirst();
  let q = db.selectFrom('units').innerJoin('commands', 'commands.id', 'units.command_id')
    .select(['units.id', 'units.label', 'units.command_id as command', 'commands.label as commandLabel']);
  if (!central) q = q.where('commands.psu_team_id', 'in', teamIds);
  return q.orderBy('units.label').orderBy('units.id').execute();
}
