// `npm run openapi`: writes docs/openapi.json, the whole HTTP API as OpenAPI 3.1,
// from the route schemas of an app built on a throwaway in-memory database.
// server/test/openapi.test.ts fails when the committed file differs from this output.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { createDb } from '../db/dialect.ts';
import { migrate } from '../db/migrate.ts';

export const OPENAPI_FILE = fileURLToPath(new URL('../../../docs/openapi.json', import.meta.url));

/** The document as committed: stable key order from the routes, two-space JSON, trailing newline. */
export async function openApiText(app: FastifyInstance): Promise<string> {
  await app.ready();
  return JSON.stringify(app.swagger(), null, 2) + '\n';
}

export async function generateOpenApi(): Promise<string> {
  const handle = createDb(':memory:');
  try {
    await migrate(handle);
    const app = await buildApp({ db: handle.db, clientDist: null, secret: new Uint8Array(32) });
    try {
      return await openApiText(app);
    } finally {
      await app.close();
    }
  } finally {
    await handle.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(OPENAPI_FILE, await generateOpenApi());
  console.log(`wrote ${OPENAPI_FILE}`);
}
