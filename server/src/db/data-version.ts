// "Has any of these tables changed since?" for results worth keeping between
// requests (the inbox's tab counts walk every case of a team; see
// triage/inbox-repository.ts). A token is taken before the result is
// computed and stored with it; the result is reused only while the token is
// unchanged, so a change during the computation makes the next caller compute
// again (never the reverse). Exact in both dialects, across processes:
// - SQLite: a generation per table, moved by every write statement this
//   process prepares (db/statement-cache.ts), plus `PRAGMA data_version`,
//   which changes when any other connection (another process, a CLI tool)
//   commits. better-sqlite3 runs a statement synchronously right after it is
//   prepared and Kysely holds the one connection for a whole transaction, so no
//   read falls between a write and the generation moving.
// - PostgreSQL: the snapshot (`pg_current_snapshot()`, xmin:xmax:in-progress).
//   Two equal snapshots see exactly the same committed rows, since no
//   transaction was given an id or finished in between; it is cluster-wide, so
//   any write anywhere makes the next caller compute again. One round trip, no
//   table read.
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';

export type ChangeToken = (tables: readonly string[]) => Promise<string | null>;

const tokens = new WeakMap<Kysely<Database>, ChangeToken>();

/** The token source for `db`; createDb registers one for every handle it makes. */
export function registerChangeToken(db: Kysely<Database>, token: ChangeToken): void {
  tokens.set(db, token);
}

/** A value that changes whenever one of `tables` may have changed; null = unknown (do not reuse results). */
export async function changeToken(db: Kysely<Database>, tables: readonly string[]): Promise<string | null> {
  const token = tokens.get(db);
  return token ? token(tables) : null;
}

/** Table written by a statement as Kysely emits it; null when unknown or when it may reach other tables (DELETE cascades). */
export function tableWritten(statement: string): string | null {
  const m = /^\s*(?:insert\s+(?:or\s+\w+\s+)?into|update(?:\s+or\s+\w+)?)\s+"?([A-Za-z_]\w*)"?/i.exec(statement);
  return m ? m[1]!.toLowerCase() : null;
}

/** Per-table write generations of one SQLite handle, with the other connections' commits. */
export class SqliteGenerations {
  #all = 0;
  readonly #byTable = new Map<string, number>();
  constructor(private readonly dataVersion: () => number) {}

  /** A write statement is about to run (`statement` is its SQL). */
  wrote(statement: string): void {
    const table = tableWritten(statement);
    if (table === null) this.#all++;
    else this.#byTable.set(table, (this.#byTable.get(table) ?? 0) + 1);
  }

  token(tables: readonly string[]): string {
    return `${this.dataVersion()}:${this.#all}:${tables.map((t) => this.#byTable.get(t) ?? 0).join(',')}`;
  }
}

export function postgresToken(db: Kysely<Database>): ChangeToken {
  return async () => {
    const r = await sql<{ s: string }>`select pg_current_snapshot()::text as s`.execute(db);
    return r.rows[0]?.s ?? null;
  };
}
