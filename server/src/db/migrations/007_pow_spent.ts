// rc2: proof-of-work stamps are spent once across instances. Without Redis
// the spent challenges live here: a unique id and an expiry, nothing linking
// them to a case, deleted once the challenge has expired (minutes). The
// rate-limit salt moves out of the database (it is derived from the server
// secret, per day), so the old row is deleted: a database copy must not be
// enough to map limiter keys back to addresses.
import { sql, type Kysely, type Migration } from 'kysely';

export function powSpent(kind: 'sqlite' | 'postgres'): Migration {
  // Milliseconds since the epoch do not fit PostgreSQL's 32-bit integer.
  const ms = kind === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.createTable('pow_spent')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', sql.raw(ms), (c) => c.notNull())
        .execute();
      await db.schema.createIndex('pow_spent_expiry').on('pow_spent').column('expires_at').execute();
      await db.deleteFrom('settings').where('key', '=', 'rate_limit_key_salt').execute();
    },
  };
}
