// Insiders cannot bury a case or silence a reporter (issue "Trust the keys, not
// the administrator"):
// - case_referrals: a referral waits here until a browser of the receiving team
//   has opened the case with its new wraps (confirm) or failed to (reject). The
//   case stays with the sending team meanwhile. One pending referral per case.
// - referral_alerts: a referral the receiving browser could not open; shown to
//   the sending team's leads until one of them dismisses it or refers again.
// - reporter_keys: every reporter public key ever used by a case, so a second
//   case cannot reuse one. A table of its own rather than a unique index on
//   cases, so this migration cannot fail on a database that already holds a
//   duplicate (it keeps one row per key; the check applies from now on).
// Days only, never a time: a referral's date is routing metadata like a status date.
import { sql, type Kysely, type Migration } from 'kysely';

export const insiders = (kind: 'sqlite' | 'postgres'): Migration => ({
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('case_referrals')
      .addColumn('case_id', 'integer', (c) => c.primaryKey().references('cases.id').onDelete('cascade'))
      .addColumn('from_team_id', 'text', (c) => c.notNull().references('teams.id'))
      .addColumn('to_team_id', 'text', (c) => c.notNull().references('teams.id'))
      .addColumn('referred_by', 'text', (c) => c.notNull())
      .addColumn('on', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('case_referrals_to').on('case_referrals').column('to_team_id').execute();
    await db.schema.createIndex('case_referrals_from').on('case_referrals').column('from_team_id').execute();

    await db.schema.createTable('referral_alerts')
      .addColumn('case_id', 'integer', (c) => c.primaryKey().references('cases.id').onDelete('cascade'))
      .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
      .addColumn('to_team_id', 'text', (c) => c.notNull().references('teams.id'))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('on', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('referral_alerts_team').on('referral_alerts').column('team_id').execute();

    // WITHOUT ROWID on SQLite: a rowid would number the keys, and so the reports, in the order they came.
    const keys = db.schema.createTable('reporter_keys').addColumn('reporter_pk', 'text', (c) => c.primaryKey());
    await (kind === 'sqlite' ? keys.modifyEnd(sql`without rowid`) : keys).execute();
    await sql`INSERT INTO reporter_keys (reporter_pk) SELECT DISTINCT reporter_pk FROM cases`.execute(db);
  },
});
