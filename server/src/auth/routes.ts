// /api/v1/staff/auth/*: sign-in, unlock, enrolment, session, logout. HTTP
// only: sign-in routes need no session; session (GET) needs a live one;
// unlock and logout go through the usual guard (session, then CSRF).
import type { FastifyRequest } from 'fastify';
import { ErrorSchema } from '../../../shared/src/api/schemas.ts';
import {
  EmptyBody, EnrolCompleteBody, EnrolStartBody, EnrolStartResponse, LoginBody, LoginResponse, ParamsBody, ParamsResponse, SessionResponse,
  UnlockBody,
} from '../../../shared/src/api/staff.ts';
import type { AppContext } from '../context.ts';
import { absentBodyIsEmpty, type TypedPlugin } from '../plugins/typebox.ts';
import { deviceCookie, deviceCookieValue } from './device.ts';
import { enrolComplete, enrolStart, loadAuthKeys, login, params, sessionInfo, unlock } from './service.ts';
import { authenticate, clearSessionCookie, liveSession, principal, setSessionCookie, signOut } from './session.ts';

const MINUTE = 60_000;

export const authRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  // Per-client brake on top of the per-name back-off (shared proxies: generous).
  const rateLimit = { max: 300, timeWindow: MINUTE };
  const keys = loadAuthKeys(ctx);

  app.post('/auth/params', { schema: { body: ParamsBody, response: { 200: ParamsResponse } }, config: { rateLimit } },
    async (req) => params(ctx, keys, req.body.username));

  app.post('/auth/login', {
    schema: { body: LoginBody, response: { 200: LoginResponse, 401: ErrorSchema, 429: ErrorSchema } },
    config: { rateLimit },
  }, async (req, reply) => {
    const { result, cookie, device } = await login(ctx, keys, req.body, deviceCookieValue(req));
    setSessionCookie(reply, cookie, device ? [deviceCookie(device)] : []);
    return result;
  });


  app.post('/auth/enrol/start', { schema: { body: EnrolStartBody, response: { 200: EnrolStartResponse } }, config: { rateLimit } },
    async (req) => enrolStart(ctx, req.body));

  app.post('/auth/enrol/complete', { schema: { body: EnrolCompleteBody }, config: { rateLimit } }, async (req, reply) => {
    await enrolComplete(ctx, req.body);
    return reply.code(204).send();
  });

  app.get('/auth/session', { schema: { response: { 200: SessionResponse } } }, async (req) => sessionInfo(ctx, keys, await liveSession(ctx, req)));

  // A bare POST (no body at all) is the natural logout request; `{}` is accepted too, nothing else.
  // Signed in and CSRF are checked onRequest, before the body is looked at (as on every guarded route).
  const signedIn = { onRequest: async (req: FastifyRequest) => { await authenticate(ctx, req); } };
  const noBody = { ...signedIn, schema: { body: EmptyBody }, preValidation: absentBodyIsEmpty };

  app.post('/auth/unlock', {
    ...signedIn,
    schema: { body: UnlockBody, response: { 200: LoginResponse, 401: ErrorSchema, 429: ErrorSchema } },
    config: { rateLimit },
  }, async (req) => unlock(ctx, keys, principal(req), req.headers['x-csrf-token'] as string, req.body.loginSecret, deviceCookieValue(req)));

  app.post('/auth/logout', noBody, async (req, reply) => {
    await signOut(ctx, principal(req), { session: req.staffSession as string });
    clearSessionCookie(reply);
    return reply.code(204).send();
  });

  app.post('/auth/logout-everywhere', noBody, async (req, reply) => {
    await signOut(ctx, principal(req), 'everywhere');
    clearSessionCookie(reply);
    return reply.code(204).send();
  });
};
