import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { installChangeTriggers } from './change-triggers.ts';
import type { Db } from './dialect.ts';
import { initial } from './migrations/001_initial.ts';
import { staff } from './migrations/002_staff.ts';
import { forgetAvoidOwnUnit } from './migrations/003_forget_avoid_own_unit.ts';
import { inboxActivity } from './migrations/004_inbox_activity.ts';
import { staffDeactivation } from './migrations/005_staff_deactivation.ts';
import { retention } from './migrations/006_retention.ts';
import { powSpent } from './migrations/007_pow_spent.ts';
import { notifications } from './migrations/008_notifications.ts';
import { failedSignIns } from './migrations/009_failed_sign_ins.ts';
import { noGlobalOrder } from './migrations/010_no_global_order.ts';
import { keyDirectory } from './migrations/011_key_directory.ts';
import { auditAnchor } from './migrations/012_audit_anchor.ts';
import { insiders } from './migrations/013_insiders.ts';
import { records } from './migrations/017_records.ts';
import { trailSurvey } from './migrations/015_trail_survey.ts';
import { attachments } from './migrations/018_attachments.ts';
import { adviceSupport } from './migrations/014_advice_support.ts';
import { recordFiles } from './migrations/019_record_files.ts';
import { inboxCounts } from './migrations/020_inbox_counts.ts';
import { recordDay } from './migrations/021_record_day.ts';
import { sessionSeen } from './migrations/022_session_seen.ts';
import { reshuffle } from './migrations/023_reshuffle.ts';

/** Migrations in order; names never change once landed. */
export function migrations(kind: Db['kind']): Record<string, Migration> {
  return {
    '001_initial': initial(kind), '002_staff': staff(kind), '003_forget_avoid_own_unit': forgetAvoidOwnUnit,
    '004_inbox_activity': inboxActivity,
    '005_staff_deactivation': staffDeactivation,
    '006_retention': retention,
    '007_pow_spent': powSpent(kind),
    '008_notifications': notifications(kind),
    '009_failed_sign_ins': failedSignIns,
    '010_no_global_order': noGlobalOrder(kind),
    '011_key_directory': keyDirectory,
    '012_audit_anchor': auditAnchor,
    '013_insiders': insiders(kind),
    '017_records': records(kind),
    '015_trail_survey': trailSurvey(kind),
    '018_attachments': attachments(kind),
    '014_advice_support': adviceSupport(kind),
    '019_record_files': recordFiles,
    '023_reshuffle': reshuffle(kind),
    '021_record_day': recordDay,
    '020_inbox_counts': inboxCounts(kind),
    '022_session_seen': sessionSeen(kind),
  };
}

/** Our own advisory lock key ("rc-migr"), distinct from Kysely's. */
export const MIGRATION_LOCK = 0x72632d6d69677200n;

async function migrateWith(db: Kysely<any>, kind: Db['kind']): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(kind) };
  const { error } = await new Migrator({ db, provider, allowUnorderedMigrations: true }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('migration failed');
}

/**
 * Brings the schema up to date. On PostgreSQL several instances may start at once: each takes a
 * session advisory lock on one dedicated connection, so one migrates and the others wait and then
 * find nothing to do. The wait and the migrations themselves are exempt from the pool's
 * statement_timeout (meant for requests, not DDL or queueing behind another instance).
 */
export async function migrate(handle: Db): Promise<void> {
  if (handle.kind !== 'postgres') return migrateWith(handle.db, handle.kind);
  await handle.db.connection().execute(async (conn) => {
    await sql`SET statement_timeout = 0`.execute(conn);
    try {
      await sql`SELECT pg_advisory_lock(${sql.lit(MIGRATION_LOCK)})`.execute(conn);
      try {
        await migrateWith(conn, handle.kind);
        // Every table, new ones included, notifies the change feed (db/pg-changes.ts).
        await installChangeTriggers(conn);
      } finally {
        await sql`SELECT pg_advisory_unlock(${sql.lit(MIGRATION_LOCK)})`.execute(conn);
      }
    } finally {
      await sql`RESET statement_timeout`.execute(conn);
    }
  });
}

/** Whether every migration this code knows has run, and none it does not know (a newer release migrated ahead). */
export async function migrationsCurrent(db: Kysely<any>): Promise<boolean> {
  const known = Object.keys(migrations('sqlite'));
  try {
    const rows = await db.selectFrom('kysely_migration').select('name').execute() as { name: string }[];
    const done = new Set(rows.map((r) => r.name));
    return done.size === known.length && known.every((n) => done.has(n));
  } catch {
    return false;
  }
}
