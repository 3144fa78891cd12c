// Case storage, shared by the reporter's side (case/service.ts) and triage.
// Plain functions taking `db` (or a transaction) first.
import { randomInt } from 'node:crypto';
import { caseRefFrom } from '../../../shared/src/domain/reference.ts';
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { CaseStatus, OutcomeCode } from '../../../shared/src/api/domain.ts';
import type { CaseRow, Database, HistoryRow, MessageRow, NewCase, NewCaseKey } from '../db/database.ts';
import { toCount } from '../db/dialect.ts';
import { precompiled } from '../db/precompiled.ts';
import { adviceDue, ATTENTION_DUE, clockFor, NEVER_DUE, todayInLondon } from '../../../shared/src/domain/clock.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Random, never derived from the token: a case reference may be spoken aloud or written in a file. */
export const newCaseRef = (): string => caseRefFrom(randomInt);

/**
 * A random 31-bit case id, never a serial: an id that counts up would order every report against
 * every other. A collision is a unique violation, which the intake retries with a fresh id.
 */
export const newCaseId = (): number => randomInt(1, 2 ** 31);

/**
 * The case's next n (1, 2, 3 …) for a history entry, message or note, inside the writing
 * transaction. The UPDATE takes the case row's write lock first, so concurrent writers to one case
 * queue here rather than draw the same n; no counter spans cases (migration 010).
 */
export async function nextN(tx: Transaction<Database>, caseId: number): Promise<number> {
  const r = await tx.updateTable('cases').set((eb) => ({ last_n: eb('last_n', '+', 1) })).where('id', '=', caseId)
    .returning('last_n').executeTakeFirstOrThrow();
  return Number(r.last_n);
}

/** Runs `fn` in `db` if it is already a transaction, else in a new one. */
export async function inTransaction<T>(db: Db, fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn);
}

/** The first due day: an advice request's reply, or a report's acknowledgement. */
const firstDue = (row: CaseInput): string =>
  (row.kind === 'advice' ? adviceDue(row.received_on) : clockFor(row.received_on, row.status).due);

/** A new case as intake knows it: the id and the per-case counter are chosen here. */
export type CaseInput = Omit<NewCase, 'id' | 'last_n'>;

export async function insertCase(
  db: Kysely<Database>,
  row: CaseInput,
  keys: Omit<NewCaseKey, 'case_id'>[],
  /** Runs last inside the same transaction (the new-case notification: notifications/events.ts). */
  inTx?: (tx: Transaction<Database>, row: CaseRow) => Promise<void>,
): Promise<CaseRow> {
  // One transaction: a case is never visible without its key wraps and first history entry.
  return db.transaction().execute((tx) => insertCaseIn(tx, row, keys, inTx));
}

/** insertCase inside the caller's transaction (or savepoint: see db/group-commit.ts). */
export async function insertCaseIn(
  tx: Transaction<Database>,
  row: CaseInput,
  keys: Omit<NewCaseKey, 'case_id'>[],
  inTx?: (tx: Transaction<Database>, row: CaseRow) => Promise<void>,
): Promise<CaseRow> {
  const nextDue = firstDue(row);
  // First, so a reused reporter key fails the whole case (unique violation) before anything is written.
  await tx.insertInto('reporter_keys').values({ reporter_pk: row.reporter_pk }).execute();
  // A random id and a per-case counter: nothing in the row orders this case against others.
  const inserted = await tx.insertInto('cases')
    .values({ ...row, id: newCaseId(), next_due_on: nextDue, last_activity_on: row.received_on, last_n: 1 }).returningAll().executeTakeFirstOrThrow();
  if (keys.length > 0) await tx.insertInto('case_keys').values(keys.map((k) => ({ ...k, case_id: inserted.id }))).execute();
  await tx.insertInto('case_history').values({ case_id: inserted.id, n: 1, status: inserted.status, on: inserted.received_on }).execute();
  if (inTx) await inTx(tx, inserted);
  return inserted;
}

export interface CaseInsert {
  row: CaseInput;
  keys: Omit<NewCaseKey, 'case_id'>[];
  /** Runs inside the same transaction once the case is in (the new-case notification). */
  inTx?: (tx: Transaction<Database>, row: CaseRow) => Promise<void>;
}

/**
 * Several cases in one statement per table (group commit's optimistic path). Any unique violation
 * fails the whole call; the caller then retries one by one. Returned in input order.
 */
export async function insertCasesIn(tx: Transaction<Database>, items: CaseInsert[]): Promise<CaseRow[]> {
  const rows = items.map((c) => ({ ...c.row, id: newCaseId(), next_due_on: firstDue(c.row), last_activity_on: c.row.received_on, last_n: 1 }));
  await tx.insertInto('reporter_keys').values(items.map((c) => ({ reporter_pk: c.row.reporter_pk }))).execute();
  const inserted = await tx.insertInto('cases').values(rows).returningAll().execute();
  // RETURNING order is not promised by SQLite: match rows back by their unique reference.
  const byRef = new Map(inserted.map((r) => [r.case_ref, r]));
  const ordered = items.map((c) => byRef.get(c.row.case_ref)!);
  const keys = items.flatMap((c, i) => c.keys.map((k) => ({ ...k, case_id: ordered[i]!.id })));
  // Bounded statements: SQLite allows 32766 parameters; a wrap row has 5.
  for (let k = 0; k < keys.length; k += 1000) await tx.insertInto('case_keys').values(keys.slice(k, k + 1000)).execute();
  await tx.insertInto('case_history').values(ordered.map((r) => ({ case_id: r.id, n: 1, status: r.status, on: r.received_on }))).execute();
  for (const [i, c] of items.entries()) if (c.inTx) await c.inTx(tx, ordered[i]!);
  return ordered;
}

/** The columns intake gives a new case (with id, next_due_on, last_activity_on and last_n set here), in statement order. */
const AT_ONCE_COLUMNS = [
  'case_ref', 'access_hash', 'reporter_pk', 'mode', 'category_id', 'unit_id', 'team_id', 'status', 'received_on', 'outcome',
  'report_nonce', 'report_ct', 'identity_nonce', 'identity_ct', 'reporter_key', 'reporter_identity_key',
] as const satisfies readonly (keyof CaseInput)[];
const AT_ONCE_KNOWN = new Set<string>(AT_ONCE_COLUMNS);

/**
 * The whole statement for insertCasesAtOnce: every table through one unnest of arrays per column, so
 * its text is the same for any batch size (one named prepared statement, parsed and planned once per
 * connection) and Kysely builds nothing per batch. The history and the reporter keys come from the
 * inserted rows themselves.
 */
const atOnceSql = (withEvents: boolean): string => {
  const n = AT_ONCE_COLUMNS.length;
  // $1 ids, $2.. the columns, then next_due_on and last_activity_on.
  const caseArrays = ['$1::integer[]', ...AT_ONCE_COLUMNS.map((_, i) => `$${i + 2}::text[]`), `$${n + 2}::text[]`, `$${n + 3}::text[]`];
  const k = n + 4; // first parameter after the cases' arrays
  return `WITH c AS (
  INSERT INTO cases (id, ${AT_ONCE_COLUMNS.join(', ')}, next_due_on, last_activity_on, last_n)
  SELECT u.*, 1 FROM unnest(${caseArrays.join(', ')}) AS u
  RETURNING *
), rk AS (
  INSERT INTO reporter_keys (reporter_pk) SELECT reporter_pk FROM c
), ck AS (
  INSERT INTO case_keys (case_id, recipient_id, kind, sealed, identity)
  SELECT * FROM unnest($${k}::integer[], $${k + 1}::text[], $${k + 2}::text[], $${k + 3}::text[], $${k + 4}::integer[])
), h AS (
  INSERT INTO case_history (case_id, n, status, "on") SELECT id, 1, status, received_on FROM c
)${withEvents ? `, ev AS (
  INSERT INTO notification_events (id, staff_id, kind, channel, n, send_at_ms)
  SELECT * FROM unnest($${k + 5}::text[], $${k + 6}::text[], $${k + 7}::text[], $${k + 8}::text[], $${k + 9}::integer[], $${k + 10}::bigint[])
)` : ''}
SELECT * FROM c`;
};
const AT_ONCE = { plain: atOnceSql(false), withEvents: atOnceSql(true) };

/**
 * insertCasesIn as ONE statement outside any transaction (PostgreSQL only): the cases, their reporter
 * keys, key wraps, first history entries and `events` (their new-case outbox rows) are written and
 * committed together or not at all, in one round trip where the transaction took nine (BEGIN, four
 * INSERTs, three reads for the notifications, their INSERT, COMMIT). Durable when it returns, as a
 * COMMIT is. Any violation fails it whole, as in insertCasesIn. null when a row carries a column this
 * statement does not write (the caller then uses insertCasesIn). Returned in input order.
 */
export async function insertCasesAtOnce(
  db: Kysely<Database>, items: readonly Pick<CaseInsert, 'row' | 'keys'>[],
  events: readonly { id: string; staff_id: string; kind: string; channel: string; n: number; send_at_ms: number }[],
): Promise<CaseRow[] | null> {
  if (items.some((c) => Object.keys(c.row).some((key) => !AT_ONCE_KNOWN.has(key)))) return null;
  const ids = items.map(() => newCaseId());
  const params: unknown[] = [ids];
  for (const col of AT_ONCE_COLUMNS) params.push(items.map((c) => c.row[col] ?? null));
  params.push(items.map((c) => firstDue(c.row)), items.map((c) => c.row.received_on));
  const keys = items.flatMap((c, i) => c.keys.map((key) => ({ ...key, case_id: ids[i]! })));
  params.push(keys.map((x) => x.case_id), keys.map((x) => x.recipient_id), keys.map((x) => x.kind), keys.map((x) => x.sealed),
    keys.map((x) => x.identity ?? 0));
  if (events.length > 0) {
    params.push(events.map((e) => e.id), events.map((e) => e.staff_id), events.map((e) => e.kind), events.map((e) => e.channel),
      events.map((e) => e.n), events.map((e) => e.send_at_ms));
  }
  const r = await db.executeQuery<CaseRow>(CompiledQuery.raw(events.length > 0 ? AT_ONCE.withEvents : AT_ONCE.plain, params));
  // RETURNING order is not promised: match rows back by their id (chosen here, unique).
  const byId = new Map(r.rows.map((row) => [Number(row.id), row]));
  return ids.map((id) => byId.get(id)!);
}

// The reporter's status check runs these three on every request: compiled once (db/precompiled.ts).
const byAccessHash = precompiled((db, accessHash: string) => db.selectFrom('cases').selectAll().where('access_hash', '=', accessHash));
const historyOf = precompiled((db, caseId: number) => db.selectFrom('case_history').selectAll().where('case_id', '=', caseId).orderBy('n'));
const messagesOf = precompiled((db, caseId: number) => db.selectFrom('messages').selectAll().where('case_id', '=', caseId).orderBy('n'));

export async function findByAccessHash(db: Db, accessHash: string): Promise<CaseRow | undefined> {
  return (await byAccessHash(db, accessHash))[0];
}

export async function findByRef(db: Db, caseRef: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('case_ref', '=', caseRef).executeTakeFirst();
}

export async function accessHashExists(db: Db, accessHash: string): Promise<boolean> {
  const row = await db.selectFrom('cases').select('id').where('access_hash', '=', accessHash).executeTakeFirst();
  return row !== undefined;
}

// Both of intake's uniqueness checks in one statement: one round trip on PostgreSQL where there were
// two, and compiled once (db/precompiled.ts).
const tokenUse = precompiled((db, accessHash: string, reporterPk: string) => db.selectNoFrom((eb) => [
  eb.exists(eb.selectFrom('cases').select('id').where('access_hash', '=', accessHash)).as('hash_taken'),
  eb.exists(eb.selectFrom('reporter_keys').select('reporter_pk').where('reporter_pk', '=', reporterPk)).as('key_used'),
]));

/** The error a new case with this access hash and reporter key meets, if any: the access hash is checked first. */
export async function takenBy(db: Db, accessHash: string, reporterPk: string): Promise<'access_hash_taken' | 'reporter_key_taken' | null> {
  const r = (await tokenUse(db, accessHash, reporterPk))[0];
  // PostgreSQL answers booleans, SQLite 0 or 1.
  if (r && Number(r.hash_taken)) return 'access_hash_taken';
  if (r && Number(r.key_used)) return 'reporter_key_taken';
  return null;
}

/** Whether any case (now or before) was made with this reporter public key. */
export async function reporterKeyUsed(db: Db, reporterPk: string): Promise<boolean> {
  const row = await db.selectFrom('reporter_keys').select('reporter_pk').where('reporter_pk', '=', reporterPk).executeTakeFirst();
  return row !== undefined;
}

export async function history(db: Db, caseId: number): Promise<HistoryRow[]> {
  return historyOf(db, caseId);
}

export async function messages(db: Db, caseId: number): Promise<MessageRow[]> {
  return messagesOf(db, caseId);
}

export async function caseKeys(db: Db, caseId: number) {
  return db.selectFrom('case_keys').selectAll().where('case_id', '=', caseId).execute();
}

/** Messages of the case from one side: each side has its own allowance (LIMITS). */
export async function countMessages(db: Db, caseId: number, sender: 'reporter' | 'triage'): Promise<number> {
  const row = await db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n'))
    .where('case_id', '=', caseId).where('sender', '=', sender).executeTakeFirst();
  return toCount(row?.n);
}

export async function messageExists(db: Db, caseId: number, id: string): Promise<boolean> {
  const row = await db.selectFrom('messages').select('n').where('case_id', '=', caseId).where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

export interface NewMessageInput {
  id: string;
  sender: 'reporter' | 'triage';
  on: string;
  nonce: string;
  ct: string;
}

/** Stores a sealed message with the case's next n. The caller has validated sizes and encoding. */
export async function addMessage(db: Db, caseId: number, m: NewMessageInput): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx.insertInto('messages').values({ case_id: caseId, n: await nextN(tx, caseId), ...m }).execute();
  });
}

/** Moves a case to `status` (dated to the day), records it in the history and moves its clock. */
export async function setStatus(
  db: Kysely<Database>,
  caseId: number,
  status: CaseStatus,
  opts: StatusOptions = {},
): Promise<void> {
  await db.transaction().execute((tx) => setStatusIn(tx, caseId, status, opts));
}

export interface StatusOptions {
  outcome?: OutcomeCode;
  on?: string;
  /** Restart the clocks from `on` (a reopening), rather than keep them running from receipt. */
  restartClock?: boolean;
  /** The staff member who moved it (their own timeline names them; the reporter's never does). */
  by?: string;
  /** For 'referred': the team it went to, named by role on the reporter's timeline. */
  team?: string;
}

/** The day the case's clocks run from: receipt, or the day a lead reopened it. */
export const clockStart = (row: { received_on: string; clock_from: string | null }): string => row.clock_from ?? row.received_on;

/**
 * setStatus inside the caller's transaction. Any status change also answers a reporter's
 * message on a closed case as far as the inbox is concerned (closing again, reopening).
 */
export async function setStatusIn(
  tx: Transaction<Database>,
  caseId: number,
  status: CaseStatus,
  opts: StatusOptions = {},
): Promise<void> {
  const on = opts.on ?? todayInLondon();
  const row = await tx.selectFrom('cases').select(['received_on', 'clock_from']).where('id', '=', caseId).executeTakeFirstOrThrow();
  const clock_from = opts.restartClock ? on : row.clock_from;
  const next_due_on = clockFor(clockStart({ received_on: row.received_on, clock_from }), status).due;
  await tx.updateTable('cases').set({ status, outcome: opts.outcome ?? null, next_due_on, clock_from, closed_message_on: null })
    .where('id', '=', caseId).execute();
  await tx.insertInto('case_history')
    .values({ case_id: caseId, n: await nextN(tx, caseId), status, on, staff_id: opts.by ?? null, team_id: opts.team ?? null }).execute();
  await touchActivity(tx, caseId, on);
}

/** Moves the case's last activity forward to `on` (never back: seeded and replayed dates may be older). */
export async function touchActivity(db: Db, caseId: number, on: string): Promise<void> {
  await db.updateTable('cases').set({ last_activity_on: on }).where('id', '=', caseId).where('last_activity_on', '<', on).execute();
}

/**
 * A reporter wrote on a closed case: it is due before anything else (ATTENTION_DUE), so it heads
 * the due order and the "open" tab (next_due_on before NEVER_DUE) shows it. Only the first
 * unanswered message sets the day. Conditional on the status, so a reopening in between wins.
 */
export async function flagMessageOnClosed(db: Db, caseId: number, on: string): Promise<void> {
  await db.updateTable('cases').set({ closed_message_on: on, next_due_on: ATTENTION_DUE })
    .where('id', '=', caseId).where('status', '=', 'closed').where('closed_message_on', 'is', null).execute();
}

/** The team answered the reporter on the closed case: it leaves the open work again. */
export async function clearMessageOnClosed(db: Db, caseId: number): Promise<void> {
  await db.updateTable('cases').set({ closed_message_on: null, next_due_on: NEVER_DUE })
    .where('id', '=', caseId).where('status', '=', 'closed').where('closed_message_on', 'is not', null).execute();
}

/**
 * Advice requests: a reporter question on an answered request (nothing due) starts the 7-day reply
 * clock from today; one already running keeps its earlier day. clock_from records the question's day.
 */
export async function armAdviceClock(db: Db, caseId: number, on: string): Promise<void> {
  await db.updateTable('cases').set({ next_due_on: adviceDue(on), clock_from: on })
    .where('id', '=', caseId).where('kind', '=', 'advice').where('next_due_on', '=', NEVER_DUE).execute();
}

/** The team answered an advice request: nothing is owed until the reporter asks again. */
export async function answerAdvice(db: Db, caseId: number): Promise<void> {
  await db.updateTable('cases').set({ next_due_on: NEVER_DUE }).where('id', '=', caseId).where('kind', '=', 'advice').execute();
}

export interface ConvertInput {
  category: string;
  unit: string | null;
  reportNonce: string;
  reportCt: string;
  on: string;
  /** A named conversion: the sealed identity, the reporter's wrap of its key, and the team's identity wraps. */
  identity?: { nonce: string; ct: string; reporterKey: string; keys: Omit<NewCaseKey, 'case_id' | 'identity'>[] };
}

/**
 * The advice request becomes a report: the sealed report is added beside the question and the
 * messages, and the report's clocks run from the day of conversion. Conditional on the row still
 * being advice, so two conversions cannot both land; false = it already was a report.
 */
export async function convertToReport(tx: Transaction<Database>, caseId: number, c: ConvertInput): Promise<boolean> {
  const r = await tx.updateTable('cases').set({
    kind: 'report', category_id: c.category, unit_id: c.unit, report_nonce: c.reportNonce, report_ct: c.reportCt,
    converted_on: c.on, clock_from: c.on, next_due_on: clockFor(c.on, 'received').due,
    ...(c.identity ? {
      mode: 'named' as const, identity_nonce: c.identity.nonce, identity_ct: c.identity.ct, reporter_identity_key: c.identity.reporterKey,
    } : {}),
  }).where('id', '=', caseId).where('kind', '=', 'advice').executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  // Stored as a named report's are (identity = 1), so the triage view finds them the same way.
  if (c.identity) await tx.insertInto('case_keys').values(c.identity.keys.map((k) => ({ ...k, case_id: caseId, identity: 1 }))).execute();
  await touchActivity(tx, caseId, c.on);
  return true;
}

/** The reporter asked for a welfare contact; the first open request keeps its day. */
export async function flagWelfare(db: Db, caseId: number, on: string): Promise<boolean> {
  const r = await db.updateTable('cases').set({ welfare_on: on }).where('id', '=', caseId).where('welfare_on', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Staff offered support: the open request (if any) is answered. */
export async function recordSupportOffered(db: Db, caseId: number, on: string): Promise<void> {
  await db.updateTable('cases').set({ support_offered_on: on, welfare_on: null }).where('id', '=', caseId).execute();
}
