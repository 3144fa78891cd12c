// /healthz: the process is alive (never touches the database, so a database
// outage does not get healthy instances restarted). /readyz: this instance can
// serve (database, migrations, Redis when configured). Both answer check names
// and ok/fail only: no versions, hosts or error texts.
import { Type } from '@sinclair/typebox';
import { errorBody, RETRY_AFTER_SECONDS } from '../plugins/errors.ts';
import type { TypedPlugin } from '../plugins/typebox.ts';
import type { Readiness } from './service.ts';

const Check = Type.Union([Type.Literal('ok'), Type.Literal('fail'), Type.Literal('not_configured')]);
const Checks = Type.Object({ database: Check, migrations: Check, redis: Check }, { additionalProperties: false });
const Alive = Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false });
const Backlog = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]);
const Ready = Type.Object({ status: Type.Literal('ready'), checks: Checks, mailBacklog: Backlog }, { additionalProperties: false });
const NotReady = Type.Object({
  error: Type.Object({ code: Type.Literal('service_unavailable'), message: Type.String() }),
  checks: Checks,
  mailBacklog: Backlog,
}, { additionalProperties: false });

export const healthRoutes: TypedPlugin<{ readiness: () => Promise<Readiness> }> = async (app, opts) => {
  // Probes come every few seconds from each load balancer: not worth a log line each.
  app.get('/healthz', { logLevel: 'warn', schema: { response: { 200: Alive } } }, async () => ({ status: 'ok' as const }));
  app.get('/readyz', { logLevel: 'warn', schema: { response: { 200: Ready, 503: NotReady } } }, async (_req, reply) => {
    const r = await opts.readiness();
    if (r.ready) return { status: 'ready' as const, checks: r.checks, mailBacklog: r.mailBacklog };
    reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS));
    return { error: { code: 'service_unavailable' as const, message: errorBody('service_unavailable').error.message }, checks: r.checks, mailBacklog: r.mailBacklog };
  });
};
