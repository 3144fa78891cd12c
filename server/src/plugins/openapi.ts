// The HTTP API as OpenAPI 3.1, generated from the route schemas by
// @fastify/swagger (no UI and no route of its own: the document is written to
// docs/openapi.json by `npm run openapi`). Only /api routes are described; the
// built client's static files are not API.
import swagger from '@fastify/swagger';
import type { FastifyInstance, RouteOptions } from 'fastify';

const routes = new WeakMap<FastifyInstance, { method: string; url: string }[]>();

/** Every method and URL registered on `app` (for the test that the document misses none). */
export const registeredRoutes = (app: FastifyInstance): { method: string; url: string }[] => routes.get(app) ?? [];

/** Which credentials a route needs, by path: the schemas do not say it, the guards in each feature do. */
function security(method: string, url: string): Record<string, string[]>[] | undefined {
  if (url === '/api/v1/reports' || url === '/api/v1/advice') return [{ powStamp: [] }];
  if (url === '/api/v1/case/messages' || url === '/api/v1/case/survey' || url === '/api/v1/case/convert' || url === '/api/v1/case/welfare') {
    return [{ caseAccess: [], powStamp: [] }];
  }
  if (url === '/api/v1/case' || url === '/api/v1/case/recipients') return [{ caseAccess: [] }];
  if (url === '/api/v1/records') return [{ powStamp: [] }];
  if (url === '/api/v1/record/entries' || url === '/api/v1/record/report') return [{ recordAccess: [], powStamp: [] }];
  if (url === '/api/v1/record') return [{ recordAccess: [] }];
  const open = ['/api/v1/staff/auth/params', '/api/v1/staff/auth/login', '/api/v1/staff/auth/enrol/start', '/api/v1/staff/auth/enrol/complete', '/api/v1/staff/auth/session'];
  if (url.startsWith('/api/v1/staff/') && !open.includes(url)) {
    return method === 'GET' ? [{ staffSession: [] }] : [{ staffSession: [], csrf: [] }];
  }
  return undefined;
}

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  const list: { method: string; url: string }[] = [];
  routes.set(app, list);
  app.addHook('onRoute', (r: RouteOptions) => {
    for (const method of [r.method].flat()) list.push({ method, url: r.url });
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Raising concerns portal API',
        version: 'rc2',
        description: 'Reporter API (docs/PROTOCOL.md) and staff API (docs/staff-api.md). Generated from the route schemas: `npm run openapi`.',
      },
      components: {
        securitySchemes: {
          caseAccess: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`Case <base64url accessKey>` (docs/PROTOCOL.md "The case token")' },
          recordAccess: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`Record <base64url recordAccessKey>` (docs/PROTOCOL.md "Private records")' },
          powStamp: { type: 'apiKey', in: 'header', name: 'pow-stamp', description: '`<challenge>.<nonce>` from GET /api/v1/pow (docs/PROTOCOL.md "Proof of work")' },
          staffSession: { type: 'apiKey', in: 'cookie', name: 'rc_staff', description: 'Staff session cookie set by POST /api/v1/staff/auth/login' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token', description: 'The csrfToken returned at sign-in' },
        },
      },
    },
    transform: ({ schema, url, route }) => {
      const hide = !url.startsWith('/api/');
      const method = [route.method].flat()[0] ?? 'GET';
      const sec = security(method, url);
      return { schema: { ...schema, ...(hide ? { hide: true } : {}), ...(sec ? { security: sec } : {}) } as typeof schema, url };
    },
  });
}
