// Kysely only: certificates as received, lead signing keys and the key log. Policy
// (who may certify what, the signature checks) is in service.ts.
import type { Kysely, Transaction } from 'kysely';
import type { Database, KeyCertificatesTable, KeyLogTable } from '../db/database.ts';
import type { Insertable, Selectable } from 'kysely';

type Db = Kysely<Database> | Transaction<Database>;
export type CertRow = Selectable<KeyCertificatesTable>;
export type LogRow = Selectable<KeyLogTable>;

const ORG_KEY = 'org_public_key';

/** The organisation's Ed25519 public key (base64url), the root every chain must end at; null before setup. */
export async function getOrgKey(db: Db): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', ORG_KEY).executeTakeFirst();
  return row?.value ?? null;
}

export async function setOrgKey(db: Db, publicKey: string): Promise<void> {
  await db.insertInto('settings').values({ key: ORG_KEY, value: publicKey })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: publicKey })).execute();
}

export async function insertCert(db: Db, row: Insertable<KeyCertificatesTable>): Promise<void> {
  await db.insertInto('key_certificates').values(row).onConflict((oc) => oc.column('hash').doNothing()).execute();
}

/** Unrevoked member and lead certificates of a team. */
export async function teamCerts(db: Db, teamId: string): Promise<CertRow[]> {
  return db.selectFrom('key_certificates').selectAll().where('team_id', '=', teamId).where('revoked_on', 'is', null)
    .orderBy('issued_on', 'desc').orderBy('hash').execute();
}

export async function recoveryCerts(db: Db): Promise<CertRow[]> {
  return db.selectFrom('key_certificates').selectAll().where('kind', '=', 'recovery').where('revoked_on', 'is', null).execute();
}

/** The newest certificate of this kind for a staff member in a team, revoked or not: what a new one replaces. */
export async function latestCert(db: Db, teamId: string, staffId: string, kind: 'member' | 'lead'): Promise<CertRow | undefined> {
  const rows = await db.selectFrom('key_certificates').selectAll().where('team_id', '=', teamId).where('staff_id', '=', staffId)
    .where('kind', '=', kind).execute();
  // Follow the replaces chain to its end rather than trusting dates (two in one day are possible).
  const replaced = new Set(rows.map((r) => r.replaces).filter((h): h is string => h !== null));
  return rows.find((r) => !replaced.has(r.hash));
}

export async function unrevokedCertsOf(db: Db, staffId: string): Promise<CertRow[]> {
  return db.selectFrom('key_certificates').selectAll().where('staff_id', '=', staffId).where('revoked_on', 'is', null).execute();
}

export async function revokeCert(db: Db, hash: string, on: string): Promise<void> {
  await db.updateTable('key_certificates').set({ revoked_on: on }).where('hash', '=', hash).where('revoked_on', 'is', null).execute();
}

export async function logHead(db: Db, teamId: string): Promise<LogRow | undefined> {
  return db.selectFrom('key_log').selectAll().where('team_id', '=', teamId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

export async function appendLog(db: Db, row: Insertable<KeyLogTable>): Promise<void> {
  await db.insertInto('key_log').values(row).execute();
}

export async function recentLog(db: Db, teamId: string, limit: number): Promise<(LogRow & { staff_name: string | null; actor_name: string | null })[]> {
  return db.selectFrom('key_log')
    .leftJoin('staff as s', 's.id', 'key_log.staff_id')
    .leftJoin('staff as a', 'a.id', 'key_log.actor')
    .selectAll('key_log').select(['s.display_name as staff_name', 'a.display_name as actor_name'])
    .where('key_log.team_id', '=', teamId).orderBy('key_log.seq', 'desc').limit(limit).execute();
}

export async function setLeadSigningKey(db: Db, staffId: string, publicKey: string): Promise<void> {
  await db.insertInto('lead_signing_keys').values({ staff_id: staffId, public_key: publicKey })
    .onConflict((oc) => oc.column('staff_id').doUpdateSet({ public_key: publicKey })).execute();
}

export async function leadSigningKey(db: Db, staffId: string): Promise<string | null> {
  const row = await db.selectFrom('lead_signing_keys').select('public_key').where('staff_id', '=', staffId).executeTakeFirst();
  return row?.public_key ?? null;
}

export async function clearLeadSigningKey(db: Db, staffId: string): Promise<void> {
  await db.deleteFrom('lead_signing_keys').where('staff_id', '=', staffId).execute();
}
