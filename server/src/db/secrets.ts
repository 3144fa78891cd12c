// Per-installation secrets kept in the settings table: made once, at the first
// start that needs one, and then read by every instance sharing the database.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './database.ts';

/** The secret stored under `key` (32 random bytes, base64url), created if missing; races settle on one row. */
export async function installationSecret(db: Kysely<Database>, key: string): Promise<Buffer> {
  await db.insertInto('settings').values({ key, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64url');
}
