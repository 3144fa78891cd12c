// Oversight storage: the facts the statistics are counted from. Routing
// metadata and dates only; nothing here touches a sealed column.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database>;

export async function caseFacts(db: Db) {
  return db.selectFrom('cases').leftJoin('units', 'units.id', 'cases.unit_id')
    .select(['cases.id', 'cases.category_id', 'cases.status', 'cases.received_on', 'units.command_id']).execute();
}

/** The first day each case reached each status after "received". */
export async function firstMoves(db: Db): Promise<{ caseId: number; status: string; on: string }[]> {
  const rows = await db.selectFrom('case_history').select(['case_id', 'status', (eb) => eb.fn.min('on').as('first')])
    .where('status', '!=', 'received').groupBy(['case_id', 'status']).execute();
  return rows.map((r) => ({ caseId: r.case_id, status: r.status, on: String(r.first) }));
}

export async function labelled(db: Db) {
  const [commands, categories] = await Promise.all([
    db.selectFrom('commands').select(['id', 'label']).orderBy('id').execute(),
    db.selectFrom('categories').select(['id', 'label']).orderBy('sort').execute(),
  ]);
  return { commands, categories };
}
