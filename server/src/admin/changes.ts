// Changes to an existing account: edit (name, role, teams), deactivate and
// reactivate. Each runs in one transaction with its audit entry, which holds
// ids and codes only: a changed display name is recorded as changed, never
// its value (audit entries must not carry free text).
import type { AccountWire, EditAccount } from '../../../shared/src/api/staff.ts';
import { auditIn } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../plugins/errors.ts';
import * as repo from './repository.ts';
import { checkTeams, getAccount } from './service.ts';

const caseWork = (role: string): boolean => role === 'triage' || role === 'lead';
const ids = (grants: repo.Grant[], pick: (g: repo.Grant) => boolean = () => true): string[] =>
  grants.filter(pick).map((g) => g.id).sort();
const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Replaces name, role and teams. Access follows the new grants at once: leaving case work
 * (to oversight or admin) removes every staff and internal-key wrap and assignment, as a reset does;
 * leaving a team removes those of the team's cases; losing "sees identity" in a team removes the
 * identity wraps of its cases. Nothing is added: new wraps come from colleagues (assign, refer).
 */
export async function editAccount(ctx: AppContext, actor: string, id: string, b: EditAccount): Promise<AccountWire> {
  await checkTeams(ctx.db, b.role, b.teams);
  // An administrator cannot take the admin role from themselves (no one might be left to give it back).
  if (id === actor && b.role !== 'admin') throw new ApiError('own_account');
  await ctx.db.transaction().execute(async (tx) => {
    const before = await repo.accountRow(tx, id);
    if (!before) throw new ApiError('not_found');
    const old: repo.Grant[] = (await repo.membershipsOf(tx, [id])).map((m) => ({ id: m.team_id, seesIdentity: m.sees_identity === 1, lead: m.lead === 1 }));
    await repo.updateAccount(tx, id, b);
    let wrapsRemoved = 0;
    if (caseWork(before.role) && !caseWork(b.role)) wrapsRemoved = await repo.dropCaseAccess(tx, id, 'all');
    else {
      const kept = new Map(b.teams.map((t) => [t.id, t]));
      wrapsRemoved = await repo.dropCaseAccess(tx, id, {
        teams: old.filter((t) => !kept.has(t.id)).map((t) => t.id),
        identityTeams: old.filter((t) => t.seesIdentity && kept.has(t.id) && !kept.get(t.id)?.seesIdentity).map((t) => t.id),
      });
    }
    const detail = {
      id,
      displayNameChanged: before.display_name !== b.displayName,
      role: b.role, fromRole: before.role,
      teams: ids(b.teams), fromTeams: ids(old),
      seesIdentity: ids(b.teams, (g) => g.seesIdentity), fromSeesIdentity: ids(old, (g) => g.seesIdentity),
      leads: ids(b.teams, (g) => g.lead), fromLeads: ids(old, (g) => g.lead),
      wrapsRemoved,
    };
    const changed = detail.displayNameChanged || detail.role !== detail.fromRole || !same(detail.teams, detail.fromTeams)
      || !same(detail.seesIdentity, detail.fromSeesIdentity) || !same(detail.leads, detail.fromLeads);
    if (changed) await auditIn(ctx, tx, { actor, action: 'admin.account_edit', detail });
  });
  return getAccount(ctx.db, id);
}

/**
 * Deactivated: cannot sign in, enrol or unlock, its sessions end now, and it is no recipient of
 * new reports or referrals. Its row, enrolment state, teams, wraps and assignments stay, so
 * reactivation gives back exactly what it had. Deactivating twice changes nothing.
 */
export async function deactivateAccount(ctx: AppContext, actor: string, id: string): Promise<AccountWire> {
  if (id === actor) throw new ApiError('own_account');
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await repo.setDeactivated(tx, id, ctx.today()))) {
      if (!(await repo.accountRow(tx, id))) throw new ApiError('not_found');
      return;
    }
    const sessionsEnded = await repo.deleteSessionsOf(tx, id);
    await auditIn(ctx, tx, { actor, action: 'admin.account_deactivate', detail: { id, sessionsEnded } });
  });
  return getAccount(ctx.db, id);
}

export async function reactivateAccount(ctx: AppContext, actor: string, id: string): Promise<AccountWire> {
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await repo.setDeactivated(tx, id, null))) {
      if (!(await repo.accountRow(tx, id))) throw new ApiError('not_found');
      return;
    }
    await auditIn(ctx, tx, { actor, action: 'admin.account_reactivate', detail: { id } });
  });
  return getAccount(ctx.db, id);
}

