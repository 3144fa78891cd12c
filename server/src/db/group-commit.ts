// Group commit: writes arriving within a few milliseconds of each other share
// one transaction, so one WAL sync (SQLite: the server's durability barrier,
// db/durability.ts; synchronous=FULL in tools) or one WAL flush
// (PostgreSQL) covers many of them. A batch runs first without savepoints;
// if a write fails, that attempt is rolled back whole and the batch runs again
// with a savepoint per write, so the failing one is rolled back alone and
// rejected with its own error while the others go on. A write may therefore
// run twice: it must only touch the database through `tx`. Nobody is answered
// before the transaction has committed: promises settle only after COMMIT
// returned, and if the commit fails every write in the batch is rejected
// (nothing of it was stored). On SQLite all groups on one handle share one
// queue (a lane), so a batch may hold several kinds of write. On PostgreSQL a
// lane writes up to two batches at once, on separate connections.
import { sql, SqliteAdapter, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database.ts';

type Tx = Transaction<Database>;

/** How a batch is written: `one` item at a time (isolated under savepoints), or `many` at once. */
export interface BatchWriter<T, R> {
  one(tx: Tx, item: T): Promise<R>;
  /** The optimistic path for a whole batch (results in item order): e.g. one multi-row INSERT per table. */
  many?(tx: Tx, items: T[]): Promise<R[]>;
  /**
   * The whole batch as one statement, run outside any transaction: for writes that are one statement
   * (atomic, and durable when it returns). Used where the lane holds only this group's writes
   * (PostgreSQL): one round trip per batch instead of BEGIN, the statement and COMMIT. If it throws, the
   * whole batch is rejected with its error, as when a COMMIT fails: it is not run again, since a statement
   * whose answer was lost may have committed (a stamp spent twice would then be refused as replayed).
   * It may instead answer null (this batch cannot be one statement: the transaction path runs as
   * usual) or ISOLATE (the database refused the statement, so certainly nothing of it was written,
   * e.g. a unique violation: the batch runs again with a savepoint per write, which names the culprit).
   */
  atomic?(db: Kysely<Database>, items: T[]): Promise<R[] | null | typeof ISOLATE>;
}

/** What BatchWriter.atomic answers when the database refused its statement whole (nothing written). */
export const ISOLATE = Symbol('isolate each write');

interface Pending {
  owner: GroupCommit<unknown, unknown>;
  writer: BatchWriter<unknown, unknown>;
  item: unknown;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export interface GroupCommitOptions {
  /** How long the first write of a batch waits for company, in ms. */
  windowMs?: number;
  /** Writes per transaction at most. */
  maxBatch?: number;
  /** PostgreSQL: batches written at once, each on a pooled connection of its own (SQLite: always one). */
  inFlight?: number;
}

/**
 * PostgreSQL: two batches at once. With one, the benchmark's submissions moved in lock-step (all 32 in
 * one batch; the server idle while the database wrote it, the database idle while the server worked);
 * a long queue split in two and written at once lets both sides work. Alternate bench runs: about 10%
 * more submissions per second than one at a time, for a little more CPU per submission (two statements
 * where there was one).
 */
const PG_IN_FLIGHT = 2;
/** A queue shorter than twice this goes out as one batch: splitting a few writes only adds statements. */
const SPLIT_MIN = 8;

/**
 * On SQLite every GroupCommit on one handle queues into the same lane, so different kinds of write
 * (a submission's proof-of-work spend, other submissions' cases) arriving together share one
 * transaction and one fsync, where each kind had its own: the one connection runs them one after the
 * other anyway, and each commit writes its WAL frames on the event loop. PostgreSQL
 * keeps a lane per group: there the kinds commit in parallel on pooled connections, and the server
 * groups their WAL flushes itself.
 */
class Lane {
  #queue: Pending[] = [];
  #timer: NodeJS.Timeout | null = null;
  /** Batches being written: on SQLite at most one (one connection); on PostgreSQL up to `inFlight`. */
  readonly #flushing = new Set<Promise<void>>();
  constructor(private readonly db: Kysely<Database>, private readonly shared: boolean, private readonly inFlight: number) {}

  push(p: Pending, windowMs: number): void {
    this.#queue.push(p);
    this.#schedule(windowMs);
  }

  async drain(): Promise<void> {
    while (this.#flushing.size > 0 || this.#queue.length > 0) {
      if (this.#flushing.size === 0) this.#flushNow();
      await Promise.all(this.#flushing);
    }
  }

  #schedule(delay: number): void {
    // While as many batches commit as may, arrivals wait for one to finish: they have waited long enough by then.
    if (this.#flushing.size >= this.inFlight || this.#timer || this.#queue.length === 0) return;
    this.#timer = setTimeout(() => this.#flushNow(), delay);
  }

  #flushNow(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const free = this.inFlight - this.#flushing.size;
    if (free <= 0 || this.#queue.length === 0) return;
    // A long queue is shared among the free connections (the rest start at once below), so they write together.
    const waiting = this.#queue.length;
    const size = waiting < 2 * SPLIT_MIN ? waiting : Math.ceil(waiting / free);
    const batch = this.#queue.splice(0, Math.min(size, this.#queue[0]!.owner.maxBatch));
    const flush: Promise<void> = this.#commit(batch).finally(() => {
      this.#flushing.delete(flush);
      this.#schedule(0);
    });
    this.#flushing.add(flush);
    if (this.#queue.length > 0 && this.#flushing.size < this.inFlight) this.#flushNow();
  }

  async #commit(batch: Pending[]): Promise<void> {
    let outcomes: Outcome<unknown>[];
    try {
      // Optimistic first: one round trip less per write on PostgreSQL. Almost every batch succeeds whole;
      // if any write fails, that attempt rolls back entirely (nothing answered) and the batch runs again
      // with a savepoint per write, so the failing one is isolated.
      const atOnce = await this.#atomic(batch);
      outcomes = atOnce === ISOLATE
        ? (await this.#attempt(batch, true))!
        : atOnce ?? await this.#attempt(batch, false) ?? (await this.#attempt(batch, true))!;
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    } finally {
      for (const owner of new Set(batch.map((p) => p.owner))) owner.batches++;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value); else p.reject(o.err);
    });
  }

  /** The batch as one statement without a transaction, when its writer allows it (null: not possible). */
  async #atomic(batch: Pending[]): Promise<Outcome<unknown>[] | null | typeof ISOLATE> {
    const writer = batch[0]!.writer;
    if (this.shared || !writer.atomic || batch.some((p) => p.writer !== writer)) return null;
    const values = await writer.atomic(this.db, batch.map((p) => p.item));
    if (values === null || values === ISOLATE) return values;
    return values.map((value) => ({ ok: true, value }));
  }

  /** One transaction over the batch; without savepoints, null when a write failed (all rolled back). */
  async #attempt(batch: Pending[], savepoints: boolean): Promise<Outcome<unknown>[] | null> {
    const outcomes: Outcome<unknown>[] = new Array(batch.length);
    try {
      await this.db.transaction().execute(async (tx) => {
        if (!savepoints) {
          // Each writer's items together (its `many`: one INSERT per table), results back in queue order.
          const byOwner = new Map<GroupCommit<unknown, unknown>, number[]>();
          batch.forEach((p, i) => { const at = byOwner.get(p.owner); if (at) at.push(i); else byOwner.set(p.owner, [i]); });
          for (const at of byOwner.values()) {
            const writer = batch[at[0]!]!.writer;
            try {
              if (at.length > 1 && writer.many) {
                const values = await writer.many(tx, at.map((i) => batch[i]!.item));
                at.forEach((i, k) => { outcomes[i] = { ok: true, value: values[k] }; });
              } else {
                for (const i of at) outcomes[i] = { ok: true, value: await writer.one(tx, batch[i]!.item) };
              }
            } catch (err) {
              // A lone write needs no second attempt: its error is the batch's only outcome.
              if (batch.length === 1) outcomes[0] = { ok: false, err };
              throw new WriteFailed();
            }
          }
          return;
        }
        for (const [i, p] of batch.entries()) {
          await sql`SAVEPOINT group_item`.execute(tx);
          try {
            const value = await p.writer.one(tx, p.item);
            await sql`RELEASE SAVEPOINT group_item`.execute(tx);
            outcomes[i] = { ok: true, value };
          } catch (err) {
            // PostgreSQL refuses every statement after an error until this rollback.
            await sql`ROLLBACK TO SAVEPOINT group_item`.execute(tx);
            await sql`RELEASE SAVEPOINT group_item`.execute(tx);
            outcomes[i] = { ok: false, err };
          }
        }
      });
    } catch (err) {
      if (!(err instanceof WriteFailed)) throw err;
      return batch.length === 1 ? outcomes : null;
    }
    return outcomes;
  }
}

const lanes = new WeakMap<Kysely<Database>, Lane>();

/** Whether `db` writes through one SQLite connection (anything else, including stand-ins in tests: no). */
function sqliteHandle(db: Kysely<Database>): boolean {
  try {
    return db.getExecutor().adapter instanceof SqliteAdapter;
  } catch {
    return false;
  }
}

export class GroupCommit<T, R> {
  readonly #lane: Lane;
  readonly #writer: BatchWriter<T, R>;
  readonly #windowMs: number;
  readonly maxBatch: number;
  /** Transactions that held writes of this group, committed (or failed) so far: tests read it to see that writes were grouped. */
  batches = 0;

  constructor(db: Kysely<Database>, writer: BatchWriter<T, R>, opts: GroupCommitOptions = {}) {
    const shared = sqliteHandle(db);
    let lane = shared ? lanes.get(db) : undefined;
    if (!lane) {
      lane = new Lane(db, shared, shared ? 1 : (opts.inFlight ?? PG_IN_FLIGHT));
      if (shared) lanes.set(db, lane);
    }
    this.#lane = lane;
    this.#writer = writer;
    this.#windowMs = opts.windowMs ?? 2;
    this.maxBatch = opts.maxBatch ?? 100;
  }

  /** Writes `item` in the next group transaction; settles once that transaction has committed. */
  run(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#lane.push({
        owner: this as GroupCommit<unknown, unknown>, writer: this.#writer as BatchWriter<unknown, unknown>, item,
        resolve: resolve as (v: unknown) => void, reject,
      }, this.#windowMs);
    });
  }

  /** Waits until everything queued so far in this group's lane has been committed or rejected. */
  drain(): Promise<void> {
    return this.#lane.drain();
  }
}

type Outcome<R> = { ok: true; value: R } | { ok: false; err: unknown };

/** Rolls the optimistic attempt back; never leaves this module. */
class WriteFailed extends Error {}
