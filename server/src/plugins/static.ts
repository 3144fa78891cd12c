// The built client (client/dist), with a single-page fallback for any GET
// outside /api. Skipped when the client has not been built (API tests).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { errorBody } from './errors.ts';

export async function registerClient(app: FastifyInstance, root: string | undefined): Promise<void> {
  const serve = root !== undefined && existsSync(join(root, 'index.html'));
  if (serve) {
    // Cache headers are ours (no-store, set in security.ts), not the plugin's.
    await app.register(fastifyStatic, { root, wildcard: true, cacheControl: false, etag: false, lastModified: false });
  }
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (serve && (req.method === 'GET' || req.method === 'HEAD') && path !== '/api' && !path.startsWith('/api/')) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    return reply.code(404).send(errorBody('not_found'));
  });
}
