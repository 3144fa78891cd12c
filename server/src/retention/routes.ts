// /api/v1/staff/admin/retention: the admin role only, behind its own guard;
// and the in-process purge, run on a timer while the app is up. HTTP and
// scheduling only.
import { RETENTION_MONTHS_MAX, RetentionPreviewQuery, RetentionPreviewResponse, RetentionResponse, SetRetentionBody } from '../../../shared/src/api/retention.ts';
import { principal, requireRole } from '../auth/session.ts';
import { ApiError } from '../plugins/errors.ts';
import type { AppContext } from '../context.ts';
import type { TypedPlugin } from '../plugins/typebox.ts';
import { reshuffle, reshuffleDue } from './reshuffle.ts';
import { listRetention, previewRetention, purgeExpired, setRetention } from './service.ts';

/** Hourly by default: retention is counted in months, so an hour late is on time. */
export const PURGE_EVERY_MS = 60 * 60_000;
/** How often an instance asks whether today's reshuffle has run: it runs within this long after midnight (London). */
export const RESHUFFLE_CHECK_MS = 10 * 60_000;

export const retentionRoutes: TypedPlugin<{ ctx: AppContext; purgeEveryMs?: number; reshuffleEveryMs?: number }> = async (
  app, { ctx, purgeEveryMs = PURGE_EVERY_MS, reshuffleEveryMs = RESHUFFLE_CHECK_MS },
) => {
  // This plugin's routes are all the administrator's (the timer below is not a route).
  app.addHook('onRequest', requireRole(ctx, ['admin']));
  app.get('/admin/retention', { schema: { response: { 200: RetentionResponse } } }, async () => listRetention(ctx.db));
  app.post('/admin/retention', { schema: { body: SetRetentionBody, response: { 200: RetentionResponse } } },
    async (req) => setRetention(ctx, principal(req).id, req.body));
  app.get('/admin/retention/preview', { schema: { querystring: RetentionPreviewQuery, response: { 200: RetentionPreviewResponse } } },
    async (req) => {
      const months = Number(req.query.months);
      // The pattern allows up to 9999; the schema of a saved rule stops at RETENTION_MONTHS_MAX.
      if (months > RETENTION_MONTHS_MAX) throw new ApiError('invalid_request');
      return previewRetention(ctx, principal(req).id, req.query.key, months);
    });

  if (reshuffleEveryMs > 0) dailyReshuffle(app, ctx, reshuffleEveryMs);
  if (purgeEveryMs <= 0) return;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      // Several instances may fire together: the purge claims its work (advisory lock, conditional update).
      running = purgeExpired(ctx).then((r) => {
        if (r.purged + r.advice + r.records > 0) app.log.info({ purged: r.purged, advice: r.advice, records: r.records }, 'retention purge');
      }, (err: unknown) => app.log.error({ err }, 'retention purge failed'));
    }, purgeEveryMs);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
};

/**
 * The daily reshuffle (reshuffle.ts): each tick asks whether today's run is done (one indexed read)
 * and runs it if not, so it happens in the first tick after midnight, or in the first tick after
 * start-up when the night's run was missed. Every instance ticks; the run's lock and day marker
 * let exactly one do the work, and a tick while this instance's last one is still busy is skipped.
 * The log line carries a count only; a failure logs its error code (never a message, which can
 * quote a key), and the next tick retries.
 */
function dailyReshuffle(app: Parameters<TypedPlugin<{ ctx: AppContext }>>[0], ctx: AppContext, everyMs: number): void {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const tick = (): void => {
    if (busy) return;
    busy = true;
    running = (async () => {
      if (!(await reshuffleDue(ctx.db, ctx.today()))) return;
      const r = await reshuffle(ctx);
      if (r.ran) app.log.info({ rows: r.rows, vacuumed: r.vacuumed }, 'daily reshuffle');
    })().catch((err: unknown) => app.log.error({ code: errorCode(err) }, 'daily reshuffle failed')).finally(() => { busy = false; });
  };
  app.addHook('onReady', async () => {
    // First check one interval after start, not at once: a restart is not a reason to rewrite now.
    timer = setInterval(tick, everyMs);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}

function errorCode(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(code) ? code : 'error';
}
