import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

/** One round trip: the database accepts connections and answers queries. */
export async function pingDatabase(db: Kysely<Database>): Promise<boolean> {
  await sql`SELECT 1`.execute(db);
  return true;
}
