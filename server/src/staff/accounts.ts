// Staff accounts as sign-in sees them: lookup by username, the summary sent
// to the browser, team membership with lead flags.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { StaffRole, StaffSummaryWire } from '../../../shared/src/api/staff.ts';
import type { Database, Staff } from '../db/database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface Principal {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  teams: { id: string; label: string; lead: boolean; seesIdentity: boolean }[];
}

export const sha256Hex = (value: string | Uint8Array): string => createHash('sha256').update(value).digest('hex');

/** Constant-time comparison of two hex digests of equal length. */
export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export const normaliseUsername = (u: string): string => u.trim().toLowerCase();

export async function findByUsername(db: Db, username: string): Promise<Staff | undefined> {
  return db.selectFrom('staff').selectAll().where('username', '=', normaliseUsername(username)).executeTakeFirst();
}

export async function principalOf(db: Db, staffId: string): Promise<Principal | undefined> {
  const s = await db.selectFrom('staff').select(['id', 'username', 'display_name', 'role']).where('id', '=', staffId).executeTakeFirst();
  if (!s) return undefined;
  const teams = await db.selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select(['teams.id', 'teams.label', 'team_members.lead', 'team_members.sees_identity'])
    .where('team_members.staff_id', '=', staffId)
    .orderBy('teams.id')
    .execute();
  return {
    id: s.id, username: s.username, displayName: s.display_name, role: s.role as StaffRole,
    teams: teams.map((t) => ({ id: t.id, label: t.label, lead: t.lead === 1, seesIdentity: t.sees_identity === 1 })),
  };
}

export const summaryOf = (p: Principal): StaffSummaryWire => ({
  id: p.id, username: p.username, displayName: p.displayName, role: p.role,
  teams: p.teams.map((t) => ({ id: t.id, label: t.label, lead: t.lead })),
});

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 100 random bits in Crockford base32, grouped for reading aloud or copying from a note. */
export function newEnrolmentSecret(): string {
  const bytes = randomBytes(20);
  let s = '';
  for (let i = 0; i < 20; i++) s += CROCKFORD[bytes[i]! & 31];
  return s.match(/.{4}/g)!.join('-');
}

/** Case, dashes and spaces do not matter when the secret is typed back. */
export const enrolmentHash = (secret: string): string => sha256Hex(`rc1 enrolment ${secret.toUpperCase().replace(/[\s-]/g, '')}`);
