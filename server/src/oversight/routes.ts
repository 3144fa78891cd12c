// /api/v1/staff/oversight/*: the oversight role only, behind one guard.
import { StatsResponse } from '../../../shared/src/api/staff.ts';
import { requireRole } from '../auth/session.ts';
import type { AppContext } from '../context.ts';
import type { TypedPlugin } from '../plugins/typebox.ts';
import { stats } from './service.ts';

export const oversightRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', requireRole(ctx, ['oversight']));
  app.get('/oversight/stats', { schema: { response: { 200: StatsResponse } } }, async () => stats(ctx.db, ctx.today()));
};
