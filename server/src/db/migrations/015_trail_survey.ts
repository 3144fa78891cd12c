// Issue 14, parts 3 and 4: the case trail and "did you feel listened to?".
// - case_history.staff_id: who moved the case (staff see names on their own
//   timeline; the reporter never does). Null for the reporter's own receipt
//   and for entries written before this migration.
// - case_history.team_id: for a 'referred' entry, the team the case went to,
//   so the reporter's timeline can name it by role.
// - survey_answers: one answer per invitation (closing, three months open).
//   Two scores 1-5 in the clear (oversight counts them), the day only, and an
//   optional comment sealed in the reporter's browser under the case key.
//   WITHOUT ROWID on SQLite and a random id: nothing numbers the answers in
//   the order they came.
import { sql, type Kysely, type Migration } from 'kysely';

export const trailSurvey = (kind: 'sqlite' | 'postgres'): Migration => ({
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('case_history').addColumn('staff_id', 'text').execute();
    await db.schema.alterTable('case_history').addColumn('team_id', 'text').execute();
    const answers = db.schema.createTable('survey_answers')
      .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
      .addColumn('invitation', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('on', 'text', (c) => c.notNull())
      .addColumn('listened', 'integer', (c) => c.notNull())
      .addColumn('supported', 'integer', (c) => c.notNull())
      .addColumn('comment_nonce', 'text')
      .addColumn('comment_ct', 'text')
      .addPrimaryKeyConstraint('survey_answers_pk', ['case_id', 'invitation']);
    await (kind === 'sqlite' ? answers.modifyEnd(sql`without rowid`) : answers).execute();
    await db.schema.createIndex('survey_answers_on').on('survey_answers').column('on').execute();
  },
});
