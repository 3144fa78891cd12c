// DESIGN.md "What the server may know" lists category, unit, team, status,
// outcome, assignment, sizes and wraps: nothing else. `avoid_own_unit` said
// where the reporter works (their unit is the one they avoided), so it is
// used for routing only and no longer stored. SQLite has DROP COLUMN since
// 3.35 (better-sqlite3 bundles a newer one); PostgreSQL always had it.
import type { Kysely, Migration } from 'kysely';

export const forgetAvoidOwnUnit: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('cases').dropColumn('avoid_own_unit').execute();
  },
};
