// Retention: how long a closed case's sealed content is kept, per outcome,
// set by the administrator; and the date a case's content was purged. A purged
// case stays as a content-free stub (routing metadata, status, outcome and its
// history rows) so oversight counts for past periods do not change.
import type { Kysely, Migration } from 'kysely';

export const retention: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('retention_rules')
      .addColumn('outcome', 'text', (c) => c.primaryKey())
      .addColumn('months', 'integer', (c) => c.notNull())
      .addColumn('set_on', 'text', (c) => c.notNull())
      .addColumn('set_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('cases').addColumn('purged_on', 'text').execute();
    // The purge looks for closed cases not yet purged.
    await db.schema.createIndex('cases_retention').on('cases').columns(['status', 'purged_on']).execute();
  },
};
