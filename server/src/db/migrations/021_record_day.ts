// records.created_on (retention of private records, docs/OPERATIONS.md "Retention and purge"): the day
// a record was made, so a record with no entry yet still has a day its retention period can run from.
// A day only, like every reporter-caused date. Records made before this migration get the day it ran
// (UTC): their period starts at the upgrade, never earlier, so none is deleted sooner than its rule says.
import type { Kysely, Migration } from 'kysely';

export const recordDay: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('records').addColumn('created_on', 'text').execute();
    await db.updateTable('records').set({ created_on: new Date().toISOString().slice(0, 10) }).execute();
  },
};
