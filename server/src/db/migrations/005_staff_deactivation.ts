// Deactivation is kept apart from the enrolment state (`state`), so reactivating
// an account gives back exactly what it had: an enrolled officer is enrolled
// again, one still enrolling can finish. The day (not a flag) is kept because an
// administrator needs to see since when. Like the others it takes Kysely<any>
// and imports no app code.
import type { Kysely, Migration } from 'kysely';

export const staffDeactivation: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('staff').addColumn('deactivated_on', 'text').execute();
  },
};
