import type { TypedPlugin } from '../plugins/typebox.ts';
import { CaseResponse, PostMessageBody, PostMessageResponse, type CaseView } from '../../../shared/src/api/schemas.ts';
import { POW_HEADER } from '../../../shared/src/crypto/pow.ts';
import type { AppContext } from '../context.ts';
import { authenticate, caseAnswer, postReporterMessage } from './service.ts';
import { padJsonBytes, padResponse } from '../plugins/pad.ts';
import { issueReceipt, sealedHashOf } from '../receipts/service.ts';

export const reporterCaseRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  const rateLimit = ctx.limits.case;

  app.get('/api/v1/case', {
    schema: { response: { 200: CaseResponse } },
    config: { rateLimit },
    // Its length would follow the number of messages: padded to 64 KiB steps.
    onSend: padResponse,
  }, async (req, reply) => {
    // Serialised by the route's own schema (what returning the view would do), then padded: the bytes are
    // kept between polls while the case is unchanged (case/view-cache.ts), so neither runs per poll.
    const answer = await caseAnswer(ctx.db, req.headers.authorization, ctx.today(),
      (view) => Buffer.from(padJsonBytes(reply.serialize(view) as string)));
    // The typed reply expects the view object; these are its serialised bytes, which Fastify sends as they are.
    return reply.type('application/json; charset=utf-8').send(answer as unknown as CaseView);
  });

  app.post('/api/v1/case/messages', {
    schema: { body: PostMessageBody, response: { 201: PostMessageResponse } },
    bodyLimit: 128 * 1024,
    config: { rateLimit },
    // Reporter messages are anonymous writes too: a stamp before anything else.
    onRequest: async (req) => ctx.pow.spend(req.headers[POW_HEADER]),
  }, async (req, reply) => {
    const row = await authenticate(ctx.db, req.headers.authorization);
    const result = await postReporterMessage(ctx.db, row, req.body, { today: ctx.today(), now: ctx.now(), messagesPerCaseMax: ctx.messagesPerCaseMax });
    // Signed once the message is committed: its sealed bytes are the envelope's nonce and ct as posted.
    const receipt = issueReceipt(ctx.serverKeys, { kind: 'message', reference: row.case_ref, sealedHash: sealedHashOf(req.body), day: result.on });
    return reply.code(201).send({ ...result, receipt });
  });
};
