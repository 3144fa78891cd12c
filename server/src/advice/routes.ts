// The reporter's advice routes: asking a question before (or instead of) a report, turning it
// into a report, and asking for a welfare contact on any case. HTTP only; service.ts has the rules.
import type { onRequestAsyncHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import {
  AdviceRecipientsQuery, ConvertAdviceBody, ConvertAdviceResponse, RecipientsResponse, SubmitAdviceBody, SubmitReportResponse,
} from '../../../shared/src/api/schemas.ts';
import { POW_HEADER } from '../../../shared/src/crypto/pow.ts';
import { authenticate } from '../case/service.ts';
import type { AppContext } from '../context.ts';
import type { TypedPlugin } from '../plugins/typebox.ts';
import { absentBodyIsEmpty } from '../plugins/typebox.ts';
import { EmptyBody } from '../../../shared/src/api/staff.ts';
import { adviceRecipients, caseRecipients, convertAdvice, requestWelfare, submitAdvice } from './service.ts';

export const adviceRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  // Anonymous writes: a stamp before the body is parsed, exactly as for reports and messages.
  const stamped: onRequestAsyncHookHandler = async (req) => ctx.pow.spend(req.headers[POW_HEADER]);
  // New advice requests share the all-clients brake with new reports: both open a row for a team.
  const bucket = ctx.sharedBucket('reports', ctx.limits.reportsGlobal);
  const globalBrake: preHandlerAsyncHookHandler = async () => bucket.take();

  app.get('/api/v1/intake/advice-recipients', {
    schema: { querystring: AdviceRecipientsQuery, response: { 200: RecipientsResponse } },
    config: { rateLimit: ctx.limits.intake },
  }, async (req) => adviceRecipients(ctx.db, req.query.command));

  app.post('/api/v1/advice', {
    schema: { body: SubmitAdviceBody, response: { 201: SubmitReportResponse } },
    bodyLimit: 128 * 1024,
    config: { rateLimit: ctx.limits.reports },
    onRequest: stamped,
    preHandler: globalBrake,
  }, async (req, reply) => reply.code(201).send(await submitAdvice(ctx, req.body, ctx.today(), ctx.now())));

  // Before a named conversion: who the case's team is now, so the browser can check their chains and seal the name to them.
  app.get('/api/v1/case/recipients', {
    schema: { response: { 200: RecipientsResponse } },
    config: { rateLimit: ctx.limits.case },
  }, async (req) => caseRecipients(ctx.db, await authenticate(ctx.db, req.headers.authorization)));

  app.post('/api/v1/case/convert', {
    schema: { body: ConvertAdviceBody, response: { 201: ConvertAdviceResponse } },
    bodyLimit: 512 * 1024,
    config: { rateLimit: ctx.limits.case },
    onRequest: stamped,
  }, async (req, reply) => {
    const row = await authenticate(ctx.db, req.headers.authorization);
    return reply.code(201).send(await convertAdvice(ctx, row, req.body, ctx.today(), ctx.now()));
  });

  // Body optional: `{}` or nothing. Asking twice is the same as asking once (204 both times).
  app.post('/api/v1/case/welfare', {
    schema: { body: EmptyBody },
    config: { rateLimit: ctx.limits.case },
    onRequest: stamped,
    preValidation: absentBodyIsEmpty,
  }, async (req, reply) => {
    const row = await authenticate(ctx.db, req.headers.authorization);
    await requestWelfare(ctx, row, ctx.today(), ctx.now());
    return reply.code(204).send();
  });
};
