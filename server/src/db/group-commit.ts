// Group commit: writes arriving within a few milliseconds of each other share
// one transaction, so one fsync (SQLite, synchronous=FULL) or one WAL flush
// (PostgreSQL) covers many of them. A batch runs first without savepoints;
// if a write fails, that attempt is rolled back whole and the batch runs again
// with a savepoint per write, so the failing one is rolled back alone and
// rejected with its own error while the others go on. A write may therefore
// run twice: it must only touch the database through `tx`. Nobody is answered
// before the transaction has committed: promises settle only after COMMIT
// returned, and if the commit fails every write in the batch is rejected
// (nothing of it was stored).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database.ts';

type Tx = Transaction<Database>;

/** How a batch is written: `one` item at a time (isolated under savepoints), or `many` at once. */
export interface BatchWriter<T, R> {
  one(tx: Tx, item: T): Promise<R>;
  /** The optimistic path for a whole batch (results in item order): e.g. one multi-row INSERT per table. */
  many?(tx: Tx, items: T[]): Promise<R[]>;
}

interface Pending<T, R> {
  item: T;
  resolve(value: R): void;
  reject(err: unknown): void;
}

export interface GroupCommitOptions {
  /** How long the first write of a batch waits for company, in ms. */
  windowMs?: number;
  /** Writes per transaction at most. */
  maxBatch?: number;
}

export class GroupCommit<T, R> {
  readonly #db: Kysely<Database>;
  readonly #writer: BatchWriter<T, R>;
  readonly #windowMs: number;
  readonly #maxBatch: number;
  #queue: Pending<T, R>[] = [];
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  /** Transactions committed (or failed) so far: tests read it to see that writes were grouped. */
  batches = 0;

  constructor(db: Kysely<Database>, writer: BatchWriter<T, R>, opts: GroupCommitOptions = {}) {
    this.#db = db;
    this.#writer = writer;
    this.#windowMs = opts.windowMs ?? 2;
    this.#maxBatch = opts.maxBatch ?? 100;
  }

  /** Writes `item` in the next group transaction; settles once that transaction has committed. */
  run(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule(this.#windowMs);
    });
  }

  /** Waits until everything queued so far has been committed or rejected. */
  async drain(): Promise<void> {
    while (this.#flushing || this.#queue.length > 0) {
      if (!this.#flushing) this.#flushNow();
      await this.#flushing;
    }
  }

  #schedule(delay: number): void {
    // While a batch commits, arrivals wait for it to finish: they have waited long enough by then.
    if (this.#flushing || this.#timer || this.#queue.length === 0) return;
    this.#timer = setTimeout(() => this.#flushNow(), delay);
  }

  #flushNow(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#flushing || this.#queue.length === 0) return;
    const batch = this.#queue.splice(0, this.#maxBatch);
    this.#flushing = this.#commit(batch).finally(() => {
      this.#flushing = null;
      this.#schedule(0);
    });
  }

  async #commit(batch: Pending<T, R>[]): Promise<void> {
    let outcomes: Outcome<R>[];
    try {
      // Optimistic first: one round trip less per write on PostgreSQL. Almost every batch succeeds whole;
      // if any write fails, that attempt rolls back entirely (nothing answered) and the batch runs again
      // with a savepoint per write, so the failing one is isolated.
      outcomes = await this.#attempt(batch, false) ?? (await this.#attempt(batch, true))!;
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    } finally {
      this.batches++;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value); else p.reject(o.err);
    });
  }

  /** One transaction over the batch; without savepoints, null when a write failed (all rolled back). */
  async #attempt(batch: Pending<T, R>[], savepoints: boolean): Promise<Outcome<R>[] | null> {
    const outcomes: Outcome<R>[] = [];
    try {
      await this.#db.transaction().execute(async (tx) => {
        if (!savepoints && batch.length > 1 && this.#writer.many) {
          let values: R[];
          try {
            values = await this.#writer.many(tx, batch.map((p) => p.item));
          } catch {
            throw new WriteFailed();
          }
          for (const value of values) outcomes.push({ ok: true, value });
          return;
        }
        for (const p of batch) {
          if (!savepoints) {
            try {
              outcomes.push({ ok: true, value: await this.#writer.one(tx, p.item) });
            } catch (err) {
              // A lone write needs no second attempt: its error is the batch's only outcome.
              if (batch.length === 1) outcomes.push({ ok: false, err });
              throw new WriteFailed();
            }
            continue;
          }
          await sql`SAVEPOINT group_item`.execute(tx);
          try {
            const value = await this.#writer.one(tx, p.item);
            await sql`RELEASE SAVEPOINT group_item`.execute(tx);
            outcomes.push({ ok: true, value });
          } catch (err) {
            // PostgreSQL refuses every statement after an error until this rollback.
            await sql`ROLLBACK TO SAVEPOINT group_item`.execute(tx);
            await sql`RELEASE SAVEPOINT group_item`.execute(tx);
            outcomes.push({ ok: false, err });
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

type Outcome<R> = { ok: true; value: R } | { ok: false; err: unknown };

/** Rolls the optimistic attempt back; never leaves this module. */
class WriteFailed extends Error {}
