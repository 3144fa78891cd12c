// Administration: accounts and the structure. An administrator never sees
// ciphertext or key wraps; enrolment secrets are shown once, stored hashed.
// Every change appends its audit entry in its own transaction.
import type { Kysely } from 'kysely';
import type { AccountList, EnrolmentIssuedWire, NewAccount, StaffRole, Structure } from '../../../shared/src/api/staff.ts';
import { enrolmentHash, newEnrolmentSecret } from '../auth/secrets.ts';
import { auditIn } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import type { Database, StaffState } from '../db/database.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { RECOVERY_PREFIX } from '../directory/repository.ts';
import { loadReference } from '../intake/repository.ts';
import { ApiError } from '../plugins/errors.ts';
import * as repo from './repository.ts';

export async function listAccounts(db: Kysely<Database>): Promise<AccountList> {
  const { staff, members } = await repo.accounts(db);
  return staff.map((s) => ({
    id: s.id, username: s.username, displayName: s.display_name, role: s.role as StaffRole, state: s.state as StaffState,
    teams: members.filter((m) => m.staff_id === s.id).map((m) => ({ id: m.team_id, seesIdentity: m.sees_identity === 1, lead: m.lead === 1 })),
  }));
}

export async function createAccount(ctx: AppContext, actor: string, b: NewAccount): Promise<EnrolmentIssuedWire> {
  const known = new Set(await repo.teamIds(ctx.db));
  if (b.teams.some((t) => !known.has(t.id))) throw new ApiError('invalid_request');
  // Oversight and admin hold no case keys, so team membership would only mislead routing.
  if ((b.role === 'oversight' || b.role === 'admin') && b.teams.length > 0) throw new ApiError('invalid_request');
  // Recovery keys are recipients named `recovery-<hash>` in the same wrap tables: no staff id may look like one.
  if (b.username.startsWith(RECOVERY_PREFIX)) throw new ApiError('invalid_request');
  const secret = newEnrolmentSecret();
  const id = b.username;
  try {
    await ctx.db.transaction().execute(async (tx) => {
      await repo.insertAccount(tx, {
        id, username: b.username, displayName: b.displayName, role: b.role, createdOn: ctx.today(), enrolHash: enrolmentHash(secret), teams: b.teams,
      });
      await auditIn(ctx, tx, { actor, action: 'admin.account_create', detail: { id, role: b.role, teams: b.teams.map((t) => t.id) } });
    });
  } catch (err) {
    throw isUniqueViolation(err) ? new ApiError('username_taken') : err;
  }
  return { id, enrolmentSecret: secret };
}

export async function resetAccount(ctx: AppContext, actor: string, id: string): Promise<EnrolmentIssuedWire> {
  const secret = newEnrolmentSecret();
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await repo.resetAccount(tx, id, enrolmentHash(secret)))) throw new ApiError('not_found');
    await auditIn(ctx, tx, { actor, action: 'admin.account_reset', detail: { id } });
  });
  return { id, enrolmentSecret: secret };
}

export async function structure(db: Kysely<Database>): Promise<Structure> {
  const ref = await loadReference(db);
  return {
    teams: ref.teams,
    commands: ref.commands,
    units: ref.units.map((u) => ({ id: u.id, label: u.label, command: u.command })),
    categories: ref.categories.map((c) => ({ id: c.id, label: c.label, team: c.team })),
    routing: { centralTeam: ref.centralTeam, commandPsu: Object.fromEntries(ref.commands.map((c) => [c.id, c.psuTeam])) },
  };
}
