// DEMO ONLY staff sign-in: a lead per team, pre-enrolled officers for a few
// teams (passphrase demo-pass-<username>, deterministic TOTP secret), an
// oversight and an admin account, and one officer still to enrol. Argon2id
// costs most of a second per account, so only a handful are pre-enrolled,
// only when the row is new, and each derivation is remembered in-process.
import type { Kysely } from 'kysely';
import type { StaffRole } from '../shared/src/api/staff.ts';
import { toB64u, type KeyPair } from '../shared/src/crypto/index.ts';
import { sodium } from '../shared/src/crypto/sodium.ts';
import { deriveStaffSecrets, MIN_MEMLIMIT, MIN_OPSLIMIT, readyStaff, sealStaffSecretKey, type KdfParams, type StaffSecrets } from '../shared/src/crypto/staff.ts';
import { Secret } from 'otpauth';
import type { Database } from '../server/src/db/database.ts';
import { enrolmentHash, sha256Hex } from '../server/src/auth/secrets.ts';
import { addTeamMember, upsertStaff } from '../server/src/directory/repository.ts';
import { CENTRAL_TEAMS, COMMANDS } from './structure.ts';

type Db = Kysely<Database>;

const h0 = (label: string): Uint8Array => sodium().crypto_generichash(32, new TextEncoder().encode(label), null);

export const demoPassphrase = (username: string): string => `demo-pass-${username}`;
/** base32 of the first 20 bytes of H0("DEMO ONLY totp <username>"): e2e tests compute codes from it with otpauth. */
export const demoTotpSecret = (username: string): string => new Secret({ buffer: h0(`DEMO ONLY totp ${username}`).slice(0, 20).buffer }).base32;
export const demoKdf = (username: string): KdfParams => ({
  salt: toB64u(h0(`DEMO ONLY salt ${username}`).slice(0, 16)), opslimit: MIN_OPSLIMIT, memlimit: MIN_MEMLIMIT,
});
export const DEMO_NEW_OFFICER = 'new-officer';
/** The printed one-time enrolment secret of `new-officer`. */
export const demoEnrolmentSecret = (): string => 'DEMO-ONLY-ENROL-' + toB64u(h0('DEMO ONLY enrol new-officer')).replace(/[^A-Za-z0-9]/g, '').slice(0, 8).toUpperCase();

/** Teams whose officers and lead can sign in in the demo. */
export const DEMO_SIGN_IN_TEAMS = ['nw-bcu-psu', 'dps-central'];

export interface DemoAccount {
  username: string;
  displayName: string;
  role: StaffRole;
  team?: string;
  passphrase?: string;
  totpSecret?: string;
  enrolmentSecret?: string;
}

/**
 * A lead of two PSUs at once, so the demo (and the inbox's per-team queries) has a multi-team user.
 * Two teams no other sign-in account belongs to, so the other demo teams' key holders stay as they were.
 */
export const DEMO_MULTI_TEAM_LEAD = {
  username: 'two-team-lead', displayName: 'Demo lead, Specialist Operations and Frontline Policing HQ PSUs', teams: ['frontline-hq-psu', 'specialist-ops-psu'],
};

/** Usernames that can sign in: officers 1 and 2 and the lead of each sign-in team, the two-team lead, oversight, admin. */
export function demoSignInUsernames(): string[] {
  return [...DEMO_SIGN_IN_TEAMS.flatMap((t) => [`${t}-1`, `${t}-2`, `${t}-lead`]), DEMO_MULTI_TEAM_LEAD.username, 'oversight-demo', 'admin-demo'];
}

export const demoLeads = () => [...CENTRAL_TEAMS, ...COMMANDS.map((c) => c.psuTeam)]
  .map((t) => ({ username: `${t.id}-lead`, displayName: `Demo lead, ${t.label}`, team: t.id }));

const derived = new Map<string, Promise<StaffSecrets>>();
/** The demo account's Argon2id outputs, derived once per process (tests sign in with them). */
export const secretsOf = (username: string): Promise<StaffSecrets> => {
  let p = derived.get(username);
  if (!p) derived.set(username, p = deriveStaffSecrets(demoPassphrase(username), demoKdf(username)));
  return p;
};

/** Gives an existing, never-enrolled demo row its sign-in (keys stay the deterministic demo pair). */
async function enrol(db: Db, username: string, keyPair: KeyPair | null): Promise<void> {
  const row = await db.selectFrom('staff').select(['state']).where('id', '=', username).executeTakeFirst();
  if (!row || row.state !== 'none') return; // already enrolled, or reset by an admin: leave it
  const secrets = await secretsOf(username);
  const kdf = demoKdf(username);
  const sk = keyPair ? sealStaffSecretKey(secrets.wrappingKey, username, keyPair.secretKey) : null;
  await db.updateTable('staff').set({
    state: 'active', login_hash: sha256Hex(secrets.loginSecret), kdf_salt: kdf.salt, kdf_opslimit: kdf.opslimit, kdf_memlimit: kdf.memlimit,
    totp_secret: demoTotpSecret(username), sk_nonce: sk?.nonce ?? null, sk_ct: sk?.ct ?? null,
  }).where('id', '=', username).execute();
}

/**
 * Leads for every team, oversight, admin and new-officer; then sign-in for `signIn`
 * (usernames; default all of demoSignInUsernames()). Officers <team>-1/-2 exist already (seedDemoKeys).
 */
export async function seedDemoStaff(db: Db, today: string, keyPairOf: (u: string) => KeyPair, signIn = demoSignInUsernames()): Promise<DemoAccount[]> {
  await readyStaff();
  for (const l of demoLeads()) {
    await upsertStaff(db, { id: l.username, username: l.username, display_name: l.displayName, role: 'lead',
      public_key: toB64u(keyPairOf(l.username).publicKey), created_on: today });
    await addTeamMember(db, l.team, l.username, true);
    await db.updateTable('team_members').set({ lead: 1 }).where('team_id', '=', l.team).where('staff_id', '=', l.username).execute();
  }
  const multi = DEMO_MULTI_TEAM_LEAD;
  await upsertStaff(db, { id: multi.username, username: multi.username, display_name: multi.displayName, role: 'lead',
    public_key: toB64u(keyPairOf(multi.username).publicKey), created_on: today });
  for (const team of multi.teams) {
    await addTeamMember(db, team, multi.username, true);
    await db.updateTable('team_members').set({ lead: 1 }).where('team_id', '=', team).where('staff_id', '=', multi.username).execute();
  }
  for (const [username, role, name] of [['oversight-demo', 'oversight', 'Demo oversight'], ['admin-demo', 'admin', 'Demo administrator']] as const) {
    await db.insertInto('staff').values({ id: username, username, display_name: name, role, public_key: null, created_on: today })
      .onConflict((oc) => oc.column('id').doNothing()).execute();
  }
  // Inserted once only: after enrolment in the demo its new key must survive a restart.
  const inserted = await db.insertInto('staff').values({
    id: DEMO_NEW_OFFICER, username: DEMO_NEW_OFFICER, display_name: 'Demo new officer, North West BCU', role: 'triage',
    public_key: null, created_on: today, state: 'enrol', enrol_hash: enrolmentHash(demoEnrolmentSecret()),
  }).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
    await db.insertInto('team_members').values({ team_id: 'nw-bcu-psu', staff_id: DEMO_NEW_OFFICER, sees_identity: 0, lead: 0 })
      .onConflict((oc) => oc.columns(['team_id', 'staff_id']).doNothing()).execute();
  }
  for (const u of signIn) {
    const holdsKey = !u.startsWith('oversight') && !u.startsWith('admin');
    await enrol(db, u, holdsKey ? keyPairOf(u) : null);
  }
  const accounts: DemoAccount[] = signIn.map((u) => {
    const role: StaffRole = u === 'oversight-demo' ? 'oversight' : u === 'admin-demo' ? 'admin' : u.endsWith('-lead') ? 'lead' : 'triage';
    return { username: u, displayName: u, role, passphrase: demoPassphrase(u), totpSecret: demoTotpSecret(u) };
  });
  accounts.push({ username: DEMO_NEW_OFFICER, displayName: DEMO_NEW_OFFICER, role: 'triage', team: 'nw-bcu-psu', enrolmentSecret: demoEnrolmentSecret() });
  return accounts;
}
