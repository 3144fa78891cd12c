// WAL checkpoints off the event loop, for the server's SQLite handle (durability 'barrier').
// An automatic checkpoint runs inside the COMMIT that crosses wal_autocheckpoint (1000 pages): it copies
// pages into the database file and syncs the WAL and the database file, all on the event loop (a commit
// with one averaged 1.9 ms against 1.3 ms without here; on a slow disk each of its two syncs took
// 10-16 ms). Here the server's connection stops checkpointing by itself (wal_autocheckpoint=0) and a
// worker thread with its own connection runs PRAGMA wal_checkpoint(PASSIVE) every CHECKPOINT_EVERY_MS:
// PASSIVE never waits for readers or writers, and SQLite restarts the WAL from its start at the next write
// once everything in it has been checkpointed. Durability does not depend on it (a commit is durable
// once its WAL frames are synced: durability.ts). If the worker fails, the connection goes back to
// automatic checkpoints so the WAL cannot grow without bound.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import type { Database } from './database.ts';

export const CHECKPOINT_EVERY_MS = 250;

// CommonJS inside the worker: better-sqlite3 is loaded by absolute path, so the worker does not depend on
// the process's working directory or loader.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let runs = 0;
const timer = setInterval(() => {
  try { checkpoint.get(); runs++; parentPort.postMessage({ runs }); }
  catch (err) { if (!/busy|locked/i.test(String(err && err.code))) throw err; }
}, workerData.everyMs);
parentPort.on('message', (m) => { if (m === 'stop') { clearInterval(timer); db.close(); parentPort.close(); } });
`;

export interface Checkpointer {
  /** Checkpoints the worker has run (tests). */
  runs(): number;
  stop(): Promise<void>;
}

/** Starts the worker; `fallback` is called if it fails (the caller turns automatic checkpoints back on). */
export function startCheckpointer(file: string, fallback: (err: Error) => void, everyMs = CHECKPOINT_EVERY_MS): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(SOURCE, { eval: true, workerData: { file, driver, everyMs } });
  let runs = 0;
  let stopping = false;
  worker.on('message', (m: { runs: number }) => { runs = m.runs; });
  worker.on('error', (err: unknown) => { if (!stopping) fallback(err instanceof Error ? err : new Error(String(err))); });
  worker.on('exit', (code) => { if (!stopping) fallback(new Error(`checkpointer exited with ${code}`)); });
  // The process may exit without waiting for it (tools, tests): close() stops it explicitly.
  worker.unref();
  return {
    runs: () => runs,
    stop: async () => {
      if (stopping) return;
      stopping = true;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 2000).unref())]);
      await worker.terminate();
    },
  };
}

const checkpointers = new WeakMap<Kysely<Database>, Checkpointer>();

export function registerCheckpointer(db: Kysely<Database>, c: Checkpointer): void {
  checkpointers.set(db, c);
}

/** The checkpointer of a handle opened with durability 'barrier' (tests). */
export function checkpointerOf(db: Kysely<Database>): Checkpointer | undefined {
  return checkpointers.get(db);
}
