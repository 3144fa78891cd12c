// Advice storage: Kysely only. The case row itself is written and changed by case/repository.ts
// (an advice request is a case row of kind 'advice'); here, what only advice needs.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database>;

export async function categoryExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('categories').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function unitExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('units').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}
