// Trail and survey storage. Kysely only. The history's staff names and team
// labels are joined here for the triage view; the reporter's view takes team
// labels only (service.ts).
import type { Kysely, Transaction } from 'kysely';
import type { Database, SurveyAnswersTable } from '../db/database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface LabelledHistory {
  status: string;
  on: string;
  staffId: string | null;
  staffName: string | null;
  teamId: string | null;
  teamLabel: string | null;
}

/** The case's history in its own order, with the acting staff member's name and a referral's team. */
export async function labelledHistory(db: Db, caseId: number): Promise<LabelledHistory[]> {
  const rows = await db.selectFrom('case_history')
    .leftJoin('staff', 'staff.id', 'case_history.staff_id')
    .leftJoin('teams', 'teams.id', 'case_history.team_id')
    .select(['case_history.status', 'case_history.on', 'case_history.staff_id', 'staff.display_name', 'case_history.team_id', 'teams.label'])
    .where('case_history.case_id', '=', caseId).orderBy('case_history.n').execute();
  return rows.map((r) => ({
    status: r.status, on: r.on, staffId: r.staff_id, staffName: r.display_name, teamId: r.team_id, teamLabel: r.label,
  }));
}

export async function answersOf(db: Db, caseId: number) {
  return db.selectFrom('survey_answers').selectAll().where('case_id', '=', caseId).execute();
}

/** Inserts one answer; the (case, invitation) key refuses a second (a unique violation). */
export async function insertAnswer(db: Db, row: SurveyAnswersTable): Promise<void> {
  await db.insertInto('survey_answers').values(row).execute();
}
