// Group commit: writes arriving within a few milliseconds of each other share
// one transaction, so one fsync (SQLite, synchronous=FULL) or one WAL flush
// (PostgreSQL) covers many of them. Each write runs under its own savepoint:
// one that fails is rolled back alone and rejected with its own error, the
// others go on. Nobody is answered before the transaction has committed:
// promises settle only after COMMIT returned, and if the commit fails every
// write in the batch is rejected (nothing of it was stored).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database.ts';

export type Work<R> = (tx: Transaction<Database>) => Promise<R>;

interface Pending {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export interface GroupCommitOptions {
  /** How long the first write of a batch waits for company, in ms. */
  windowMs?: number;
  /** Writes per transaction at most. */
  maxBatch?: number;
}

export class GroupCommit {
  readonly #db: Kysely<Database>;
  readonly #windowMs: number;
  readonly #maxBatch: number;
  #queue: Pending[] = [];
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  /** Transactions committed (or failed) so far: tests read it to see that writes were grouped. */
  batches = 0;

  constructor(db: Kysely<Database>, opts: GroupCommitOptions = {}) {
    this.#db = db;
    this.#windowMs = opts.windowMs ?? 2;
    this.#maxBatch = opts.maxBatch ?? 100;
  }

  /** Runs `work` in the next group transaction; settles once that transaction has committed. */
  run<R>(work: Work<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
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

  async #commit(batch: Pending[]): Promise<void> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; err: unknown })[] = [];
    try {
      await this.#db.transaction().execute(async (tx) => {
        for (const p of batch) {
          await sql`SAVEPOINT group_item`.execute(tx);
          try {
            const value = await p.work(tx);
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
}
