// The inbox's tab counts read every case of the user's teams. cases_inbox already held all but one of
// the columns they test (team, next due day, id); the other, welfare_on (an open welfare request keeps a
// case in "open"), sent SQLite to each case's row, and a case row carries its sealed report: on
// 11 000 cases of one team the two counts took ~60 ms, on the event loop. With welfare_on at the end of
// the index the counts read the index alone (~20 ms); the index still serves the page's order, since a
// trailing column changes no order, and it is no more work to write (welfare_on is usually null).
//
// Replacing an index on a large table must not leave it half done, nor stop the cases table for the
// build. SQLite (whose migrations Kysely runs outside a transaction): drop and create in one
// transaction of our own, so a crash leaves the old index or the new one, never none. PostgreSQL (each
// migration in a transaction): the new index is built under another name first, which takes a lock that
// lets reads go on (writes wait), and only then is the old one dropped and the new one renamed, which
// takes the table's exclusive lock for an instant at the end instead of for the whole build.
import { sql, type Kysely, type Migration } from 'kysely';

const COLUMNS = sql.raw('(team_id, next_due_on, received_on DESC, id DESC, welfare_on)');

export function inboxCounts(kind: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      if (kind === 'postgres') {
        await sql`CREATE INDEX cases_inbox_next ON cases ${COLUMNS}`.execute(db);
        await sql`DROP INDEX cases_inbox`.execute(db);
        await sql`ALTER INDEX cases_inbox_next RENAME TO cases_inbox`.execute(db);
        return;
      }
      await sql`BEGIN`.execute(db);
      try {
        await sql`DROP INDEX IF EXISTS cases_inbox`.execute(db);
        await sql`CREATE INDEX cases_inbox ON cases ${COLUMNS}`.execute(db);
        await sql`COMMIT`.execute(db);
      } catch (err) {
        await sql`ROLLBACK`.execute(db);
        throw err;
      }
    },
  };
}
