import type { TypedPlugin } from '../plugins/typebox.ts';
import '@fastify/rate-limit';
import type { onRequestAsyncHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import { POW_HEADER } from '../../../shared/src/crypto/pow.ts';
import {
  IntakeResponse,
  RecipientsQuery,
  RecipientsResponse,
  SubmitReportBody,
  SubmitReportResponse,
} from '../../../shared/src/api/schemas.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../plugins/errors.ts';
import { caseCommitter, intakeInfo, recipientsFor, submitReport } from './service.ts';
import { issueReceipt, sealedHashOf } from '../receipts/service.ts';
import { namedAttachmentHashes } from '../attachments/service.ts';

export const intakeRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  // A stamp first, before the body is parsed or anything is counted: a flood without stamps costs a header check.
  const stamped: onRequestAsyncHookHandler = async (req) => ctx.pow.spend(req.headers[POW_HEADER]);
  // One bucket shared by every client: the brake that still works when all staff come through one proxy.
  // It counts stamped requests only, so a flood without stamps cannot empty it for genuine reporters.
  const reportsBucket = ctx.sharedBucket('reports', ctx.limits.reportsGlobal);
  const globalBrake: preHandlerAsyncHookHandler = async () => reportsBucket.take();

  // Submissions arriving together share one durable commit; each is answered after it (db/group-commit.ts).
  const group = caseCommitter(ctx.db);
  app.addHook('onClose', async () => { await group.drain(); });

  app.get('/api/v1/intake', {
    schema: { response: { 200: IntakeResponse } },
    config: { rateLimit: ctx.limits.intake },
  }, async () => intakeInfo(ctx.db));

  app.get('/api/v1/intake/recipients', {
    schema: { querystring: RecipientsQuery, response: { 200: RecipientsResponse } },
    config: { rateLimit: ctx.limits.intake },
  }, async (req) => recipientsFor(ctx.db, {
    category: req.query.category,
    unit: req.query.unit,
    avoidOwnUnit: req.query.avoidOwnUnit === 'true',
  }));

  app.post('/api/v1/reports', {
    schema: { body: SubmitReportBody, response: { 201: SubmitReportResponse } },
    bodyLimit: 512 * 1024,
    config: { rateLimit: ctx.limits.reports },
    onRequest: stamped,
    preHandler: globalBrake,
  }, async (req, reply) => {
    const stored = await submitReport(ctx.db, req.body, ctx.today(), ctx.now(), group);
    // Signed only now that the case is committed: the sealed bytes are the report envelope as posted.
    const receipt = issueReceipt(ctx.serverKeys, { kind: 'report', reference: stored.caseRef, sealedHash: sealedHashOf(req.body.report), day: stored.receivedOn });
    if (!req.body.attachments) return reply.code(201).send({ ...stored, receipt });
    // Each file it named, now part of the case: its attachment hash, on the day its last chunk was stored.
    const attachmentReceipts = (await namedAttachmentHashes(ctx.db, req.body.attachments)).map((f) => ({
      id: f.id, receipt: issueReceipt(ctx.serverKeys, { kind: 'attachment', reference: stored.caseRef, sealedHash: f.hash, day: f.on }),
    }));
    return reply.code(201).send({ ...stored, receipt, attachmentReceipts });
  });
};
