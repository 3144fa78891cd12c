// The key directory: who a case may be wrapped to. Staff keys of a team's
// members and the organisation's recovery key, each only with its certificate
// chain (docs/PROTOCOL.md "Key certificates"): an account an administrator made
// is no recipient until a lead of the team certifies its key. Intake (new
// reports) and triage (assign, refer) read recipients from here and nowhere else.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, NewStaff } from '../db/database.ts';
import { changeToken } from '../db/data-version.ts';
import { getOrgKey, recoveryCerts, teamCerts, type CertRow } from './certificates.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface CertWireRow { body: string; sig: string }

export interface RecipientRow {
  /** Opaque recipient id (the certificate's subject): never a username. */
  id: string;
  /** The staff account behind it (wraps are stored under it); null for the recovery key. */
  staffId: string | null;
  publicKey: string;
  kind: 'staff' | 'recovery';
  seesIdentity: boolean;
  /** The member's certificate, then its lead's (the recovery key: one, from the organisation). */
  chain: CertWireRow[];
}

export interface KeyedMember {
  id: string;
  displayName: string;
  role: string;
  publicKey: string;
  seesIdentity: boolean;
  recipientId: string;
  chain: CertWireRow[];
}

const wire = (c: CertRow): CertWireRow => ({ body: c.body, sig: c.sig });

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

/** Members of a team who hold a key and are not deactivated, whether certified or not, by id. */
export async function enrolledMembers(db: Db, teamId: string) {
  return db.selectFrom('team_members').innerJoin('staff', 'staff.id', 'team_members.staff_id')
    .select(['staff.id', 'staff.display_name', 'staff.role', 'staff.public_key', 'team_members.sees_identity', 'team_members.lead'])
    .where('team_members.team_id', '=', teamId)
    .where('staff.public_key', 'is not', null)
    // A deactivated account is no recipient: nothing new is sealed to a key nobody may use.
    .where('staff.deactivated_on', 'is', null)
    .orderBy('staff.id')
    .execute();
}

/**
 * The lead certificates that count for a team: signed by the organisation key, held by someone who is
 * still an active lead of it. Keyed by the lead's signing key (what a member certificate names as signer).
 */
function validLeadCerts(certs: CertRow[], orgKey: string, leads: Set<string>): Map<string, CertRow> {
  return new Map(certs.filter((c) => c.kind === 'lead' && c.signer === orgKey && c.staff_id !== null && leads.has(c.staff_id))
    .map((c) => [c.public_key, c]));
}

/**
 * Members of a team who hold a key certified for this team by a current lead (whose own key the
 * organisation certified), for exactly their current key and identity permission; by id. Someone
 * still enrolling, reset, deactivated or whose permission changed since certification is left out.
 */
export async function keyedMembers(db: Db, teamId: string): Promise<KeyedMember[]> {
  const orgKey = await getOrgKey(db);
  if (orgKey === null) return [];
  const [rows, certs] = await Promise.all([enrolledMembers(db, teamId), teamCerts(db, teamId)]);
  const leads = validLeadCerts(certs, orgKey, new Set(rows.filter((r) => r.lead === 1).map((r) => r.id)));
  const out: KeyedMember[] = [];
  for (const r of rows) {
    const flag = r.sees_identity;
    const cert = certs.find((c) => c.kind === 'member' && c.staff_id === r.id && c.public_key === r.public_key && c.sees_identity === flag && leads.has(c.signer));
    const lead = cert && leads.get(cert.signer);
    if (!cert || !lead) continue;
    out.push({
      id: r.id, displayName: r.display_name, role: r.role, publicKey: r.public_key as string, seesIdentity: flag === 1,
      recipientId: cert.recipient_id, chain: [wire(cert), wire(lead)],
    });
  }
  return out;
}

/** The active recovery keys that carry an organisation certificate for exactly that key and id. */
export async function certifiedRecovery(db: Db): Promise<RecipientRow[]> {
  const orgKey = await getOrgKey(db);
  if (orgKey === null) return [];
  const [keys, certs] = await Promise.all([
    db.selectFrom('recovery_keys').select(['id', 'public_key']).where('active', '=', 1).execute(),
    recoveryCerts(db),
  ]);
  return keys.flatMap((k) => {
    const c = certs.find((x) => x.public_key === k.public_key && x.recipient_id === k.id && x.signer === orgKey);
    return c ? [{ id: k.id, staffId: null, publicKey: k.public_key, kind: 'recovery' as const, seesIdentity: true, chain: [wire(c)] }] : [];
  });
}

/** The team's keyed members, then the active recovery key (every case is wrapped to it). */
export async function teamRecipients(db: Db, teamId: string): Promise<RecipientRow[]> {
  const [staff, recovery] = await Promise.all([keyedMembers(db, teamId), certifiedRecovery(db)]);
  return [
    ...staff.map((s) => ({ id: s.recipientId, staffId: s.id, publicKey: s.publicKey, kind: 'staff' as const, seesIdentity: s.seesIdentity, chain: s.chain })),
    ...recovery,
  ];
}

/** What teamRecipients reads: a change to any of these makes it read again (db/data-version.ts). */
const RECIPIENT_TABLES = ['staff', 'team_members', 'key_certificates', 'recovery_keys', 'settings'] as const;
const recipientCache = new WeakMap<Kysely<Database>, Map<string, { token: string; rows: Promise<readonly RecipientRow[]> }>>();

/**
 * teamRecipients for every submission to a team, read again only when the directory may have
 * changed: six queries per report otherwise. The token is taken before reading, so a certificate
 * revoked or an account deactivated during the read is seen by the next submission; and every
 * submission's wraps are checked against the list (intake/validate.ts), never the other way round.
 * Submissions arriving during a read share it; a failed read is not kept.
 */
export async function cachedTeamRecipients(db: Kysely<Database>, teamId: string): Promise<readonly RecipientRow[]> {
  const token = await changeToken(db, RECIPIENT_TABLES);
  if (token === null) return teamRecipients(db, teamId);
  let cache = recipientCache.get(db);
  if (!cache) recipientCache.set(db, (cache = new Map()));
  let entry = cache.get(teamId);
  if (entry?.token !== token) {
    const rows = teamRecipients(db, teamId).then((r) => Object.freeze(r));
    const mine = (entry = { token, rows });
    cache.set(teamId, mine);
    rows.catch(() => { if (cache.get(teamId) === mine) cache.delete(teamId); });
  }
  return entry.rows;
}
