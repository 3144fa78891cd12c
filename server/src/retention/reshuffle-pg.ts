// PostgreSQL's own bookkeeping orders rows by arrival: each row version carries the id of the
// transaction that wrote it (xmin, increasing) and sits where it was appended (ctid). This module
// takes that order out, for every row a reporter's action can have written since the last run:
// each affected case (with every row that hangs off it by a cascading foreign key), private record,
// unfinished upload and reporter key is copied out, deleted and inserted again in primary-key
// order, all in the caller's one transaction. Afterwards they carry that transaction's xmin and
// lie in random-id order. Bytes are copied unchanged (INSERT … SELECT *), so every hash a receipt
// or the audit chain binds stays the same. Kysely's sql only: this is PostgreSQL catalogue work.
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';

type Tx = Transaction<Database>;

/**
 * Where reporter-caused rows start: a case (and everything that cascades from it), a private
 * record not yet a case, an upload not yet attached to a case, a reporter's public key.
 */
const ROOTS: readonly { table: string; where: string }[] = [
  { table: 'cases', where: 'TRUE' },
  { table: 'records', where: 'case_id IS NULL' },
  { table: 'uploads', where: 'case_id IS NULL' },
  { table: 'reporter_keys', where: 'TRUE' },
];

interface Edge { child: string; parent: string; childCols: string[]; parentCols: string[]; deltype: string }

/** Which rows count as written since the last run: xmin newer than its horizon, and not the last run's own. */
export type Since = { all: true } | { all: false; maxAge: number; lastRunAge: number | null };

const id = (name: string): RawBuilder<unknown> => sql.id(name);

async function foreignKeys(tx: Tx): Promise<Edge[]> {
  const r = await sql<{ child: string; parent: string; child_cols: string[]; parent_cols: string[]; deltype: string }>`
    SELECT ch.relname AS child, pa.relname AS parent, c.confdeltype AS deltype,
      ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS child_cols,
      ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
            JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS parent_cols
    FROM pg_constraint c
    JOIN pg_class ch ON ch.oid = c.conrelid
    JOIN pg_class pa ON pa.oid = c.confrelid
    WHERE c.contype = 'f' AND ch.relnamespace = current_schema()::regnamespace`.execute(tx);
  return r.rows.map((e) => ({ child: e.child, parent: e.parent, childCols: e.child_cols, parentCols: e.parent_cols, deltype: e.deltype }));
}

async function primaryKey(tx: Tx, table: string): Promise<string[]> {
  const r = await sql<{ col: string }>`
    SELECT a.attname::text AS col FROM pg_index i
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey::int2[])
    WHERE i.indrelid = ${table}::regclass AND i.indisprimary
    ORDER BY array_position(i.indkey::int2[], a.attnum)`.execute(tx);
  if (r.rows.length === 0) throw new Error(`reshuffle: ${table} has no primary key to order by`);
  return r.rows.map((x) => x.col);
}

/**
 * A root and every table that cascades from it, parents before children (read from the catalogue,
 * so a table added later is carried along). Deleting the root row deletes them, so each must be a
 * cascade: anything else (SET NULL, NO ACTION) would lose or keep rows the copy cannot restore, and
 * is refused before anything is touched.
 */
function family(root: string, edges: Edge[]): { table: string; up: Edge[] }[] {
  const order: { table: string; up: Edge[] }[] = [{ table: root, up: [] }];
  const seen = new Set([root]);
  for (let i = 0; i < order.length; i++) {
    const parent = order[i]!.table;
    for (const e of edges.filter((x) => x.parent === parent && x.child !== parent)) {
      if (e.deltype !== 'c') throw new Error(`reshuffle: ${e.child} references ${e.parent} without ON DELETE CASCADE`);
      if (seen.has(e.child)) continue;
      seen.add(e.child);
      order.push({ table: e.child, up: [] });
    }
  }
  for (const member of order) member.up = edges.filter((e) => e.child === member.table && seen.has(e.parent) && e.parent !== e.child);
  // Parents first: a child whose parent comes later could not be re-inserted in order.
  const position = new Map(order.map((m, i) => [m.table, i]));
  for (const m of order) {
    for (const e of m.up) if (position.get(e.parent)! > position.get(m.table)!) throw new Error(`reshuffle: ${m.table} precedes its parent ${e.parent}`);
  }
  return order;
}

const isNew = (alias: string, since: Since): RawBuilder<unknown> => since.all
  ? sql`TRUE`
  : since.lastRunAge === null
    ? sql`age(${sql.ref(`${alias}.xmin`)}) <= ${since.maxAge}`
    : sql`(age(${sql.ref(`${alias}.xmin`)}) <= ${since.maxAge} AND age(${sql.ref(`${alias}.xmin`)}) <> ${since.lastRunAge})`;

const joinOn = (childAlias: string, parentAlias: string, e: Edge): RawBuilder<unknown> =>
  sql.join(e.childCols.map((c, i) => sql`${sql.ref(`${childAlias}.${c}`)} = ${sql.ref(`${parentAlias}.${e.parentCols[i]!}`)}`), sql` AND `);

/** The root keys of rows in `path[0]` written since the horizon, walking up one parent edge per step. */
function newRootKeys(path: Edge[], table: string, rootPk: string[], since: Since): RawBuilder<unknown> {
  const alias = (i: number) => `t${i}`;
  let from = sql`${id(table)} AS ${id(alias(0))}`;
  path.forEach((e, i) => { from = sql`${from} JOIN ${id(e.parent)} AS ${id(alias(i + 1))} ON ${joinOn(alias(i), alias(i + 1), e)}`; });
  const top = alias(path.length);
  return sql`SELECT ${sql.join(rootPk.map((c) => sql.ref(`${top}.${c}`)))} FROM ${from} WHERE ${isNew(alias(0), since)}`;
}

/** One parent chain from each member up to the root (the first edge found; any chain reaches the same root row). */
function pathsUp(members: { table: string; up: Edge[] }[]): Map<string, Edge[]> {
  const paths = new Map<string, Edge[]>([[members[0]!.table, []]]);
  for (const m of members.slice(1)) {
    const e = m.up[0]!;
    paths.set(m.table, [e, ...paths.get(e.parent)!]);
  }
  return paths;
}

export interface Plan { tables: string[]; families: { root: { table: string; where: string }; members: { table: string; up: Edge[] }[] }[] }

export async function plan(tx: Tx): Promise<Plan> {
  const edges = await foreignKeys(tx);
  const families = ROOTS.map((root) => ({ root, members: family(root.table, edges) }));
  return { tables: [...new Set(families.flatMap((f) => f.members.map((m) => m.table)))], families };
}

/**
 * Rewrites every family with a row written since `since`; returns the number of rows written.
 * The caller holds EXCLUSIVE locks on plan.tables, so nothing changes between copy and re-insert.
 */
export async function rewrite(tx: Tx, p: Plan, since: Since): Promise<number> {
  let rows = 0;
  let n = 0;
  for (const { root, members } of p.families) {
    const rootPk = await primaryKey(tx, root.table);
    const paths = pathsUp(members);
    const temp = new Map<string, string>();
    const keys = sql.join(members.map((m) => newRootKeys(paths.get(m.table)!, m.table, rootPk, since)), sql` UNION `);
    const rootTemp = `reshuffle_${n++}`;
    temp.set(root.table, rootTemp);
    await sql`CREATE TEMP TABLE ${id(rootTemp)} ON COMMIT DROP AS
      SELECT * FROM ${id(root.table)} WHERE ${sql.raw(root.where)} AND (${sql.join(rootPk.map((c) => id(c)))}) IN (${keys})`.execute(tx);
    for (const m of members.slice(1)) {
      const t = `reshuffle_${n++}`;
      temp.set(m.table, t);
      const any = sql.join(m.up.map((e) => sql`EXISTS (SELECT 1 FROM ${id(temp.get(e.parent)!)} AS p WHERE ${joinOn('c', 'p', e)})`), sql` OR `);
      await sql`CREATE TEMP TABLE ${id(t)} ON COMMIT DROP AS SELECT c.* FROM ${id(m.table)} AS c WHERE ${any}`.execute(tx);
    }
    // The cascade removes every member row copied above; re-inserted parents first, each in key order.
    const pk = sql.join(rootPk.map((c) => id(c)));
    await sql`DELETE FROM ${id(root.table)} WHERE (${pk}) IN (SELECT ${pk} FROM ${id(rootTemp)})`.execute(tx);
    for (const m of members) {
      const order = sql.join((await primaryKey(tx, m.table)).map((c) => id(c)));
      const r = await sql`INSERT INTO ${id(m.table)} SELECT * FROM ${id(temp.get(m.table)!)} ORDER BY ${order}`.execute(tx);
      rows += Number(r.numAffectedRows ?? 0n);
    }
  }
  return rows;
}
