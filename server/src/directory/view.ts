// What staff see of the key directory: a team's recipients, members waiting for a
// lead's certification and the recent key changes (every member sees them: a new
// recipient of their team's reports is never silent).
import type { Kysely } from 'kysely';
import type { KeyChangeWire, SigningRequests, TeamKeys } from '../../../shared/src/api/keys.ts';
import { addDays } from '../../../shared/src/domain/clock.ts';
import type { Database } from '../db/database.ts';
import { ApiError } from '../plugins/errors.ts';
import * as certs from './certificates.ts';
import { enrolledMembers, keyedMembers } from './repository.ts';

type Db = Kysely<Database>;
const ZERO = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
/** How far back the inbox banner looks. */
export const RECENT_DAYS = 14;

async function changesOf(db: Db, team: { id: string; label: string }, limit: number): Promise<KeyChangeWire[]> {
  return (await certs.recentLog(db, team.id, limit)).map((r) => ({
    team: team.id, teamLabel: team.label, seq: Number(r.seq), action: r.action, name: r.staff_name, by: r.actor_name, on: r.on,
  }));
}

export async function teamKeys(db: Db, actor: { id: string; teams: { id: string; label: string; lead: boolean }[] }, teamId: string): Promise<TeamKeys> {
  const team = actor.teams.find((t) => t.id === teamId);
  if (!team) throw new ApiError('forbidden');
  const [enrolled, certified, head, orgKey, all] = await Promise.all([
    enrolledMembers(db, teamId), keyedMembers(db, teamId), certs.logHead(db, teamId), certs.getOrgKey(db), certs.teamCerts(db, teamId),
  ]);
  const done = new Set(certified.map((m) => m.id));
  const pending = [];
  for (const m of enrolled) {
    if (done.has(m.id) || m.public_key === null) continue;
    const previous = await certs.latestCert(db, teamId, m.id, 'member');
    pending.push({ staffId: m.id, displayName: m.display_name, publicKey: m.public_key, seesIdentity: m.sees_identity === 1, replaces: previous?.hash ?? null });
  }
  const mine = all.find((c) => c.kind === 'lead' && c.staff_id === actor.id && c.signer === orgKey);
  return {
    team: { id: team.id, label: team.label },
    you: { lead: team.lead, certifiedSigningKey: team.lead && mine ? mine.public_key : null },
    head: { seq: Number(head?.seq ?? 0), hash: head?.hash ?? ZERO },
    recipients: certified.map((m) => ({ staffId: m.id, displayName: m.displayName, publicKey: m.publicKey, seesIdentity: m.seesIdentity })),
    pending,
    changes: await changesOf(db, team, 20),
  };
}

/** Key changes in the last RECENT_DAYS days in every team the caller belongs to, newest first. */
export async function recentChanges(db: Db, teams: { id: string; label: string }[], today: string): Promise<KeyChangeWire[]> {
  const since = addDays(today, -RECENT_DAYS);
  const all = (await Promise.all(teams.map((t) => changesOf(db, t, 10)))).flat();
  return all.filter((c) => c.on >= since).sort((a, b) => (a.on === b.on ? b.seq - a.seq : a.on < b.on ? 1 : -1));
}

/** For the organisation's ceremony: leads who registered a signing key that has no organisation certificate for a team they lead. */
export async function signingRequests(db: Db): Promise<SigningRequests> {
  const orgKey = await certs.getOrgKey(db);
  const rows = await db.selectFrom('lead_signing_keys')
    .innerJoin('team_members', 'team_members.staff_id', 'lead_signing_keys.staff_id')
    .innerJoin('staff', 'staff.id', 'lead_signing_keys.staff_id')
    .select(['staff.id', 'staff.display_name', 'team_members.team_id', 'lead_signing_keys.public_key'])
    .where('team_members.lead', '=', 1).where('staff.deactivated_on', 'is', null).orderBy('staff.id').execute();
  const out: SigningRequests = [];
  for (const r of rows) {
    const have = (await certs.teamCerts(db, r.team_id)).some((c) => c.kind === 'lead' && c.staff_id === r.id && c.public_key === r.public_key && c.signer === orgKey);
    if (!have) out.push({ staffId: r.id, displayName: r.display_name, team: r.team_id, signingKey: r.public_key });
  }
  return out;
}
