// /api/v1/staff/admin/*: the admin role only, behind one guard. HTTP only.
import { AccountIdParams, AccountsResponse, EnrolmentIssued, NewAccountBody, StructureResponse } from '../../../shared/src/api/staff.ts';
import { principal, requireRole } from '../auth/session.ts';
import type { AppContext } from '../context.ts';
import type { TypedPlugin } from '../plugins/typebox.ts';
import { createAccount, listAccounts, resetAccount, structure } from './service.ts';

export const adminRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', requireRole(ctx, ['admin']));

  app.get('/admin/accounts', { schema: { response: { 200: AccountsResponse } } }, async () => listAccounts(ctx.db));

  app.post('/admin/accounts', { schema: { body: NewAccountBody, response: { 201: EnrolmentIssued } } }, async (req, reply) =>
    reply.code(201).send(await createAccount(ctx, principal(req).id, req.body)));

  app.post('/admin/accounts/:id/reset', { schema: { params: AccountIdParams, response: { 200: EnrolmentIssued } } },
    async (req) => resetAccount(ctx, principal(req).id, req.params.id));

  app.get('/admin/structure', { schema: { response: { 200: StructureResponse } } }, async () => structure(ctx.db));
};
