// Reference data: teams, commands, units, categories and the central default
// team. Upserts keep seeding idempotent; an admin UI will reuse them later.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, NewCategory, NewCommand, NewTeam, NewUnit } from '../db/database.ts';
import type { RoutingData } from '../../../shared/src/domain/routing.ts';
import { referenceChanged } from './reference-version.ts';

type Db = Kysely<Database> | Transaction<Database>;

const CENTRAL_TEAM_KEY = 'central_team';
/** A new random value on every reference write: instances compare it to know their cached copy is stale. */
const REFERENCE_VERSION_KEY = 'reference_version';

async function bumpReferenceVersion(db: Db): Promise<void> {
  const value = randomUUID();
  await db.insertInto('settings').values({ key: REFERENCE_VERSION_KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
  referenceChanged();
}

export async function referenceVersion(db: Db): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', REFERENCE_VERSION_KEY).executeTakeFirst();
  return row?.value ?? null;
}

export async function upsertTeam(db: Db, t: NewTeam): Promise<void> {
  await db.insertInto('teams').values(t)
    .onConflict((oc) => oc.column('id').doUpdateSet({ label: t.label, central: t.central ?? 0 }))
    .execute();
  await bumpReferenceVersion(db);
}

export async function upsertCommand(db: Db, c: NewCommand): Promise<void> {
  await db.insertInto('commands').values(c)
    .onConflict((oc) => oc.column('id').doUpdateSet({ label: c.label, psu_team_id: c.psu_team_id }))
    .execute();
  await bumpReferenceVersion(db);
}

export async function upsertUnit(db: Db, u: NewUnit): Promise<void> {
  await db.insertInto('units').values(u)
    .onConflict((oc) => oc.column('id').doUpdateSet({ label: u.label, command_id: u.command_id }))
    .execute();
  await bumpReferenceVersion(db);
}

export async function upsertCategory(db: Db, c: NewCategory): Promise<void> {
  await db.insertInto('categories').values(c)
    .onConflict((oc) => oc.column('id').doUpdateSet({ label: c.label, hint: c.hint, team_id: c.team_id ?? null, sort: c.sort ?? 0 }))
    .execute();
  await bumpReferenceVersion(db);
}

export async function setCentralTeam(db: Db, teamId: string): Promise<void> {
  await db.insertInto('settings').values({ key: CENTRAL_TEAM_KEY, value: teamId })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: teamId }))
    .execute();
  await bumpReferenceVersion(db);
}

export async function getCentralTeam(db: Db): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', CENTRAL_TEAM_KEY).executeTakeFirst();
  return row?.value ?? null;
}

export interface ReferenceData {
  teams: { id: string; label: string; central: boolean }[];
  commands: { id: string; label: string; psuTeam: string }[];
  units: { id: string; label: string; command: string; commandLabel: string }[];
  categories: { id: string; label: string; hint: string; team: string | null }[];
  centralTeam: string;
}

export async function loadReference(db: Db): Promise<ReferenceData> {
  const [teams, commands, units, categories, centralTeam] = await Promise.all([
    db.selectFrom('teams').selectAll().orderBy('id').execute(),
    db.selectFrom('commands').selectAll().orderBy('label').execute(),
    db.selectFrom('units').innerJoin('commands', 'commands.id', 'units.command_id')
      .select(['units.id', 'units.label', 'units.command_id', 'commands.label as command_label'])
      .orderBy('commands.label').orderBy('units.label').execute(),
    db.selectFrom('categories').selectAll().orderBy('sort').orderBy('id').execute(),
    getCentralTeam(db),
  ]);
  if (centralTeam === null) throw new Error('no central team configured: run the seeds');
  return {
    teams: teams.map((t) => ({ id: t.id, label: t.label, central: t.central === 1 })),
    commands: commands.map((c) => ({ id: c.id, label: c.label, psuTeam: c.psu_team_id })),
    units: units.map((u) => ({ id: u.id, label: u.label, command: u.command_id, commandLabel: u.command_label })),
    categories: categories.map((c) => ({ id: c.id, label: c.label, hint: c.hint, team: c.team_id })),
    centralTeam,
  };
}

export function routingData(ref: ReferenceData): RoutingData {
  return {
    categories: new Map(ref.categories.map((c) => [c.id, { team: c.team }])),
    units: new Map(ref.units.map((u) => [u.id, { command: u.command }])),
    commandPsu: new Map(ref.commands.map((c) => [c.id, c.psuTeam])),
    centralTeam: ref.centralTeam,
  };
}
