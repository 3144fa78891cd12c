import type { TypedPlugin } from '../plugins/typebox.ts';
import { PowChallengeResponse } from '../../../shared/src/api/schemas.ts';
import type { AppContext } from '../context.ts';

export const powRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/v1/pow', {
    schema: { response: { 200: PowChallengeResponse } },
    config: { rateLimit: ctx.limits.intake },
  }, async () => ctx.pow.issue());
};
