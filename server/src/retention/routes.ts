// /api/v1/staff/admin/retention: the admin role only, behind its own guard;
// and the in-process purge, run on a timer while the app is up. HTTP and
// scheduling only.
import { RetentionResponse, SetRetentionBody } from '../../../shared/src/api/retention.ts';
import { principal, requireRole } from '../auth/session.ts';
import type { AppContext } from '../context.ts';
import type { TypedPlugin } from '../plugins/typebox.ts';
import { listRetention, purgeExpired, setRetention } from './service.ts';

/** Hourly by default: retention is counted in months, so an hour late is on time. */
export const PURGE_EVERY_MS = 60 * 60_000;

export const retentionRoutes: TypedPlugin<{ ctx: AppContext; purgeEveryMs?: number }> = async (app, { ctx, purgeEveryMs = PURGE_EVERY_MS }) => {
  // This plugin's routes are all the administrator's (the timer below is not a route).
  app.addHook('onRequest', requireRole(ctx, ['admin']));
  app.get('/admin/retention', { schema: { response: { 200: RetentionResponse } } }, async () => listRetention(ctx.db));
  app.post('/admin/retention', { schema: { body: SetRetentionBody, response: { 200: RetentionResponse } } },
    async (req) => setRetention(ctx, principal(req).id, req.body));

  if (purgeEveryMs <= 0) return;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      // Several instances may fire together: the purge claims its work (advisory lock, conditional update).
      running = purgeExpired(ctx).then((r) => {
        if (r.purged > 0) app.log.info({ purged: r.purged }, 'retention purge');
      }, (err: unknown) => app.log.error({ err }, 'retention purge failed'));
    }, purgeEveryMs);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
};
