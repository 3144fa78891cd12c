// The triage inbox's first page over a large synthetic set (BENCH_CASES,
// default 100 000) on one dialect, out of process, for an officer in one team
// and, when the demo has one, for a member of several teams. On PostgreSQL it
// prints the query plan and whether the page comes out of the index in order.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { demoTotpSecret } from '../../seeds/demo.ts';
import { prepareDemoDatabase } from '../../seeds/prepare.ts';
import { secretsOf } from '../../seeds/staff.ts';
import { totpFor } from '../src/auth/totp.ts';
import type { Database } from '../src/db/database.ts';
import { createDb, type DialectKind } from '../src/db/dialect.ts';
import { teamPageQuery } from '../src/triage/inbox-repository.ts';
import { line, measure, progress, startChild, tempPg, type Child } from './load.ts';
import { seedLarge } from './seed-large.ts';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const ONE_TEAM = 'nw-bcu-psu-1';

async function target(kind: DialectKind): Promise<{ url: string; cleanup(): Promise<void> }> {
  if (kind === 'postgres') {
    const db = await tempPg('rc_bench_inbox');
    return { url: db.url, cleanup: () => db.drop() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-inbox-'));
  return { url: join(dir, 'inbox.sqlite'), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** Seeds the set; returns the users to measure (one team, and several teams if such a keyed member exists). */
export async function seedInbox(url: string): Promise<{ user: string; teams: string[] }[]> {
  // No statement timeout: on a busy machine ANALYZE of 100 000 cases can take longer than a request may.
  const handle = createDb(url, { statementTimeoutMs: 0 });
  try {
    const today = new Date().toISOString().slice(0, 10);
    await prepareDemoDatabase(handle, { today, demoSignIn: [ONE_TEAM] });
    const multi = await handle.db.selectFrom('team_members').innerJoin('staff', 'staff.id', 'team_members.staff_id')
      .select(['team_members.staff_id', (eb) => eb.fn.countAll().as('n')])
      .where('staff.public_key', 'is not', null).where('staff.role', 'in', ['triage', 'lead'])
      .groupBy('team_members.staff_id').having((eb) => eb.fn.countAll(), '>', 1).orderBy('team_members.staff_id').executeTakeFirst();
    if (multi) await prepareDemoDatabase(handle, { today, demoSignIn: [ONE_TEAM, multi.staff_id] });
    const t0 = performance.now();
    await seedLarge(handle.db, CASES, today);
    // What autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) does for a live database: planner statistics.
    await sql`ANALYZE`.execute(handle.db);
    process.stdout.write(`  seeded ${CASES} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const users = [ONE_TEAM, ...(multi ? [multi.staff_id] : [])];
    const out = [];
    for (const user of users) {
      const teams = await handle.db.selectFrom('team_members').select('team_id').where('staff_id', '=', user).execute();
      out.push({ user, teams: teams.map((t) => t.team_id) });
    }
    return out;
  } finally {
    await handle.close();
  }
}

export async function login(url: string, user: string): Promise<string> {
  const { loginSecret } = await secretsOf(user);
  const res = await fetch(`${url}/api/v1/staff/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user, loginSecret, totp: totpFor(demoTotpSecret(user)).generate() }),
  });
  if (!res.ok) throw new Error(`bench login ${user}: ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
}

/** EXPLAIN ANALYZE of the inbox's own first-page query, as Kysely compiles it. */
async function explain(url: string, user: string, teams: string[]): Promise<string[]> {
  let compiled: CompiledQuery | undefined;
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (e) => { if (e.level === 'query' && /from "cases"/.test(e.query.sql)) compiled ??= e.query; },
  });
  try {
    // The inbox runs one index-ordered query per team and merges them; the first team's is explained here.
    await teamPageQuery(db, teams[0]!, { staffId: user, tab: 'open' }, 'due', undefined, 26).execute();
    if (!compiled) return ['  (inbox query not captured)'];
    const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${compiled.sql}`, [...compiled.parameters]);
    const lines = plan.rows.map((r) => r['QUERY PLAN']);
    // Index-ordered = rows leave an index scan on cases_inbox in order; no full Sort node collects every matching case.
    const sorted = lines.some((l) => /^\s*(->\s*)?Sort\b/.test(l));
    const indexed = lines.some((l) => /Index Scan.*cases_inbox/.test(l));
    return [`  PostgreSQL plan for ${user} (${teams.length} team${teams.length > 1 ? 's' : ''}):`, ...lines.map((l) => `    ${l}`),
      `  index-ordered: ${indexed && !sorted ? 'yes (cases_inbox scanned in order, no Sort node)' : `NO (${sorted ? 'a Sort node' : 'no cases_inbox scan'})`}`];
  } finally {
    await db.destroy();
  }
}

export async function inboxBench(kind: DialectKind, bare: Child): Promise<string[]> {
  const db = await target(kind);
  const out: string[] = [];
  try {
    process.stdout.write(`inbox, ${kind}: seeding…\n`);
    const users = await seedInbox(db.url);
    const server = await startChild('serve.ts', [db.url]);
    try {
      for (const { user, teams } of users) {
        const cookie = await login(server.url, user);
        if (kind === 'postgres') out.push(...await explain(db.url, user, teams));
        const base = await measure({ url: `${bare.url}/bare` }, bare);
        const r = await measure({ url: `${server.url}/api/v1/staff/cases`, headers: { cookie } }, server);
        out.push(progress(line(`GET /staff/cases ${CASES / 1000}k, ${teams.length} team${teams.length > 1 ? 's' : ''} (${kind})`, r, base)));
      }
    } finally {
      await server.stop();
    }
  } finally {
    await db.cleanup();
  }
  return out;
}
