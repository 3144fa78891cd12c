// Administration storage: accounts, team membership and what an account may
// open (its wraps). Kysely only; the rules live in service.ts and changes.ts.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { toCount } from '../db/dialect.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Tx = Transaction<Database>;

export interface AccountFilter {
  q?: string;
  role?: string;
  team?: string;
  state?: 'active' | 'enrol' | 'deactivated';
}

const COLUMNS = ['id', 'username', 'display_name', 'role', 'state', 'deactivated_on'] as const;

/** LIKE with `\` as the escape character on both dialects, so a typed % or _ matches itself. */
const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function matching(f: AccountFilter) {
  return (eb: ExpressionBuilder<Database, 'staff'>) => {
    const conds: Expression<SqlBool>[] = [];
    if (f.q) {
      const like = `%${escapeLike(f.q.toLowerCase())}%`;
      conds.push(eb.or([
        sql<SqlBool>`lower(${eb.ref('staff.display_name')}) like ${like} escape '\\'`,
        sql<SqlBool>`lower(${eb.ref('staff.username')}) like ${like} escape '\\'`,
      ]));
    }
    if (f.role) conds.push(eb('staff.role', '=', f.role));
    if (f.team) {
      const team = f.team;
      conds.push(eb.exists(eb.selectFrom('team_members').select('team_members.staff_id')
        .whereRef('team_members.staff_id', '=', 'staff.id').where('team_members.team_id', '=', team)));
    }
    if (f.state === 'deactivated') conds.push(eb('staff.deactivated_on', 'is not', null));
    else if (f.state) conds.push(eb.and([eb('staff.state', '=', f.state), eb('staff.deactivated_on', 'is', null)]));
    return eb.and(conds);
  };
}

/** One page of accounts matching `f`, by username, with the total over all pages. */
export async function findAccounts(db: Db, f: AccountFilter, page: { offset: number; limit: number }) {
  const [rows, count] = await Promise.all([
    db.selectFrom('staff').select(COLUMNS).where(matching(f)).orderBy('username').orderBy('id').offset(page.offset).limit(page.limit).execute(),
    db.selectFrom('staff').select((eb) => eb.fn.countAll().as('n')).where(matching(f)).executeTakeFirst(),
  ]);
  return { rows, total: toCount(count?.n) };
}

export async function accountRow(db: Db, id: string) {
  return db.selectFrom('staff').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function membershipsOf(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('team_members').selectAll().where('staff_id', 'in', ids).orderBy('team_id').execute();
}

export async function teamIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('teams').select('id').execute()).map((t) => t.id);
}

export interface Grant { id: string; seesIdentity: boolean; lead: boolean }

export interface NewAccountRow {
  id: string;
  username: string;
  displayName: string;
  role: string;
  createdOn: string;
  enrolHash: string;
  teams: Grant[];
}

export async function insertAccount(tx: Tx, a: NewAccountRow): Promise<void> {
  await tx.insertInto('staff').values({
    id: a.id, username: a.username, display_name: a.displayName, role: a.role, public_key: null, created_on: a.createdOn,
    state: 'enrol', enrol_hash: a.enrolHash,
  }).execute();
  await insertGrants(tx, a.id, a.teams);
}

async function insertGrants(tx: Tx, staffId: string, teams: Grant[]): Promise<void> {
  for (const t of teams) {
    await tx.insertInto('team_members').values({ team_id: t.id, staff_id: staffId, sees_identity: t.seesIdentity ? 1 : 0, lead: t.lead ? 1 : 0 }).execute();
  }
}

/** Name, role and the whole set of team grants, replaced. */
export async function updateAccount(tx: Tx, id: string, a: { displayName: string; role: string; teams: Grant[] }): Promise<void> {
  await tx.updateTable('staff').set({ display_name: a.displayName, role: a.role }).where('id', '=', id).execute();
  await tx.deleteFrom('team_members').where('staff_id', '=', id).execute();
  await insertGrants(tx, id, a.teams);
}

/**
 * Takes away what the account could open: its staff wraps and internal-key wraps, and its
 * assignments (nobody is left holding a case they cannot open). `scope` 'all' for every case;
 * otherwise every wrap of cases now in `teams`, and the identity wraps only of cases in `identityTeams`.
 * Returns how many wraps went.
 */
export async function dropCaseAccess(tx: Tx, id: string, scope: 'all' | { teams: string[]; identityTeams: string[] }): Promise<number> {
  const inTeams = (teams: string[]) => (eb: ExpressionBuilder<Database, 'case_keys' | 'internal_keys' | 'cases'>) =>
    eb.selectFrom('cases').select('cases.id').where('cases.team_id', 'in', teams);
  let removed = 0;
  if (scope === 'all') {
    removed += Number((await tx.deleteFrom('case_keys').where('recipient_id', '=', id).where('kind', '=', 'staff').executeTakeFirst()).numDeletedRows);
    removed += Number((await tx.deleteFrom('internal_keys').where('recipient_id', '=', id).executeTakeFirst()).numDeletedRows);
    await tx.updateTable('cases').set({ assigned_to: null }).where('assigned_to', '=', id).execute();
    return removed;
  }
  if (scope.teams.length > 0) {
    removed += Number((await tx.deleteFrom('case_keys').where('recipient_id', '=', id).where('kind', '=', 'staff')
      .where('case_id', 'in', inTeams(scope.teams)).executeTakeFirst()).numDeletedRows);
    removed += Number((await tx.deleteFrom('internal_keys').where('recipient_id', '=', id)
      .where('case_id', 'in', inTeams(scope.teams)).executeTakeFirst()).numDeletedRows);
    await tx.updateTable('cases').set({ assigned_to: null }).where('assigned_to', '=', id).where('team_id', 'in', scope.teams).execute();
  }
  if (scope.identityTeams.length > 0) {
    removed += Number((await tx.deleteFrom('case_keys').where('recipient_id', '=', id).where('kind', '=', 'staff').where('identity', '=', 1)
      .where('case_id', 'in', inTeams(scope.identityTeams)).executeTakeFirst()).numDeletedRows);
  }
  return removed;
}

/** Sets or clears the deactivation day; false if the account is unknown or already in that state. */
export async function setDeactivated(tx: Tx, id: string, on: string | null): Promise<boolean> {
  const r = await tx.updateTable('staff').set({ deactivated_on: on }).where('id', '=', id)
    .where('deactivated_on', on === null ? 'is not' : 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteSessionsOf(tx: Tx, id: string): Promise<number> {
  return Number((await tx.deleteFrom('staff_sessions').where('staff_id', '=', id).executeTakeFirst()).numDeletedRows);
}

/**
 * Back to enrolment: every credential and the key go; so do the account's staff wraps (they can never
 * be opened again; new ones come by assignment) and its sessions. False for an unknown account.
 */
export async function resetAccount(tx: Tx, id: string, enrolHash: string): Promise<boolean> {
  const r = await tx.updateTable('staff').set({
    state: 'enrol', enrol_hash: enrolHash, login_hash: null, kdf_salt: null, kdf_opslimit: null, kdf_memlimit: null,
    public_key: null, sk_nonce: null, sk_ct: null, totp_secret: null, totp_last_step: null,
  }).where('id', '=', id).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  await tx.deleteFrom('case_keys').where('recipient_id', '=', id).where('kind', '=', 'staff').execute();
  await tx.deleteFrom('internal_keys').where('recipient_id', '=', id).execute();
  await tx.deleteFrom('staff_sessions').where('staff_id', '=', id).execute();
  return true;
}
