// Reads everything a database holds, so a test can assert that typed words,
// tokens and keys never reached it. For SQLite the raw file bytes are checked
// too, after a WAL checkpoint, which catches anything outside the table rows.
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';

export async function dumpDatabase(db: Kysely<unknown>, sqliteFile?: string): Promise<string> {
  const tables = await db.introspection.getTables();
  let dump = '';
  for (const t of tables) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(t.name)}`.execute(db);
    dump += JSON.stringify(rows.rows);
  }
  if (sqliteFile) {
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
    dump += readFileSync(sqliteFile).toString('latin1');
  }
  return dump;
}
