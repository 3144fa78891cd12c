// Finished answers kept between requests (the reporter's status check,
// case/view-cache.ts; the inbox page, triage/inbox-cache.ts): each is kept per
// key under a change token (data-version.ts) over every table it reads, taken
// BEFORE it is built, and the day it was built for; reused only while neither
// moved, so any write to those tables (by this process or any other connection)
// makes the next request build afresh. Requests arriving while an answer is
// built share the build; a failed build, and a null answer ("no such thing"),
// are never kept. Least recently used out first, within a budget.
import type { Kysely } from 'kysely';
import { changeToken } from './data-version.ts';
import type { Database } from './database.ts';

interface Entry<V> { token: string; day: string; value: Promise<V | null>; size: number }

export interface KeptAnswersOptions<V> {
  /** Every table the answer reads. */
  tables: readonly string[];
  /** What one kept answer costs against `budget` (e.g. its bytes, or 1 to count answers). */
  size: (value: V) => number;
  /** Per database handle. */
  budget: number;
}

export class KeptAnswers<V> {
  readonly #caches = new WeakMap<Kysely<Database>, Map<string, Entry<V>>>();
  /** Answers built so far (tests: a repeated request while nothing changed builds none). */
  builds = 0;
  constructor(private readonly o: KeptAnswersOptions<V>) {}

  /** The answer for `key` on `day`: kept, or made by `build` (null is answered but never kept). */
  async get(db: Kysely<Database>, key: string, day: string, build: () => Promise<V | null>): Promise<V | null> {
    const token = await changeToken(db, this.o.tables);
    if (token === null) {
      this.builds++;
      return build();
    }
    let cache = this.#caches.get(db);
    if (!cache) this.#caches.set(db, (cache = new Map()));
    const entry = cache.get(key);
    if (entry && entry.token === token && entry.day === day) {
      // Map keeps insertion order: re-inserting marks it most recently used.
      cache.delete(key);
      cache.set(key, entry);
      return entry.value;
    }
    this.builds++;
    const mine: Entry<V> = { token, day, value: build(), size: 0 };
    cache.delete(key);
    cache.set(key, mine);
    const forget = () => { if (cache.get(key) === mine) cache.delete(key); };
    let value: V | null;
    try {
      value = await mine.value;
    } catch (err) {
      forget();
      throw err;
    }
    if (value === null) forget();
    else if (cache.get(key) === mine) {
      mine.size = this.o.size(value);
      this.#evict(cache);
    }
    return value;
  }

  #evict(cache: Map<string, Entry<V>>): void {
    let total = 0;
    for (const e of cache.values()) total += e.size;
    for (const [key, e] of cache) {
      if (total <= this.o.budget) break;
      cache.delete(key);
      total -= e.size;
    }
  }
}
