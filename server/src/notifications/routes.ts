// /api/v1/staff/notifications/*: each triage user's own choices. HTTP only.
import { PreferencesBody, PreferencesResponse } from '../../../shared/src/api/notifications.ts';
import { principal, requireRole } from '../auth/session.ts';
import type { AppContext } from '../context.ts';
import type { TypedPlugin } from '../plugins/typebox.ts';
import { preferences, setPreferences } from './service.ts';

export const notificationRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', requireRole(ctx, ['triage', 'lead']));
  const isLead = (p: ReturnType<typeof principal>): boolean => p.role === 'lead' || p.teams.some((t) => t.lead);

  app.get('/notifications/preferences', { schema: { response: { 200: PreferencesResponse } } }, async (req) => {
    const p = principal(req);
    return preferences(ctx.db, p.id, isLead(p));
  });

  app.post('/notifications/preferences', { schema: { body: PreferencesBody, response: { 200: PreferencesResponse } } }, async (req) => {
    const p = principal(req);
    await setPreferences(ctx.db, p.id, req.body);
    return preferences(ctx.db, p.id, isLead(p));
  });
};
