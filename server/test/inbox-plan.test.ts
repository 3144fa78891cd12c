// A user in two teams gets an index-ordered inbox: each team's page is its own
// query on an index led by team_id, so the database never sorts the user's
// cases. The plans of the queries the inbox really runs are checked (no Sort
// node on PostgreSQL, no temp B-tree for ORDER BY on SQLite), and so is the
// merged order against the same cases sorted here.
import { CompiledQuery, createQueryId, isCompilable, type Compilable, type Kysely, type QueryId, type RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CROCKFORD } from '../../shared/src/domain/reference.ts';
import { addDays, clockFor } from '../../shared/src/domain/clock.ts';
import { principalOf } from '../src/auth/repository.ts';
import type { AppContext } from '../src/context.ts';
import type { Database } from '../src/db/database.ts';
import { inbox } from '../src/triage/inbox.ts';
import { tabCounts } from '../src/triage/inbox-repository.ts';
import { dialects } from './databases.ts';
import { makeApp, testContext, TODAY, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

const LEAD = 'two-team-lead';
const TEAMS = ['frontline-hq-psu', 'specialist-ops-psu'];
const PER_TEAM = 1500;
const STATUSES = ['received', 'acknowledged', 'assessing', 'closed'];

const refOf = (n: number): string => {
  let s = '';
  for (let i = 0; i < 8; i++, n = Math.floor(n / 32)) s += CROCKFORD[n % 32];
  return `RC-${s.slice(0, 4)}-${s.slice(4)}`;
};

/** Synthetic cases (placeholder ciphertext) wrapped to the two-team lead: enough rows that the planner's choice means something. */
async function fill(db: Kysely<Database>): Promise<void> {
  let n = 1_000_000;
  for (const team of TEAMS) {
    for (let start = 0; start < PER_TEAM; start += 250) {
      const rows = Array.from({ length: 250 }, (_, i) => {
        const k = start + i;
        const received = addDays(TODAY, -(k % 200));
        const status = STATUSES[k % 4]!;
        n++;
        return {
          // Ids are random in production (migration 010); distinct fixed ones here, the plan is the same.
          id: n, case_ref: refOf(n), access_hash: `plan-${n}`, reporter_pk: 'pk', mode: 'anonymous', category_id: 'bullying', unit_id: null, team_id: team,
          status, received_on: received, report_nonce: 'n', report_ct: 'c', reporter_key: 'k', next_due_on: clockFor(received, status).due,
          last_activity_on: addDays(received, k % 7),
        };
      });
      const ids = await db.insertInto('cases').values(rows).returning('id').execute();
      await db.insertInto('case_keys').values(ids.map((r) => ({ case_id: r.id, recipient_id: LEAD, kind: 'staff' as const, sealed: 'w', identity: 0 }))).execute();
    }
  }
}

/**
 * Records the queries run through `executeQuery`, as executed: the inbox's page and unread queries are
 * compiled once per shape (db/precompiled.ts shapedQuery) and run that way, so each team's execution is seen.
 */
function recorder(db: Kysely<Database>) {
  const seen: CompiledQuery[] = [];
  // A new instance (a no-op plugin), so the handle itself is left as it was.
  const rec = db.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => a.result });
  const run = rec.executeQuery.bind(rec);
  rec.executeQuery = ((q: CompiledQuery | Compilable, queryId?: QueryId) => {
    seen.push(isCompilable(q) ? q.compile() : q);
    return run(q, queryId);
  }) as typeof rec.executeQuery;
  return { db: rec, compiled: () => seen };
}

/** Records queries run from a builder (`.execute()`), which do not pass through `executeQuery`: compiled as they were run. */
function builtRecorder(db: Kysely<Database>) {
  const nodes: RootOperationNode[] = [];
  const rec = db.withPlugin({ transformQuery: (a) => (nodes.push(a.node), a.node), transformResult: async (a) => a.result });
  return { db: rec, compiled: () => nodes.map((n) => db.getExecutor().compileQuery(n, createQueryId())) };
}

describe.each(dialects)('two-team inbox plan on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  let s: Session;
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: [LEAD], now: clock.now });
    s = await signIn(t.app, clock, LEAD);
    await fill(t.tdb.handle.db);
    await t.tdb.handle.db.executeQuery(CompiledQuery.raw('ANALYZE'));
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  const plan = async (c: CompiledQuery): Promise<string> => {
    const prefix = dialect.name === 'postgres' ? 'EXPLAIN ' : 'EXPLAIN QUERY PLAN ';
    const res = await t.tdb.handle.db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(prefix + c.sql, [...c.parameters]));
    return res.rows.map((r) => String(r['QUERY PLAN'] ?? r.detail)).join('\n');
  };
  const sorts = (p: string) => (dialect.name === 'postgres' ? /\bSort\b/.test(p) : p.includes('USE TEMP B-TREE FOR ORDER BY'));

  it('reads each order with one index-ordered query per team, never a sort over the cases', async () => {
    const p = await principalOf(t.tdb.handle.db, LEAD);
    expect(p!.teams.map((x) => x.id)).toEqual(TEAMS);
    for (const sort of ['due', 'received', 'activity'] as const) {
      const rec = recorder(t.tdb.handle.db);
      const ctx: AppContext = { ...testContext(rec.db), today: () => TODAY, now: () => clock.ms };
      const page = await inbox(ctx, p!, { sort, tab: 'open', limit: '25' });
      expect(page.cases).toHaveLength(25);
      const listed = rec.compiled().filter((c) => /order by/i.test(c.sql) && /from "cases"/i.test(c.sql));
      expect(listed).toHaveLength(TEAMS.length);
      for (const c of listed) {
        const text = await plan(c);
        expect(sorts(text), `${sort}:\n${text}`).toBe(false);
      }
    }
  });

  it('the check catches a sort: the old single query over team_id IN (…) needs one', async () => {
    const old = t.tdb.handle.db.selectFrom('cases').select(['id', 'case_ref']).where('team_id', 'in', TEAMS)
      .orderBy('next_due_on', 'asc').orderBy('received_on', 'desc').orderBy('id', 'desc').limit(26).compile();
    expect(sorts(await plan(old))).toBe(true);
  });

  // SQLite only: whether PostgreSQL reads the index alone depends on its visibility map, not on the query.
  if (dialect.name === 'sqlite') {
    it('counts the tabs from cases_inbox alone, never reading a case row (which carries its sealed report)', async () => {
      const rec = builtRecorder(t.tdb.handle.db);
      const counts = await tabCounts(rec.db, TEAMS, { staffId: LEAD });
      expect(counts.open + counts.closed).toBe(2 * PER_TEAM);
      const queries = rec.compiled();
      expect(queries).toHaveLength(2); // open, closed
      for (const c of queries) {
        const text = await plan(c);
        expect(text, text).toMatch(/SEARCH cases USING COVERING INDEX cases_inbox/);
      }
      // The check catches a count that needs the row: a filter on status (not in the index) reads it.
      const other = builtRecorder(t.tdb.handle.db);
      await tabCounts(other.db, TEAMS, { staffId: LEAD, status: 'received' });
      expect(await plan(other.compiled()[0]!)).not.toMatch(/COVERING INDEX/);
    });
  }

  it('merges the teams’ pages in the same order a full sort gives, page after page', async () => {
    const db = t.tdb.handle.db;
    const all = await db.selectFrom('cases').select(['case_ref', 'next_due_on', 'received_on', 'id']).where('team_id', 'in', TEAMS).execute();
    const expected = all.sort((x, y) => (x.next_due_on! < y.next_due_on! ? -1 : x.next_due_on! > y.next_due_on! ? 1 : 0)
      || (x.received_on < y.received_on ? 1 : x.received_on > y.received_on ? -1 : 0) || y.id - x.id).map((r) => r.case_ref);
    const p1 = (await call(t.app, s, 'GET', '/cases?limit=40')).json();
    const p2 = (await call(t.app, s, 'GET', `/cases?limit=40&cursor=${p1.next}`)).json();
    expect([...p1.cases, ...p2.cases].map((c: { caseRef: string }) => c.caseRef)).toEqual(expected.slice(0, 80));
    expect(new Set(p1.cases.map((c: { team: { id: string } }) => c.team.id))).toEqual(new Set(TEAMS));
    expect(p1.counts.open + p1.counts.closed).toBe(2 * PER_TEAM);
  });
});
