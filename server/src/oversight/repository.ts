// Oversight storage: the facts the statistics are counted from. Routing
// metadata and dates only; nothing here touches a sealed column.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database>;

/** Cases received up to and including `through`. */
export async function caseFacts(db: Db, through: string) {
  return db.selectFrom('cases').leftJoin('units', 'units.id', 'cases.unit_id')
    .select(['cases.id', 'cases.category_id', 'cases.status', 'cases.received_on', 'units.command_id'])
    .where('cases.received_on', '<=', through).execute();
}

/** Every status change dated up to and including `through`, in each case's own order. */
export async function historyThrough(db: Db, through: string): Promise<{ caseId: number; status: string; on: string }[]> {
  const rows = await db.selectFrom('case_history').select(['case_id', 'status', 'on'])
    .where('on', '<=', through).orderBy('case_id').orderBy('n').execute();
  return rows.map((r) => ({ caseId: r.case_id, status: r.status, on: r.on }));
}

export async function labelled(db: Db) {
  const [commands, categories] = await Promise.all([
    db.selectFrom('commands').select(['id', 'label']).orderBy('id').execute(),
    db.selectFrom('categories').select(['id', 'label']).orderBy('sort').execute(),
  ]);
  return { commands, categories };
}

/**
 * Survey scores answered up to and including `through`, with their case's category and command.
 * Scores only: the sealed comments are never read here.
 */
export async function answersThrough(db: Db, through: string) {
  return db.selectFrom('survey_answers')
    .innerJoin('cases', 'cases.id', 'survey_answers.case_id')
    .leftJoin('units', 'units.id', 'cases.unit_id')
    .select(['survey_answers.listened', 'survey_answers.supported', 'cases.category_id', 'units.command_id'])
    .where('survey_answers.on', '<=', through).execute();
}
