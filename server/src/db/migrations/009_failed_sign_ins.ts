// Failed sign-in attempts on an account since its owner last signed in, so the
// owner is told about them (a stranger's attempts no longer lock the owner
// out, so they must at least be seen). A count, not a log: no times, no
// addresses.
import type { Kysely, Migration } from 'kysely';

export const failedSignIns: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('staff').addColumn('failed_sign_ins', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
};
