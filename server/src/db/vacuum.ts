// SQLite's VACUUM off the event loop, for the daily reshuffle (retention/reshuffle.ts). VACUUM rebuilds
// the whole file: ~2-3 s for 100 000 cases here, far longer with attachments stored in the file. Run on
// the server's own connection it held the event loop for all of it: no answer at all, health checks
// included, so a supervisor could kill the process mid-rebuild. Here a worker thread with its own
// connection runs it, then empties the WAL file (TRUNCATE checkpoint) that now holds every page. Meanwhile
// the server's connection waits for no lock (busy_timeout 0): reads go on from the last committed state
// (WAL readers never wait for a writer), and a write meets SQLITE_BUSY at once, which the app answers
// 503 service_unavailable with Retry-After (db/unavailable.ts), instead of blocking the loop for the
// busy timeout. Nothing is acknowledged that is not stored.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';

export interface VacuumOptions {
  /**
   * Tests: before vacuuming, the worker takes the write lock (as VACUUM holds it) and keeps it until
   * `gate[0]` is set non-zero (Atomics.notify), calling `held` once it has it; so a test can look at
   * the server while the rebuild would be running, without depending on how long it takes.
   */
  hold?: { gate: Int32Array; held: () => void };
}

export interface VacuumResult {
  /** The WAL file was emptied after the rebuild (false: readers kept it busy; the next run tries again). */
  truncated: boolean;
}

/** How long the worker waits for the write lock before VACUUM (a writer finishing its commit). */
const WORKER_BUSY_MS = 10_000;
/**
 * How long it keeps asking for the WAL's truncation. A TRUNCATE checkpoint holds the write lock while it
 * waits for readers, so each try waits briefly and the tries stop after a few seconds: writes get 503s
 * meanwhile. Not emptied then, the WAL is still checkpointed by the checkpointer thread and reused
 * from its start; only its old frames stay on disk until overwritten (vacuumed: false in the log).
 */
const TRUNCATE_WAIT_MS = 200;
const TRUNCATE_FOR_MS = 5_000;

// CommonJS inside the worker, better-sqlite3 by absolute path (as db/checkpointer.ts does).
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: workerData.busyMs });
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
try {
  if (workerData.gate) {
    db.exec('BEGIN IMMEDIATE');
    parentPort.postMessage({ held: true });
    Atomics.wait(workerData.gate, 0, 0);
    db.exec('COMMIT');
  }
  db.exec('VACUUM');
  // The checkpointer thread's PASSIVE checkpoints (and readers) can make a TRUNCATE checkpoint busy: ask again, for a while.
  db.pragma('busy_timeout = ' + workerData.truncateWaitMs);
  const until = Date.now() + workerData.truncateForMs;
  let truncated = false;
  while (!truncated) {
    truncated = db.pragma('wal_checkpoint(TRUNCATE)')[0].busy === 0;
    if (truncated || Date.now() >= until) break;
    pause(50);
  }
  parentPort.postMessage({ done: true, truncated });
} finally {
  db.close();
}
`;

/** The file behind the handle's main database, or '' for an in-memory one. */
async function fileOf(db: Kysely<Database>): Promise<string> {
  const r = await sql<{ file: string }>`SELECT file FROM pragma_database_list WHERE name = 'main'`.execute(db);
  return r.rows[0]?.file ?? '';
}

/** VACUUM, then empty the WAL: in a worker thread for a database file, in place for an in-memory one (tests, tools). */
export async function vacuumSqlite(db: Kysely<Database>, opts: VacuumOptions = {}): Promise<VacuumResult> {
  const file = await fileOf(db);
  if (!file) {
    await sql`VACUUM`.execute(db);
    return { truncated: true };
  }
  const before = await sql<{ timeout: number }>`PRAGMA busy_timeout`.execute(db);
  const busyMs = Number(before.rows[0]?.timeout ?? 0);
  await sql`PRAGMA busy_timeout = 0`.execute(db);
  try {
    return await runWorker(file, opts);
  } finally {
    await sql.raw(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyMs))}`).execute(db);
  }
}

function runWorker(file: string, opts: VacuumOptions): Promise<VacuumResult> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: {
      file, driver, busyMs: WORKER_BUSY_MS, truncateWaitMs: TRUNCATE_WAIT_MS, truncateForMs: TRUNCATE_FOR_MS,
      ...(opts.hold ? { gate: opts.hold.gate } : {}),
    },
  });
  return new Promise<VacuumResult>((resolve, reject) => {
    let result: VacuumResult | undefined;
    worker.on('message', (m: { held?: true; done?: true; truncated?: boolean }) => {
      if (m.held) opts.hold?.held();
      if (m.done) result = { truncated: m.truncated === true };
    });
    worker.once('error', reject);
    // Resolved on exit, so the worker's connection is closed before the caller goes on.
    worker.once('exit', (code) => (result ? resolve(result) : reject(new Error(`vacuum worker exited with ${code}`))));
  });
}
