// The daily reshuffle (issue #11; docs/THREAT-MODEL.md "What remains: PostgreSQL's own
// bookkeeping"). The application stores only days, random ids and per-case order, but the database
// engine keeps its own arrival order: PostgreSQL's xmin and ctid, SQLite's page allocation. Once a
// day, shortly after midnight in London, this job takes that order out of the rows written since
// its last run, so two reports of one day cannot be ordered against each other, or against the
// staff actions of that day, from the stored rows.
//
// Several instances may run it at once: on PostgreSQL the first takes an advisory lock and the day's
// run marker (reshuffle_runs, primary key = day) commits with the rewrite; the others skip. One
// content-free audit entry per run: the day and how many rows were rewritten.
import { sql, type Kysely, type Transaction } from 'kysely';
import { auditIn, type AuditContext } from '../audit/log.ts';
import type { Database } from '../db/database.ts';
import { isPostgres, isUniqueViolation } from '../db/dialect.ts';
import { vacuumSqlite, type VacuumOptions } from '../db/vacuum.ts';
import { plan, rewrite, type Since } from './reshuffle-pg.ts';

export interface ReshuffleContext extends AuditContext {
  db: Kysely<Database>;
  today: () => string;
  /** SQLite: how the file is rebuilt (tests hold it; db/vacuum.ts). */
  vacuum?: VacuumOptions;
}

export type ReshuffleResult =
  /**
   * This instance rewrote `rows` rows (PostgreSQL) or rebuilt the file (SQLite: `rows` = pages);
   * vacuumed: the old row versions were vacuumed (false: some table was busy, tomorrow's run vacuums again).
   */
  | { ran: true; day: string; rows: number; vacuumed: boolean }
  /** Today's run is done already ('done'), or another instance is running it now ('busy'). */
  | { ran: false; day: string; reason: 'done' | 'busy' };

/** An arbitrary constant naming the reshuffle's advisory lock (the purge's is 727_001). */
const RESHUFFLE_LOCK = 727_002;
/** age() is a 32-bit distance: beyond this the horizon is too old to compare, so everything is rewritten. */
const MAX_AGE = 2 ** 31 - 1;

export async function reshuffle(ctx: ReshuffleContext): Promise<ReshuffleResult> {
  return isPostgres(ctx.db) ? reshufflePostgres(ctx) : reshuffleSqlite(ctx);
}

/** Whether today's run is still to do (cheap; the timer asks this every few minutes). */
export async function reshuffleDue(db: Kysely<Database>, day: string): Promise<boolean> {
  return (await db.selectFrom('reshuffle_runs').select('day').where('day', '=', day).executeTakeFirst()) === undefined;
}

async function reshufflePostgres(ctx: ReshuffleContext): Promise<ReshuffleResult> {
  const day = ctx.today();
  let tables: string[] = [];
  const out = await ctx.db.transaction().execute(async (tx): Promise<ReshuffleResult> => {
    const locked = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${RESHUFFLE_LOCK}) AS ok`.execute(tx);
    if (locked.rows[0]?.ok !== true) return { ran: false, day, reason: 'busy' };
    if (!(await reshuffleDue(tx, day))) return { ran: false, day, reason: 'done' };
    // The copy is bulk work, exempt from the request timeout; but it must not queue behind a long
    // writer for ever while holding the locks it already has: give up and retry on the next tick.
    await sql`SET LOCAL statement_timeout = 0`.execute(tx);
    await sql`SET LOCAL lock_timeout = '10s'`.execute(tx);
    const p = await plan(tx);
    tables = p.tables;
    // EXCLUSIVE: reads go on, writes wait; so no row changes between its copy and its re-insert, and
    // no writer of these tables is still in progress when the horizon below is taken.
    await sql`LOCK TABLE ${sql.join(p.tables.map((t) => sql.id(t)))} IN EXCLUSIVE MODE`.execute(tx);
    const ids = await sql<{ xid: string; horizon: string }>`
      SELECT txid_current()::text AS xid, txid_snapshot_xmin(txid_current_snapshot())::text AS horizon`.execute(tx);
    const xid = BigInt(ids.rows[0]!.xid);
    const horizon = BigInt(ids.rows[0]!.horizon);
    const rows = await rewrite(tx, p, await sinceLastRun(tx, xid));
    await tx.insertInto('reshuffle_runs').values({ day, horizon: horizon.toString(), xid: xid.toString(), rows }).execute();
    await auditIn(ctx, tx, { actor: null, action: 'retention.reshuffle', detail: { day, rows } });
    // Nothing rewritten: nothing to vacuum.
    return { ran: true, day, rows, vacuumed: rows === 0 };
  }).catch((err: unknown) => {
    // Another instance that got past the lock check between our transactions: its marker won.
    if (isUniqueViolation(err)) return { ran: false as const, day, reason: 'done' as const };
    throw err;
  });
  if (!out.ran || out.rows === 0) return out;
  // Plain VACUUM: the old row versions (and their xmin) become free space to be overwritten. It does
  // not erase their bytes, nor the WAL (docs/THREAT-MODEL.md). Not in a transaction, one table at a
  // time; reads and writes go on meanwhile. A failure (a server's pool timeout on a large table) is
  // reported, and tomorrow's run vacuums again.
  let vacuumed = true;
  for (const t of tables) {
    try {
      await sql`VACUUM ${sql.id(t)}`.execute(ctx.db);
    } catch {
      vacuumed = false;
    }
  }
  return { ...out, vacuumed };
}

/** The rows the last run did not see: written by transactions from its horizon on, except its own. */
async function sinceLastRun(tx: Transaction<Database>, current: bigint): Promise<Since> {
  const last = await tx.selectFrom('reshuffle_runs').select(['horizon', 'xid']).where('horizon', 'is not', null)
    .orderBy('day', 'desc').limit(1).executeTakeFirst();
  if (!last || last.horizon === null || last.xid === null) return { all: true };
  const maxAge = current - BigInt(last.horizon);
  const lastRunAge = current - BigInt(last.xid);
  if (maxAge >= BigInt(MAX_AGE) || maxAge < 0n) return { all: true };
  return { all: false, maxAge: Number(maxAge), lastRunAge: lastRunAge < BigInt(MAX_AGE) ? Number(lastRunAge) : null };
}

/**
 * SQLite keeps no transaction ids, and the reporter tables are ordered by their random keys
 * (WITHOUT ROWID, or a rowid that is the random case id); but pages are allocated as rows arrive,
 * so page numbers (a long report's overflow pages above all) still follow arrival. VACUUM rebuilds
 * the file table by table in key order; a TRUNCATE checkpoint then empties the WAL file that held
 * the old pages. The marker and the audit entry commit first (VACUUM cannot run in a transaction);
 * should VACUUM fail, tomorrow's run rebuilds the file anyway. `vacuumed` is false too when the WAL
 * could not be emptied (readers kept it busy): its old frames stay until it is.
 */
async function reshuffleSqlite(ctx: ReshuffleContext): Promise<ReshuffleResult> {
  const day = ctx.today();
  const claimed = await ctx.db.transaction().execute(async (tx) => {
    if (!(await reshuffleDue(tx, day))) return false;
    const pages = await sql<{ page_count: number }>`PRAGMA page_count`.execute(tx);
    const rows = Number(pages.rows[0]?.page_count ?? 0);
    await tx.insertInto('reshuffle_runs').values({ day, horizon: null, xid: null, rows }).execute();
    await auditIn(ctx, tx, { actor: null, action: 'retention.reshuffle', detail: { day, pages: rows } });
    return rows;
  }).catch((err: unknown) => {
    // Another process holds the write lock (its own run, most likely): tomorrow, or the next tick, decides.
    if (String((err as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY')) return 'busy' as const;
    throw err;
  });
  if (claimed === 'busy') return { ran: false, day, reason: 'busy' };
  if (claimed === false) return { ran: false, day, reason: 'done' };
  let vacuumed = true;
  try {
    // Off the event loop: reads are answered meanwhile, writes get a quick 503 (db/vacuum.ts).
    vacuumed = (await vacuumSqlite(ctx.db, ctx.vacuum)).truncated;
  } catch {
    vacuumed = false;
  }
  return { ran: true, day, rows: claimed, vacuumed };
}
