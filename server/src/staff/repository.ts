// Staff accounts, team membership and the organisation's recovery key. Kept
// generic: staff sign-in arrives in a later issue and extends these rows.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, NewStaff } from '../db/database.ts';

type Db = Kysely<Database>;

export interface RecipientRow {
  id: string;
  publicKey: string;
  kind: 'staff' | 'recovery';
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

/** A stable, non-secret id for a recovery public key. */
/** Reserved: no staff username may start with it (admin refuses one). */
export const RECOVERY_PREFIX = 'recovery-';

export const recoveryKeyId = (publicKey: string): string =>
  `${RECOVERY_PREFIX}${createHash('sha256').update(publicKey).digest('hex').slice(0, 12)}`;

/** Makes `publicKey` (base64url) the only active recovery key. */
export async function setRecoveryKey(db: Db, publicKey: string): Promise<string> {
  const id = recoveryKeyId(publicKey);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('recovery_keys').set({ active: 0 }).where('id', '!=', id).execute();
    await tx.insertInto('recovery_keys').values({ id, public_key: publicKey, active: 1 })
      .onConflict((oc) => oc.column('id').doUpdateSet({ active: 1 }))
      .execute();
  });
  return id;
}

/** The team's members who have a key, then the active recovery key (PROTOCOL.md: every case is wrapped to it). */
export async function teamRecipients(db: Db, teamId: string): Promise<RecipientRow[]> {
  const staff = await db.selectFrom('team_members')
    .innerJoin('staff', 'staff.id', 'team_members.staff_id')
    .select(['staff.id', 'staff.public_key', 'team_members.sees_identity'])
    .where('team_members.team_id', '=', teamId)
    .where('staff.public_key', 'is not', null)
    .orderBy('staff.id')
    .execute();
  const recovery = await db.selectFrom('recovery_keys').select(['id', 'public_key']).where('active', '=', 1).execute();
  return [
    ...staff.map((s) => ({ id: s.id, publicKey: s.public_key as string, kind: 'staff' as const, seesIdentity: s.sees_identity === 1 })),
    ...recovery.map((r) => ({ id: r.id, publicKey: r.public_key, kind: 'recovery' as const, seesIdentity: true })),
  ];
}
