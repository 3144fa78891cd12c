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
// - PostgreSQL: per-table generations too (db/pg-changes.ts), moved at once by
//   this instance's own commits and, for everybody else's, by the notification
//   each table's trigger sends on commit. No round trip; exact for this
//   instance's writes, and for others' once their notification is delivered
//   (null, i.e. nothing reused, while the listening connection is down).
import type { Kysely } from 'kysely';
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

/**
 * Tables written by a statement: tableWritten's one table, or for a WITH whose parts only insert
 * (case/repository.ts insertCasesAtOnce) every table it inserts into; null when unknown or when it
 * may reach other tables (an UPDATE or DELETE inside a WITH: null rather than parse it).
 */
export function tablesWritten(statement: string): string[] | null {
  if (!/^\s*with\b/i.test(statement)) {
    const t = tableWritten(statement);
    return t === null ? null : [t];
  }
  if (/\b(?:update|delete|merge|truncate)\b/i.test(statement)) return null;
  const tables = [...statement.matchAll(/\binsert\s+into\s+"?([A-Za-z_]\w*)"?/gi)].map((m) => m[1]!.toLowerCase());
  return tables.length > 0 ? tables : null;
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

const syncs = new WeakMap<Kysely<Database>, (timeoutMs?: number) => Promise<void>>();

export function registerSync(db: Kysely<Database>, sync: (timeoutMs?: number) => Promise<void>): void {
  syncs.set(db, sync);
}

/**
 * Waits until every commit made anywhere before the call counts in `db`'s tokens: immediate on
 * SQLite (data_version is read on every token); on PostgreSQL, until the feed has received them.
 */
export async function changesSeen(db: Kysely<Database>, timeoutMs?: number): Promise<void> {
  await syncs.get(db)?.(timeoutMs);
}
