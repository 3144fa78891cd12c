// GET /api/v1/support (reporters: the whole public list) and /api/v1/staff/admin/support-contacts
// (the admin role only, behind its own guard). HTTP only.
import { SupportResponse } from '../../../shared/src/api/schemas.ts';
import {
  EmptyBody, SupportContactBody, SupportContactItem, SupportContactParams, SupportContactsAdminResponse,
} from '../../../shared/src/api/staff.ts';
import { principal, requireRole } from '../auth/session.ts';
import type { AppContext } from '../context.ts';
import { absentBodyIsEmpty, type TypedPlugin } from '../plugins/typebox.ts';
import { adminList, createContact, editContact, publicList, removeContact } from './service.ts';

export const supportRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/v1/support', { schema: { response: { 200: SupportResponse } }, config: { rateLimit: ctx.limits.intake } },
    async () => publicList(ctx.db));
};

export const supportAdminRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', requireRole(ctx, ['admin']));

  app.get('/admin/support-contacts', { schema: { response: { 200: SupportContactsAdminResponse } } }, async () => adminList(ctx.db));

  app.post('/admin/support-contacts', { schema: { body: SupportContactBody, response: { 201: SupportContactItem } } }, async (req, reply) =>
    reply.code(201).send(await createContact(ctx, principal(req).id, req.body)));

  app.post('/admin/support-contacts/:id', { schema: { params: SupportContactParams, body: SupportContactBody, response: { 200: SupportContactItem } } },
    async (req) => editContact(ctx, principal(req).id, req.params.id, req.body));

  app.post('/admin/support-contacts/:id/delete', { schema: { params: SupportContactParams, body: EmptyBody }, preValidation: absentBodyIsEmpty },
    async (req, reply) => {
      await removeContact(ctx, principal(req).id, req.params.id);
      return reply.code(204).send();
    });
};
