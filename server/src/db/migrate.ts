import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './dialect.ts';
import { initial } from './migrations/001_initial.ts';
import { staff } from './migrations/002_staff.ts';
import { forgetAvoidOwnUnit } from './migrations/003_forget_avoid_own_unit.ts';
import { retention } from './migrations/006_retention.ts';

/** Migrations in order; names never change once landed. */
function migrations(kind: Db['kind']): Record<string, Migration> {
  return {
    '001_initial': initial(kind), '002_staff': staff(kind), '003_forget_avoid_own_unit': forgetAvoidOwnUnit,
    '006_retention': retention,
  };
}

export async function migrate(handle: Db): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(handle.kind) };
  const { error } = await new Migrator({ db: handle.db, provider }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('migration failed');
}
