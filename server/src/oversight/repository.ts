// Oversight storage: the facts the statistics are counted from. Routing
// metadata and dates only; nothing here touches a sealed column.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database>;

/**
 * Reports received up to and including `through`. Advice requests are not reports: one counts
 * here only once it became a report, and only if that happened by `through`.
 */
export async function caseFacts(db: Db, through: string) {
  return db.selectFrom('cases').leftJoin('units', 'units.id', 'cases.unit_id')
    .select(['cases.id', 'cases.category_id', 'cases.status', 'cases.received_on', 'cases.converted_on', 'units.command_id'])
    .where('cases.kind', '=', 'report')
    .where('cases.received_on', '<=', through)
    .where((eb) => eb.or([eb('cases.converted_on', 'is', null), eb('cases.converted_on', '<=', through)]))
    .execute();
}

/** Advice requests asked up to and including `through` (those since turned into reports too): team and conversion day. */
export async function adviceFacts(db: Db, through: string) {
  return db.selectFrom('cases').select(['cases.team_id', 'cases.converted_on'])
    .where('cases.advice_ct', 'is not', null)
    .where('cases.received_on', '<=', through).execute();
}

export async function teamLabels(db: Db) {
  return db.selectFrom('teams').select(['id', 'label']).orderBy('id').execute();
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
