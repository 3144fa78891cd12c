// The staff workspace in daily use: cases sortable by last activity, closed
// cases that take a reporter message back into view, and a feedback clock
// that restarts when a lead reopens a case. Like 001–003 it takes
// Kysely<any> and imports no app code. Every date here is a day: reporter-
// caused times are kept to the day on purpose, so no finer column is added.
import { sql, type Kysely, type Migration } from 'kysely';

export const inboxActivity: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    // The latest dated event of the case (received, a status change, a message or a note).
    await db.schema.alterTable('cases').addColumn('last_activity_on', 'text', (c) => c.notNull().defaultTo('0000-01-01')).execute();
    // The day a reporter wrote on a closed case that the team has not answered yet (null = none).
    await db.schema.alterTable('cases').addColumn('closed_message_on', 'text').execute();
    // The day the clocks restarted (a reopening); null = they run from received_on.
    await db.schema.alterTable('cases').addColumn('clock_from', 'text').execute();

    // Backfill with correlated subqueries both dialects read alike ("on" is quoted: it is a keyword).
    await sql`UPDATE cases SET last_activity_on = received_on`.execute(db);
    await sql`UPDATE cases SET last_activity_on = h.m FROM (SELECT case_id, MAX("on") AS m FROM case_history GROUP BY case_id) h
      WHERE h.case_id = cases.id AND h.m > cases.last_activity_on`.execute(db);
    await sql`UPDATE cases SET last_activity_on = x.m FROM (SELECT case_id, MAX("on") AS m FROM messages GROUP BY case_id) x
      WHERE x.case_id = cases.id AND x.m > cases.last_activity_on`.execute(db);
    await sql`UPDATE cases SET last_activity_on = x.m FROM (SELECT case_id, MAX("on") AS m FROM notes GROUP BY case_id) x
      WHERE x.case_id = cases.id AND x.m > cases.last_activity_on`.execute(db);

    // One index per inbox order, each led by team_id: a per-team query reads its page in index order.
    await sql`CREATE INDEX cases_received ON cases (team_id, received_on DESC, id DESC)`.execute(db);
    await sql`CREATE INDEX cases_activity ON cases (team_id, last_activity_on DESC, id DESC)`.execute(db);
  },
};
