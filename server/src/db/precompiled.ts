// Hot queries of a fixed shape, built and compiled by Kysely once per database
// handle instead of on every request (building the operation tree and
// compiling it was about a tenth of GET /api/v1/case's CPU). The builder is
// run once with placeholders standing for the arguments; later calls only put
// the arguments where the placeholders went. Only for builders whose shape
// never depends on the argument values (no conditional clauses, no IN lists).
// Inside a transaction the query is built as usual.
import type { Compilable, CompiledQuery, Kysely, Transaction } from 'kysely';
import type { Database } from './database.ts';

/** Stands for argument `index` while the query is compiled; Kysely passes it through as a parameter value. */
class Slot {
  constructor(readonly index: number) {}
}

export function precompiled<A extends unknown[], R>(build: (db: Kysely<Database>, ...args: A) => Compilable<R>) {
  const compiled = new WeakMap<Kysely<Database>, CompiledQuery<R>>();
  return async (db: Kysely<Database> | Transaction<Database>, ...args: A): Promise<R[]> => {
    if (db.isTransaction) return (await db.executeQuery(build(db, ...args))).rows;
    let c = compiled.get(db);
    if (!c) {
      c = build(db, ...(args.map((_, i) => new Slot(i)) as A)).compile();
      // Every argument must have become a parameter, or the shape depended on a value.
      const slots = c.parameters.filter((p) => p instanceof Slot).length;
      if (slots !== args.length) throw new Error(`precompiled query took ${slots} of ${args.length} arguments as parameters`);
      compiled.set(db, c);
    }
    const parameters = c.parameters.map((p) => (p instanceof Slot ? args[p.index] : p));
    return (await db.executeQuery<R>({ ...c, parameters })).rows;
  };
}

const shapes = new WeakMap<Kysely<Database>, Map<string, CompiledQuery<unknown>>>();

/**
 * For a query whose shape depends on some arguments (which filters are set, the order, how many ids):
 * one compiled query per handle and `shape`, with `values` put where `build` placed `slot(i)`. The
 * caller names the shape: `build` may branch on what `shape` says and nothing else, and every value
 * must become a parameter (checked when the shape is first compiled). Shapes are a small finite set
 * per caller (never a value), so they are kept without a bound.
 */
export async function shapedQuery<R>(
  db: Kysely<Database> | Transaction<Database>, shape: string, values: readonly unknown[],
  build: (slot: (i: number) => unknown) => Compilable<R>,
): Promise<R[]> {
  if (db.isTransaction) return (await db.executeQuery(build((i) => values[i]))).rows;
  let byShape = shapes.get(db);
  if (!byShape) shapes.set(db, (byShape = new Map()));
  let c = byShape.get(shape) as CompiledQuery<R> | undefined;
  if (!c) {
    c = build((i) => new Slot(i)).compile();
    const used = new Set(c.parameters.filter((p): p is Slot => p instanceof Slot).map((p) => p.index));
    if (used.size !== values.length || values.some((_, i) => !used.has(i))) {
      throw new Error(`shaped query ${shape} took ${used.size} of ${values.length} values as parameters`);
    }
    byShape.set(shape, c);
  }
  const parameters = c.parameters.map((p) => (p instanceof Slot ? values[p.index] : p));
  return (await db.executeQuery<R>({ ...c, parameters })).rows;
}
