// /api/v1/staff/admin/*: accounts and the structure. An administrator never
// sees ciphertext or key wraps; enrolment secrets are shown once, stored hashed.
import { AccountIdParams, AccountsResponse, EnrolmentIssued, NewAccountBody, StructureResponse } from '../../../shared/src/api/staff.ts';
import type { StaffRole } from '../../../shared/src/api/staff.ts';
import { auditIn } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import type { StaffState } from '../db/database.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { loadReference } from '../intake/repository.ts';
import { ApiError } from '../plugins/errors.ts';
import type { TypedPlugin } from '../plugins/typebox.ts';
import { enrolmentHash, newEnrolmentSecret } from './accounts.ts';
import { RECOVERY_PREFIX } from './repository.ts';
import { principal, requireRole } from './session.ts';

export const adminRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', requireRole(ctx, ['admin']));
  const db = ctx.db;

  app.get('/admin/accounts', { schema: { response: { 200: AccountsResponse } } }, async () => {
    const [staff, members] = await Promise.all([
      db.selectFrom('staff').select(['id', 'username', 'display_name', 'role', 'state']).orderBy('username').execute(),
      db.selectFrom('team_members').selectAll().orderBy('team_id').execute(),
    ]);
    return staff.map((s) => ({
      id: s.id, username: s.username, displayName: s.display_name, role: s.role as StaffRole, state: s.state as StaffState,
      teams: members.filter((m) => m.staff_id === s.id).map((m) => ({ id: m.team_id, seesIdentity: m.sees_identity === 1, lead: m.lead === 1 })),
    }));
  });

  app.post('/admin/accounts', { schema: { body: NewAccountBody, response: { 201: EnrolmentIssued } } }, async (req, reply) => {
    const b = req.body;
    const teams = await db.selectFrom('teams').select('id').execute();
    if (b.teams.some((t) => !teams.some((x) => x.id === t.id))) throw new ApiError('invalid_request');
    // Oversight and admin hold no case keys, so team membership would only mislead routing.
    if ((b.role === 'oversight' || b.role === 'admin') && b.teams.length > 0) throw new ApiError('invalid_request');
    // Recovery keys are recipients named `recovery-<hash>` in the same wrap tables: no staff id may look like one.
    if (b.username.startsWith(RECOVERY_PREFIX)) throw new ApiError('invalid_request');
    const secret = newEnrolmentSecret();
    const id = b.username;
    try {
      await db.transaction().execute(async (tx) => {
        await tx.insertInto('staff').values({
          id, username: b.username, display_name: b.displayName, role: b.role, public_key: null, created_on: ctx.today(),
          state: 'enrol', enrol_hash: enrolmentHash(secret),
        }).execute();
        for (const t of b.teams) {
          await tx.insertInto('team_members').values({ team_id: t.id, staff_id: id, sees_identity: t.seesIdentity ? 1 : 0, lead: t.lead ? 1 : 0 }).execute();
        }
        await auditIn(ctx, tx, { actor: principal(req).id, action: 'admin.account_create', detail: { id, role: b.role, teams: b.teams.map((t) => t.id) } });
      });
    } catch (err) {
      throw isUniqueViolation(err) ? new ApiError('username_taken') : err;
    }
    return reply.code(201).send({ id, enrolmentSecret: secret });
  });

  app.post('/admin/accounts/:id/reset', { schema: { params: AccountIdParams, response: { 200: EnrolmentIssued } } }, async (req) => {
    const id = req.params.id;
    const secret = newEnrolmentSecret();
    await db.transaction().execute(async (tx) => {
      const r = await tx.updateTable('staff').set({
        state: 'enrol', enrol_hash: enrolmentHash(secret), login_hash: null, kdf_salt: null, kdf_opslimit: null, kdf_memlimit: null,
        public_key: null, sk_nonce: null, sk_ct: null, totp_secret: null, totp_last_step: null,
      }).where('id', '=', id).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw new ApiError('not_found');
      // Wraps to the old key can never be opened again; new ones come by assignment.
      await tx.deleteFrom('case_keys').where('recipient_id', '=', id).where('kind', '=', 'staff').execute();
      await tx.deleteFrom('internal_keys').where('recipient_id', '=', id).execute();
      await tx.deleteFrom('staff_sessions').where('staff_id', '=', id).execute(); // as revokeAllSessions, in this transaction
      await auditIn(ctx, tx, { actor: principal(req).id, action: 'admin.account_reset', detail: { id } });
    });
    return { id, enrolmentSecret: secret };
  });

  app.get('/admin/structure', { schema: { response: { 200: StructureResponse } } }, async () => {
    const ref = await loadReference(db);
    return {
      teams: ref.teams,
      commands: ref.commands,
      units: ref.units.map((u) => ({ id: u.id, label: u.label, command: u.command })),
      categories: ref.categories.map((c) => ({ id: c.id, label: c.label, team: c.team })),
      routing: { centralTeam: ref.centralTeam, commandPsu: Object.fromEntries(ref.commands.map((c) => [c.id, c.psuTeam])) },
    };
  });
};
