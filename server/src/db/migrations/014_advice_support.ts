// Support around the report (issue #14):
// - cases.kind: 'report' or 'advice'. An advice request is a case row that is not (yet) a case:
//   a sealed question (advice_nonce/advice_ct), no category and no report until the reporter
//   turns it into one. So category_id, report_nonce and report_ct become nullable (SQLite: the
//   documented rebuild, from the live table's own CREATE statement so columns other migrations
//   added survive; PostgreSQL: DROP NOT NULL).
// - cases.converted_on: the day an advice request became a report (reporter-caused: a day only).
// - cases.welfare_on: the day the reporter asked for a welfare contact, until staff record that
//   support was offered (support_offered_on). Days only, like every reporter-caused date.
// - support_contacts: the administrator's list of where to get support, force-wide (command_id
//   null) or for one command. Public information, stored in the clear.
// Like the others it takes Kysely<any> and imports no app code.
import { sql, type Kysely, type Migration } from 'kysely';

type Kind = 'sqlite' | 'postgres';
const NULLABLE = ['category_id', 'report_nonce', 'report_ct'];

async function relaxSqlite(db: Kysely<any>): Promise<void> {
  const row = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'cases'`.execute(db);
  let create = row.rows[0]!.sql;
  for (const col of NULLABLE) {
    // Both spellings occur: 001 wrote `"category_id" text not null`, 010's rebuild `"category_id" text NOT NULL`.
    const re = new RegExp(`("?${col}"?\\s+text)\\s+not null`, 'i');
    if (!re.test(create)) throw new Error(`014: cases.${col} not found as NOT NULL`);
    create = create.replace(re, '$1');
  }
  create = create.replace(/^CREATE TABLE\s+"?cases"?/i, 'CREATE TABLE "cases__014"');
  const indexes = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases' AND sql IS NOT NULL`.execute(db);
  const cols = (await sql<{ name: string }>`SELECT name FROM pragma_table_info('cases')`.execute(db)).rows.map((c) => `"${c.name}"`).join(', ');
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await sql`BEGIN`.execute(db);
    try {
      await sql.raw(create).execute(db);
      await sql.raw(`INSERT INTO "cases__014" (${cols}) SELECT ${cols} FROM "cases" ORDER BY "id"`).execute(db);
      await sql`DROP TABLE "cases"`.execute(db);
      await sql`ALTER TABLE "cases__014" RENAME TO "cases"`.execute(db);
      for (const ix of indexes.rows) await sql.raw(ix.sql).execute(db);
      await addColumns(db);
      const broken = await sql<{ table: string }>`PRAGMA foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error(`014: foreign keys broken in ${broken.rows[0]!.table}`);
      await sql`COMMIT`.execute(db);
    } catch (err) {
      await sql`ROLLBACK`.execute(db);
      throw err;
    }
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

async function addColumns(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').addColumn('kind', 'text', (c) => c.notNull().defaultTo('report')).execute();
  for (const col of ['advice_nonce', 'advice_ct', 'converted_on', 'welfare_on', 'support_offered_on']) {
    await db.schema.alterTable('cases').addColumn(col, 'text').execute();
  }
  await db.schema.createTable('support_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('command_id', 'text', (c) => c.references('commands.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('url', 'text')
    .addColumn('email', 'text')
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export function adviceSupport(kind: Kind): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      if (kind === 'sqlite') {
        // Already done (a crash between our COMMIT and the migrator's record): nothing to redo.
        const cols = await sql<{ name: string }>`SELECT name FROM pragma_table_info('cases')`.execute(db);
        if (cols.rows.some((c) => c.name === 'kind')) return;
        await relaxSqlite(db);
        return;
      }
      for (const col of NULLABLE) await sql`ALTER TABLE cases ALTER COLUMN ${sql.id(col)} DROP NOT NULL`.execute(db);
      await addColumns(db);
    },
  };
}
