// Administration storage: accounts and team membership. Kysely only.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Tx = Transaction<Database>;

export async function accounts(db: Db) {
  const [staff, members] = await Promise.all([
    db.selectFrom('staff').select(['id', 'username', 'display_name', 'role', 'state']).orderBy('username').execute(),
    db.selectFrom('team_members').selectAll().orderBy('team_id').execute(),
  ]);
  return { staff, members };
}

export async function teamIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('teams').select('id').execute()).map((t) => t.id);
}

export interface NewAccountRow {
  id: string;
  username: string;
  displayName: string;
  role: string;
  createdOn: string;
  enrolHash: string;
  teams: { id: string; seesIdentity: boolean; lead: boolean }[];
}

export async function insertAccount(tx: Tx, a: NewAccountRow): Promise<void> {
  await tx.insertInto('staff').values({
    id: a.id, username: a.username, display_name: a.displayName, role: a.role, public_key: null, created_on: a.createdOn,
    state: 'enrol', enrol_hash: a.enrolHash,
  }).execute();
  for (const t of a.teams) {
    await tx.insertInto('team_members').values({ team_id: t.id, staff_id: a.id, sees_identity: t.seesIdentity ? 1 : 0, lead: t.lead ? 1 : 0 }).execute();
  }
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
