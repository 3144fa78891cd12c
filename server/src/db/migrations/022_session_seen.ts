// Staff sessions' seen times move out of staff_sessions. Every staff request's session row and
// principal are kept under a change token over staff_sessions (auth/session-cache.ts); the seen time
// moved about once a minute per active session, so each touch made every other session read its row
// and principal again. The touches now go to this table, which nothing kept reads (and which is
// quiet on PostgreSQL's change feed, db/pg-changes.ts); see auth/session-seen.ts for the idle check.
// Nothing is copied: staff_sessions.seen_ms stays (set when the session starts, and as the last
// release moved it), and a session's seen time is the later of the two, so a session live at the
// upgrade keeps its seen time. A staff action's time, never a reporter's: milliseconds are fine.
// Like the others it takes Kysely<any> and imports no app code.
import { sql, type Kysely, type Migration } from 'kysely';

export function sessionSeen(kind: 'sqlite' | 'postgres'): Migration {
  // Milliseconds since the epoch do not fit PostgreSQL's 32-bit integer.
  const ms = kind === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<any>): Promise<void> {
      const table = db.schema.createTable('staff_session_seen')
        .addColumn('id_hash', 'text', (c) => c.primaryKey().references('staff_sessions.id_hash').onDelete('cascade'))
        .addColumn('seen_ms', sql.raw(ms), (c) => c.notNull());
      // SQLite: one b-tree keyed by the hash, rather than a rowid table plus its primary-key index.
      await (kind === 'sqlite' ? table.modifyEnd(sql`WITHOUT ROWID`) : table).execute();
    },
  };
}
