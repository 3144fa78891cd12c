// The PostgreSQL side of the change feed (db/pg-changes.ts): one function and,
// on every table, a statement-level trigger that notifies `rc_change` with the
// table's name after any INSERT, UPDATE, DELETE or TRUNCATE. Statement-level, so
// a batch of a thousand rows sends one notification, and PostgreSQL folds
// identical notifications of one transaction into one. A trigger rather than
// the application notifying: writes by CLI tools, restores, another release or
// psql are seen too, and it costs no round trip.
// Installed after the migrations, inside the migration lock (db/migrate.ts), for
// every table that lacks one, so a table a later migration creates gets one
// without anyone remembering to add it. Except the quiet tables (pg-changes.ts
// QUIET_TABLES: written often, read by nothing kept).
import { sql, type Kysely } from 'kysely';
import { CHANGE_CHANNEL, QUIET_TABLES } from './pg-changes.ts';

export const CHANGE_TRIGGER = 'rc_change_notify';
const SKIP = ['kysely_migration', 'kysely_migration_lock', ...QUIET_TABLES];

/** Tables of the current schema without the change trigger. */
export async function tablesWithoutChangeTrigger(db: Kysely<any>): Promise<string[]> {
  const r = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_class c
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
      AND c.relname NOT IN (${sql.join(SKIP)})
      AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = ${CHANGE_TRIGGER})
    ORDER BY c.relname`.execute(db);
  return r.rows.map((x) => x.name);
}

export async function installChangeTriggers(db: Kysely<any>): Promise<void> {
  // Databases made before a table was quiet still have its trigger (looked up first: a DROP locks the table).
  const loud = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE c.relnamespace = current_schema()::regnamespace AND t.tgname = ${CHANGE_TRIGGER} AND c.relname IN (${sql.join([...QUIET_TABLES])})`.execute(db);
  for (const { name } of loud.rows) await sql`DROP TRIGGER ${sql.id(CHANGE_TRIGGER)} ON ${sql.id(name)}`.execute(db);
  const missing = await tablesWithoutChangeTrigger(db);
  if (missing.length === 0) return;
  await sql.raw(`
    CREATE OR REPLACE FUNCTION rc_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('${CHANGE_CHANNEL}', TG_TABLE_NAME);
      RETURN NULL;
    END $$`).execute(db);
  for (const table of missing) {
    await sql`CREATE OR REPLACE TRIGGER ${sql.id(CHANGE_TRIGGER)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${sql.id(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION rc_notify_change()`.execute(db);
  }
}
