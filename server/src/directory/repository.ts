// The key directory: who a case may be wrapped to. Staff keys of a team's
// members and the organisation's recovery key. Intake (new reports) and triage
// (assign, refer) read recipients from here and nowhere else.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, NewStaff } from '../db/database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface RecipientRow {
  id: string;
  publicKey: string;
  kind: 'staff' | 'recovery';
  seesIdentity: boolean;
}

export interface KeyedMember {
  id: string;
  displayName: string;
  role: string;
  publicKey: string;
  seesIdentity: boolean;
}

export async function upsertStaff(db: Db, s: NewStaff): Promise<void> {
  await db.insertInto('staff').values(s)
    .onConflict((oc) => oc.column('id').doUpdateSet({ display_name: s.display_name, role: s.role, public_key: s.public_key ?? null }))
    .execute();
}

export async function addTeamMember(db: Db, teamId: string, staffId: string, seesIdentity: boolean): Promise<void> {
  const flag = seesIdentity ? 1 : 0;
  await db.insertInto('team_members').values({ team_id: teamId, staff_id: staffId, sees_identity: flag })
    .onConflict((oc) => oc.columns(['team_id', 'staff_id']).doUpdateSet({ sees_identity: flag }))
    .execute();
}

/** Reserved: no staff username may start with it (admin refuses one). */
export const RECOVERY_PREFIX = 'recovery-';

/** A stable, non-secret id for a recovery public key. */
export const recoveryKeyId = (publicKey: string): string =>
  `${RECOVERY_PREFIX}${createHash('sha256').update(publicKey).digest('hex').slice(0, 12)}`;

/** Makes `publicKey` (base64url) the only active recovery key. */
export async function setRecoveryKey(db: Kysely<Database>, publicKey: string): Promise<string> {
  const id = recoveryKeyId(publicKey);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('recovery_keys').set({ active: 0 }).where('id', '!=', id).execute();
    await tx.insertInto('recovery_keys').values({ id, public_key: publicKey, active: 1 })
      .onConflict((oc) => oc.column('id').doUpdateSet({ active: 1 }))
      .execute();
  });
  return id;
}

/** Members of a team who hold a key (someone still enrolling cannot receive a wrap) and are not deactivated, by id. */
export async function keyedMembers(db: Db, teamId: string): Promise<KeyedMember[]> {
  const rows = await db.selectFrom('team_members').innerJoin('staff', 'staff.id', 'team_members.staff_id')
    .select(['staff.id', 'staff.display_name', 'staff.role', 'staff.public_key', 'team_members.sees_identity'])
    .where('team_members.team_id', '=', teamId)
    .where('staff.public_key', 'is not', null)
    // A deactivated account is no recipient: nothing new is sealed to a key nobody may use.
    .where('staff.deactivated_on', 'is', null)
    .orderBy('staff.id')
    .execute();
  return rows.map((r) => ({
    id: r.id, displayName: r.display_name, role: r.role, publicKey: r.public_key as string, seesIdentity: r.sees_identity === 1,
  }));
}

/** The team's keyed members, then the active recovery key (every case is wrapped to it). */
export async function teamRecipients(db: Db, teamId: string): Promise<RecipientRow[]> {
  const staff = await keyedMembers(db, teamId);
  const recovery = await db.selectFrom('recovery_keys').select(['id', 'public_key']).where('active', '=', 1).execute();
  return [
    ...staff.map((s) => ({ id: s.id, publicKey: s.publicKey, kind: 'staff' as const, seesIdentity: s.seesIdentity })),
    ...recovery.map((r) => ({ id: r.id, publicKey: r.public_key, kind: 'recovery' as const, seesIdentity: true })),
  ];
}
