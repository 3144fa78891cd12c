// POST /api/v1/case/survey: the reporter's answer to "did you feel listened to?".
// Authenticated by the case access key like the other reporter routes, and an
// anonymous write, so it needs a proof-of-work stamp first.
import { SurveyAnswerBody, SurveyAnswerResponse } from '../../../shared/src/api/schemas.ts';
import { POW_HEADER } from '../../../shared/src/crypto/pow.ts';
import { authenticate } from '../case/service.ts';
import type { AppContext } from '../context.ts';
import type { TypedPlugin } from '../plugins/typebox.ts';
import { answerSurvey } from './service.ts';

export const surveyRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post('/api/v1/case/survey', {
    schema: { body: SurveyAnswerBody, response: { 201: SurveyAnswerResponse } },
    bodyLimit: 16 * 1024,
    config: { rateLimit: ctx.limits.case },
    onRequest: async (req) => ctx.pow.spend(req.headers[POW_HEADER]),
  }, async (req, reply) => {
    const row = await authenticate(ctx.db, req.headers.authorization);
    return reply.code(201).send(await answerSurvey(ctx.db, row, req.body, ctx.today()));
  });
};
