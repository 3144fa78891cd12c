// The durability barrier for the server's SQLite handle: "nothing is
// acknowledged before it is on disk" without an fsync on the event loop.
//
// In WAL mode, synchronous=FULL means exactly one thing more than NORMAL: the
// WAL file is synced at the end of every commit (sqlite3WalFrames). NORMAL
// still syncs at checkpoints (WAL first, then the database file), still syncs
// the WAL header when the WAL restarts, and still writes each commit's frames
// to the file (into the OS page cache) before COMMIT returns. So after COMMIT
// returned under NORMAL, an fdatasync of the -wal file makes that commit as
// durable as FULL would have, and a sync started after a commit covers it
// (and every commit before it). better-sqlite3 runs the FULL sync inside
// COMMIT, on the event loop (10-16 ms on the shared disk, hundreds under
// load), and nothing else moves meanwhile; here the same fdatasync runs on the
// libuv thread pool while the loop serves other requests, and everyone whose
// commit it covers shares it.
//
// FULL would also pad the commit to a sector boundary when the device lacks
// powersafe overwrite; SQLite's unix VFS assumes it (SQLITE_POWERSAFE_OVERWRITE
// defaults to 1), so FULL does not pad here either. FULL syncs the directory
// once after creating the WAL; the barrier does the same for every WAL file it
// opens.
//
// Bookkeeping: every write statement passes through the statement cache
// (statement-cache.ts), which counts it (`written`). A write has committed once
// the connection is outside a transaction again: better-sqlite3 runs a
// statement synchronously right after it is prepared, and there is one
// connection. So `committed()` is `written` when no transaction is open, and
// the count as it stood when the open transaction began otherwise (its writes
// may still roll back or commit later; writes before it are settled). A sync
// covers what `committed()` was when it started. Rolled-back writes are
// counted too: they only cost a sync nobody strictly needed.
//
// Who waits: app.ts adds an onSend hook that holds every response while any
// committed write is not yet covered by a finished sync (plugins/durability.ts).
// That includes a read that may have seen another request's unsynced commit,
// so nobody is shown data that a crash could still take back. A failed sync
// fails the barrier for good (after a failed fsync the kernel may have dropped
// the dirty pages and a later fsync can succeed without them): every later
// wait rejects and the server must be restarted.
import { close, fdatasync, fstat, fsync, open, stat } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from './database.ts';

const pOpen = promisify(open);
const pClose = promisify(close);
const pFstat = promisify(fstat);
const pStat = promisify(stat);
const pFdatasync = promisify(fdatasync);
const pFsync = promisify(fsync);

/** What the barrier does to the disk; tests replace it to see (and hold) each sync. */
export interface SyncFs {
  /** fdatasync of the file at `path` (the barrier keeps the descriptor). */
  datasync(fd: number): Promise<void>;
}

export const realSyncFs: SyncFs = { datasync: (fd) => pFdatasync(fd) };

export interface BarrierStats {
  /** fdatasyncs run. */
  syncs: number;
  /** Times the WAL file was (re)opened because the path named a different file. */
  opens: number;
}

export class DurabilityBarrier {
  #written = 0;
  #floor = 0;
  #synced = 0;
  #inflight: Promise<void> | null = null;
  #failed: Error | null = null;
  #fd: number | null = null;
  #ino: { dev: number; ino: number } | null = null;
  #closed = false;
  readonly stats: BarrierStats = { syncs: 0, opens: 0 };

  /**
   * wal: the -wal path; main: the database file, synced instead when there is no WAL file (it was
   * checkpointed and removed, so what was committed is there); inTransaction: the connection's state.
   */
  constructor(
    private readonly wal: string,
    private readonly main: string,
    private readonly inTransaction: () => boolean,
    private readonly fs: SyncFs = realSyncFs,
  ) {}

  /** A write statement is about to run (statement-cache.ts calls it right before). */
  wrote(): void {
    this.#written++;
  }

  /** A statement is about to run: outside a transaction every write counted so far has settled. */
  ran(): void {
    if (!this.inTransaction()) this.#floor = this.#written;
  }

  committed(): number {
    return this.inTransaction() ? this.#floor : this.#written;
  }

  /** Whether a committed write is not yet covered by a finished sync. */
  dirty(): boolean {
    return this.#failed !== null || this.committed() > this.#synced;
  }

  /** Resolves once everything committed before the call is on disk; rejects if a sync failed. */
  async wait(): Promise<void> {
    const target = this.committed();
    while (this.#synced < target) {
      if (this.#failed) throw this.#failed;
      // Join the sync in flight: if it started before our commit it does not cover us, and the
      // first waiter woken starts the next one, which everyone still waiting then shares.
      if (!this.#inflight) this.#inflight = this.#syncOnce().finally(() => { this.#inflight = null; });
      await this.#inflight.catch(() => undefined);
    }
    if (this.#failed) throw this.#failed;
  }

  async #syncOnce(): Promise<void> {
    const covers = this.committed();
    try {
      const fd = await this.#current();
      await this.fs.datasync(fd);
      this.stats.syncs++;
      if (covers > this.#synced) this.#synced = covers;
    } catch (err) {
      this.#failed = err instanceof Error ? err : new Error(String(err));
      this.#failed.message = `durability barrier: ${this.#failed.message}`;
    }
  }

  /** The descriptor of the file now at the WAL path (reopened if it was replaced), or of the database file. */
  async #current(): Promise<number> {
    if (this.#closed) throw new Error('closed');
    let target = this.wal;
    let now: { dev: number; ino: number };
    try {
      now = await pStat(this.wal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      target = this.main;
      now = await pStat(this.main);
    }
    if (this.#fd !== null && this.#ino && this.#ino.dev === now.dev && this.#ino.ino === now.ino) return this.#fd;
    if (this.#fd !== null) await pClose(this.#fd).catch(() => undefined);
    this.#fd = null;
    const fd = await pOpen(target, 'r+');
    const st = await pFstat(fd);
    // A file first seen here may be new: its directory entry must be on disk as well.
    const dir = await pOpen(dirname(target), 'r');
    try { await pFsync(dir); } finally { await pClose(dir); }
    this.#fd = fd;
    this.#ino = { dev: st.dev, ino: st.ino };
    this.stats.opens++;
    return fd;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#inflight?.catch(() => undefined);
    if (this.#fd !== null) await pClose(this.#fd).catch(() => undefined);
    this.#fd = null;
  }
}

const barriers = new WeakMap<Kysely<Database>, DurabilityBarrier>();

export function registerBarrier(db: Kysely<Database>, barrier: DurabilityBarrier): void {
  barriers.set(db, barrier);
}

/** The barrier of a handle opened with durability 'barrier' (createDb); undefined: commits are durable when they return. */
export function barrierOf(db: Kysely<Database>): DurabilityBarrier | undefined {
  return barriers.get(db);
}
