// Administration: accounts and the structure. An administrator never sees
// ciphertext or key wraps; enrolment secrets are shown once, stored hashed.
// Every change appends its audit entry in its own transaction.
import type { Kysely } from 'kysely';
import {
  ACCOUNTS_PAGE_SIZE, type AccountFilters, type AccountList, type AccountWire, type EnrolmentIssuedWire, type NewAccount, type StaffRole,
  type Structure,
} from '../../../shared/src/api/staff.ts';
import { enrolmentHash, newEnrolmentSecret } from '../auth/secrets.ts';
import { auditIn } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import type { Database, StaffState } from '../db/database.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { RECOVERY_PREFIX } from '../directory/repository.ts';
import { revokeAllOf } from '../directory/service.ts';
import { loadReference } from '../intake/repository.ts';
import { ApiError } from '../plugins/errors.ts';
import * as repo from './repository.ts';

type Row = NonNullable<Awaited<ReturnType<typeof repo.accountRow>>>;
type Membership = Awaited<ReturnType<typeof repo.membershipsOf>>[number];

export const toAccount = (s: Row, members: Membership[]): AccountWire => ({
  id: s.id, username: s.username, displayName: s.display_name, role: s.role as StaffRole, state: s.state as StaffState,
  deactivatedOn: s.deactivated_on,
  teams: members.filter((m) => m.staff_id === s.id).map((m) => ({ id: m.team_id, seesIdentity: m.sees_identity === 1, lead: m.lead === 1 })),
});

export async function listAccounts(db: Kysely<Database>, f: AccountFilters): Promise<AccountList> {
  const page = Number(f.page ?? '1');
  const filter: repo.AccountFilter = {
    ...(f.q?.trim() ? { q: f.q.trim() } : {}), ...(f.role ? { role: f.role } : {}), ...(f.team ? { team: f.team } : {}), ...(f.state ? { state: f.state } : {}),
  };
  const { rows, total } = await repo.findAccounts(db, filter, { offset: (page - 1) * ACCOUNTS_PAGE_SIZE, limit: ACCOUNTS_PAGE_SIZE });
  const members = await repo.membershipsOf(db, rows.map((r) => r.id));
  return { accounts: rows.map((r) => toAccount(r, members)), total, page, pageSize: ACCOUNTS_PAGE_SIZE };
}

export async function getAccount(db: Kysely<Database>, id: string): Promise<AccountWire> {
  const row = await repo.accountRow(db, id);
  if (!row) throw new ApiError('not_found');
  return toAccount(row, await repo.membershipsOf(db, [id]));
}

/** The team rules shared by create and edit: known teams, each once; oversight and admin hold none. */
export async function checkTeams(db: Kysely<Database>, role: StaffRole, teams: { id: string }[]): Promise<void> {
  const known = new Set(await repo.teamIds(db));
  if (teams.some((t) => !known.has(t.id))) throw new ApiError('invalid_request');
  if (new Set(teams.map((t) => t.id)).size !== teams.length) throw new ApiError('invalid_request');
  // Oversight and admin hold no case keys, so team membership would only mislead routing.
  if ((role === 'oversight' || role === 'admin') && teams.length > 0) throw new ApiError('invalid_request');
}

export async function createAccount(ctx: AppContext, actor: string, b: NewAccount): Promise<EnrolmentIssuedWire> {
  await checkTeams(ctx.db, b.role, b.teams);
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
    // The old key stops being a recipient now, visibly: each certificate's revocation goes in its team's key log.
    await revokeAllOf(tx, id, ctx.today(), actor, ctx.now());
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
