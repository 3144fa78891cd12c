// /api/v1/staff/oversight/*: the oversight role only, behind one guard.
import { Type } from '@sinclair/typebox';
import { StatsResponse } from '../../../shared/src/api/staff.ts';
import { TableParams, TablesResponse } from '../../../shared/src/api/trail.ts';
import { requireRole } from '../auth/session.ts';
import type { AppContext } from '../context.ts';
import type { TypedPlugin } from '../plugins/typebox.ts';
import { toCsv, toSvg } from './render.ts';
import { stats } from './service.ts';
import { table, tables } from './tables.ts';

export const oversightRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', requireRole(ctx, ['oversight']));
  app.get('/oversight/stats', { schema: { response: { 200: StatsResponse } } }, async () => stats(ctx.db, ctx.today()));
  app.get('/oversight/tables', { schema: { response: { 200: TablesResponse } } }, async () => tables(ctx.db, ctx.today()));

  // The same table as a download: named after the table and the period it covers.
  app.get('/oversight/csv/:table', { schema: { params: TableParams, response: { 200: Type.String() } } }, async (req, reply) => {
    const { through, table: t } = await table(ctx.db, ctx.today(), req.params.table);
    return reply.type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${t.id}-to-${through}.csv"`).send(toCsv(t));
  });

  // ...and as a chart (an <img> on the page, the table beside it).
  app.get('/oversight/charts/:table', { schema: { params: TableParams, response: { 200: Type.String() } } }, async (req, reply) => {
    const { through, table: t } = await table(ctx.db, ctx.today(), req.params.table);
    return reply.type('image/svg+xml; charset=utf-8').send(toSvg(t, through));
  });
};
