// Loads the force's structure through the same repositories the app uses.
// Idempotent: every write is an upsert, so it runs at each start.
import type { Kysely } from 'kysely';
import type { Database } from '../server/src/db/database.ts';
import { setCentralTeam, upsertCategory, upsertCommand, upsertTeam, upsertUnit } from '../server/src/intake/repository.ts';
import { CATEGORIES, CENTRAL_DEFAULT_TEAM, CENTRAL_TEAMS, COMMANDS } from './structure.ts';

export async function seedStructure(db: Kysely<Database>): Promise<void> {
  for (const t of CENTRAL_TEAMS) await upsertTeam(db, { id: t.id, label: t.label, central: 1 });
  for (const c of COMMANDS) {
    await upsertTeam(db, { id: c.psuTeam.id, label: c.psuTeam.label, central: 0 });
    await upsertCommand(db, { id: c.id, label: c.label, psu_team_id: c.psuTeam.id });
    for (const u of c.units) await upsertUnit(db, { id: u.id, label: u.label, command_id: c.id });
  }
  await setCentralTeam(db, CENTRAL_DEFAULT_TEAM);
  for (const [sort, c] of CATEGORIES.entries()) {
    await upsertCategory(db, { id: c.id, label: c.label, hint: c.hint, team_id: c.team, sort });
  }
}
