// Nothing in the database may order one reporter's action against another's,
// or against staff actions, at finer than a day (docs/THREAT-MODEL.md "Time
// metadata"). Until now cases.id, messages.seq, case_history.seq and notes.seq
// were global counters, and SQLite's implicit rowids numbered every insert.
//
// - cases.id becomes a random 31-bit integer chosen by the writer (existing
//   cases are given new random ids, and every table that references them is
//   updated, found by introspection so tables added by other migrations are
//   carried along too). No sequence or AUTOINCREMENT remains.
// - messages, case_history and notes lose `seq` and are keyed (case_id, n):
//   n counts 1, 2, 3 within the case (renumbered here in the old order), drawn
//   from cases.last_n in the writing transaction.
// - case_reads.read_seq becomes read_n, on the per-case counter.
// - SQLite: every table a reporter's action writes, and the per-case staff
//   tables, are rebuilt WITHOUT ROWID (cases keeps its rowid, which is now its
//   random id), so no hidden rowid numbers inserts.
// PostgreSQL keeps physical order and xmin; that limit is documented, not fixable here.
// Like the others it takes Kysely<any> and imports no app code.
import { randomInt } from 'node:crypto';
import { sql, type Kysely, type Migration } from 'kysely';

type Kind = 'sqlite' | 'postgres';

const COUNTED = ['messages', 'case_history', 'notes'] as const;
/** Rebuilt WITHOUT ROWID on SQLite, with their primary keys (cases: see above). */
const KEYED: Record<string, string[]> = {
  case_keys: ['case_id', 'recipient_id', 'identity'],
  case_history: ['case_id', 'n'],
  messages: ['case_id', 'n'],
  notes: ['case_id', 'n'],
  case_conflicts: ['case_id', 'staff_id'],
  case_reads: ['case_id', 'staff_id'],
  internal_keys: ['case_id', 'recipient_id'],
  pow_spent: ['id'],
  notification_events: ['id'],
};

const q = (name: string) => sql.id(name);

export function noGlobalOrder(kind: Kind): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      if (kind === 'sqlite') {
        // Already done (a crash between our COMMIT and the migrator's own record): nothing to redo.
        const cols = await sql<{ name: string }>`SELECT name FROM pragma_table_info('messages')`.execute(db);
        if (!cols.rows.some((c) => c.name === 'seq')) return;
        // Table rebuilds need foreign keys off (a DROP would otherwise cascade), and the pragma
        // only takes effect outside a transaction; the work itself is one transaction.
        await sql`PRAGMA foreign_keys = OFF`.execute(db);
        try {
          await sql`BEGIN`.execute(db);
          try {
            await common(db, kind);
            for (const [table, pk] of Object.entries(KEYED)) await rebuildSqlite(db, table, pk, true);
            await rebuildSqlite(db, 'cases', ['id'], false);
            const broken = await sql<{ table: string }>`PRAGMA foreign_key_check`.execute(db);
            if (broken.rows.length > 0) throw new Error(`010: foreign keys broken in ${broken.rows[0]!.table}`);
            await sql`COMMIT`.execute(db);
          } catch (err) {
            await sql`ROLLBACK`.execute(db);
            throw err;
          }
        } finally {
          await sql`PRAGMA foreign_keys = ON`.execute(db);
        }
      } else {
        // PostgreSQL runs each migration in a transaction already.
        await common(db, kind);
        for (const t of COUNTED) await sql`ALTER TABLE ${q(t)} ADD PRIMARY KEY (case_id, n)`.execute(db);
        await sql`ALTER TABLE cases ALTER COLUMN id DROP DEFAULT`.execute(db);
        await sql`DROP SEQUENCE IF EXISTS cases_id_seq`.execute(db);
      }
    },
  };
}

/** Renumbering and new ids, in SQL both dialects read alike. */
async function common(db: Kysely<any>, kind: Kind): Promise<void> {
  await db.schema.alterTable('cases').addColumn('last_n', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  for (const t of COUNTED) {
    await db.schema.alterTable(t).addColumn('n', 'integer').execute();
    await sql`UPDATE ${q(t)} SET n = r.n FROM (SELECT seq, row_number() OVER (PARTITION BY case_id ORDER BY seq) AS n FROM ${q(t)}) r
      WHERE r.seq = ${q(t)}.seq`.execute(db);
  }
  // A marker at global seq s now points at the case's last message with seq <= s: the count of those.
  await db.schema.alterTable('case_reads').addColumn('read_n', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`UPDATE case_reads SET read_n = (SELECT COUNT(*) FROM messages m
    WHERE m.case_id = case_reads.case_id AND m.seq <= case_reads.read_seq)`.execute(db);
  await db.schema.alterTable('case_reads').dropColumn('read_seq').execute();
  for (const t of COUNTED) {
    await sql`UPDATE cases SET last_n = x.m FROM (SELECT case_id, MAX(n) AS m FROM ${q(t)} GROUP BY case_id) x
      WHERE x.case_id = cases.id AND x.m > cases.last_n`.execute(db);
  }
  if (kind === 'postgres') {
    // Dropping seq drops its sequence, its primary key and the (case_id, seq) index with it.
    for (const t of COUNTED) {
      await sql`ALTER TABLE ${q(t)} ALTER COLUMN n SET NOT NULL`.execute(db);
      await sql`ALTER TABLE ${q(t)} DROP COLUMN seq`.execute(db);
    }
  } else {
    await sql`DROP INDEX IF EXISTS case_history_case`.execute(db);
  }
  await newCaseIds(db, kind);
}

/** Every existing case gets a random id, and every column referencing cases.id follows it. */
async function newCaseIds(db: Kysely<any>, kind: Kind): Promise<void> {
  const old = (await db.selectFrom('cases').select('id').execute()).map((r) => Number(r.id));
  if (old.length === 0) return;
  // New ids avoid every old id, so no update ever collides with a row not yet moved.
  const taken = new Set(old);
  const pairs = old.map((id) => {
    let n: number;
    do n = randomInt(1, 2 ** 31); while (taken.has(n));
    taken.add(n);
    return { old_id: id, new_id: n };
  });
  await db.schema.createTable('case_id_map_010')
    .addColumn('old_id', 'integer', (c) => c.primaryKey())
    .addColumn('new_id', 'integer', (c) => c.notNull())
    .execute();
  for (let i = 0; i < pairs.length; i += 500) await db.insertInto('case_id_map_010').values(pairs.slice(i, i + 500)).execute();

  const refs = await referencesToCases(db, kind);
  if (kind === 'postgres') for (const r of refs) await sql`ALTER TABLE ${q(r.table)} DROP CONSTRAINT ${q(r.name)}`.execute(db);
  const moved = (t: string, c: string) =>
    sql`UPDATE ${q(t)} SET ${q(c)} = (SELECT new_id FROM case_id_map_010 WHERE old_id = ${q(t)}.${q(c)})
      WHERE ${q(c)} IN (SELECT old_id FROM case_id_map_010)`.execute(db);
  await moved('cases', 'id');
  for (const r of refs) await moved(r.table, r.column);
  if (kind === 'postgres') for (const r of refs) await sql`ALTER TABLE ${q(r.table)} ADD CONSTRAINT ${q(r.name)} ${sql.raw(r.def)}`.execute(db);
  await db.schema.dropTable('case_id_map_010').execute();
}

interface Ref { table: string; column: string; name: string; def: string }

async function referencesToCases(db: Kysely<any>, kind: Kind): Promise<Ref[]> {
  if (kind === 'postgres') {
    const r = await sql<Ref>`SELECT c.conrelid::regclass::text AS "table", a.attname AS "column", c.conname AS name,
        pg_get_constraintdef(c.oid) AS def
      FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND c.confrelid = 'cases'::regclass`.execute(db);
    return r.rows;
  }
  const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(db);
  const out: Ref[] = [];
  for (const { name } of tables.rows) {
    const fks = await sql<{ table: string; from: string }>`SELECT "table", "from" FROM pragma_foreign_key_list(${name})`.execute(db);
    for (const fk of fks.rows) if (fk.table === 'cases') out.push({ table: name, column: fk.from, name: '', def: '' });
  }
  return out;
}

interface ColInfo { name: string; type: string; notnull: number; dflt_value: string | null }
interface FkInfo { id: number; seq: number; table: string; from: string; to: string | null; on_update: string; on_delete: string }
interface IndexInfo { name: string; unique: number; origin: string }

/**
 * SQLite's documented way to change a table's shape: create the new table, copy, drop, rename,
 * recreate the indexes. The new definition is read from the live table (columns, defaults,
 * unique constraints, foreign keys), so columns other migrations added survive; only the primary
 * key and rowid change. `seq` is left behind.
 */
async function rebuildSqlite(db: Kysely<any>, table: string, pk: string[], withoutRowid: boolean): Promise<void> {
  const exists = await sql`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ${table}`.execute(db);
  if (exists.rows.length === 0) return;
  const cols = (await sql<ColInfo>`SELECT name, type, "notnull", dflt_value FROM pragma_table_info(${table})`.execute(db)).rows
    .filter((c) => c.name !== 'seq');
  const fks = (await sql<FkInfo>`SELECT * FROM pragma_foreign_key_list(${table})`.execute(db)).rows;
  const indexes = (await sql<IndexInfo>`SELECT name, "unique", origin FROM pragma_index_list(${table})`.execute(db)).rows;
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const defs = cols.map((c) => `${quote(c.name)} ${c.type}${c.notnull || pk.includes(c.name) ? ' NOT NULL' : ''}${c.dflt_value !== null ? ` DEFAULT ${c.dflt_value}` : ''}`);
  defs.push(`PRIMARY KEY (${pk.map(quote).join(', ')})`);
  const recreate: string[] = [];
  for (const ix of indexes) {
    const on = (await sql<{ name: string | null }>`SELECT name FROM pragma_index_info(${ix.name})`.execute(db)).rows.map((r) => r.name ?? '');
    if (on.includes('seq')) continue;
    if (ix.origin === 'u') defs.push(`UNIQUE (${on.map(quote).join(', ')})`);
    if (ix.origin === 'c') {
      const row = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ${ix.name}`.execute(db);
      if (row.rows[0]?.sql) recreate.push(row.rows[0].sql);
    }
  }
  const byId = new Map<number, FkInfo[]>();
  for (const fk of fks) byId.set(fk.id, [...(byId.get(fk.id) ?? []), fk]);
  for (const group of byId.values()) {
    group.sort((a, b) => a.seq - b.seq);
    const first = group[0]!;
    const to = group.every((g) => g.to !== null) ? ` (${group.map((g) => quote(g.to!)).join(', ')})` : '';
    defs.push(`FOREIGN KEY (${group.map((g) => quote(g.from)).join(', ')}) REFERENCES ${quote(first.table)}${to} ON UPDATE ${first.on_update} ON DELETE ${first.on_delete}`);
  }
  const tmp = `${table}__010`;
  const names = cols.map((c) => quote(c.name)).join(', ');
  await sql.raw(`CREATE TABLE ${quote(tmp)} (${defs.join(', ')})${withoutRowid ? ' WITHOUT ROWID' : ''}`).execute(db);
  // Copied in primary-key order, so not even the page layout keeps the old insertion order.
  await sql.raw(`INSERT INTO ${quote(tmp)} (${names}) SELECT ${names} FROM ${quote(table)} ORDER BY ${pk.map(quote).join(', ')}`).execute(db);
  await sql.raw(`DROP TABLE ${quote(table)}`).execute(db);
  await sql.raw(`ALTER TABLE ${quote(tmp)} RENAME TO ${quote(table)}`).execute(db);
  for (const s of recreate) await sql.raw(s).execute(db);
}
