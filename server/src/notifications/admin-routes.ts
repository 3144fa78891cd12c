// /api/v1/staff/admin/notifications and /admin/accounts/:id/email: the admin
// role only, behind its own guard (a separate plugin from admin/routes.ts).
// HTTP only; every change is audited in its own transaction (admin.ts).
import { EmailBody, EmailResponse, OrgSettings, OrgSettingsResponse } from '../../../shared/src/api/notifications.ts';
import { AccountIdParams } from '../../../shared/src/api/staff.ts';
import { principal, requireRole } from '../auth/session.ts';
import type { AppContext } from '../context.ts';
import type { TypedPlugin } from '../plugins/typebox.ts';
import { changeAccountEmail, changeOrgSettings } from './admin.ts';
import { accountEmail, orgSettings } from './service.ts';

export const notificationAdminRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', requireRole(ctx, ['admin']));

  app.get('/admin/notifications', { schema: { response: { 200: OrgSettingsResponse } } }, async () => orgSettings(ctx.db, ctx.now()));

  app.post('/admin/notifications', { schema: { body: OrgSettings, response: { 200: OrgSettingsResponse } } }, async (req) => {
    await changeOrgSettings(ctx, principal(req).id, req.body);
    return orgSettings(ctx.db, ctx.now());
  });

  app.get('/admin/accounts/:id/email', { schema: { params: AccountIdParams, response: { 200: EmailResponse } } },
    async (req) => accountEmail(ctx.db, req.params.id));

  app.post('/admin/accounts/:id/email', { schema: { params: AccountIdParams, body: EmailBody, response: { 200: EmailResponse } } }, async (req) => {
    await changeAccountEmail(ctx, principal(req).id, req.params.id, req.body.email);
    return accountEmail(ctx.db, req.params.id);
  });
};
