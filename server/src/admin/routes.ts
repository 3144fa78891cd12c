// /api/v1/staff/admin/*: the admin role only, behind one guard. HTTP only.
import {
  Account, AccountIdParams, AccountsQuery, AccountsResponse, EditAccountBody, EmptyBody, EnrolmentIssued, NewAccountBody, StructureResponse,
} from '../../../shared/src/api/staff.ts';
import { principal, requireRole } from '../auth/session.ts';
import type { AppContext } from '../context.ts';
import { absentBodyIsEmpty, type TypedPlugin } from '../plugins/typebox.ts';
import { deactivateAccount, editAccount, reactivateAccount } from './changes.ts';
import { createAccount, getAccount, listAccounts, resetAccount, structure } from './service.ts';

export const adminRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', requireRole(ctx, ['admin']));

  app.get('/admin/accounts', { schema: { querystring: AccountsQuery, response: { 200: AccountsResponse } } }, async (req) => listAccounts(ctx.db, req.query));

  app.post('/admin/accounts', { schema: { body: NewAccountBody, response: { 201: EnrolmentIssued } } }, async (req, reply) =>
    reply.code(201).send(await createAccount(ctx, principal(req).id, req.body)));

  app.get('/admin/accounts/:id', { schema: { params: AccountIdParams, response: { 200: Account } } }, async (req) => getAccount(ctx.db, req.params.id));

  app.post('/admin/accounts/:id', { schema: { params: AccountIdParams, body: EditAccountBody, response: { 200: Account } } },
    async (req) => editAccount(ctx, principal(req).id, req.params.id, req.body));

  // Like logout: no body or `{}`.
  const noBody = { schema: { params: AccountIdParams, body: EmptyBody, response: { 200: Account } }, preValidation: absentBodyIsEmpty };
  app.post('/admin/accounts/:id/deactivate', noBody, async (req) => deactivateAccount(ctx, principal(req).id, req.params.id));
  app.post('/admin/accounts/:id/reactivate', noBody, async (req) => reactivateAccount(ctx, principal(req).id, req.params.id));

  app.post('/admin/accounts/:id/reset', { schema: { params: AccountIdParams, response: { 200: EnrolmentIssued } } },
    async (req) => resetAccount(ctx, principal(req).id, req.params.id));

  app.get('/admin/structure', { schema: { response: { 200: StructureResponse } } }, async () => structure(ctx.db));
};
