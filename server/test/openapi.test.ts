// docs/openapi.json is the API as the routes define it now: every registered
// /api route (method and path) is in the document, the document names no
// route that does not exist, and the committed file equals what
// `npm run openapi` generates, so a route changed without regenerating fails here.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOpenApi, OPENAPI_FILE, openApiText } from '../src/cli/openapi.ts';
import { registeredRoutes } from '../src/plugins/openapi.ts';
import { dialects } from './databases.ts';
import { makeApp, type TestApp } from './helpers.ts';

const toOpenApiPath = (url: string): string => url.replace(/:(\w+)/g, '{$1}');

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp(dialects[0]!);
    await t.app.ready();
  });
  afterAll(async () => t?.close());

  it('is OpenAPI 3.1 and describes every registered API route, and only those', async () => {
    const doc = JSON.parse(await openApiText(t.app)) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const registered = registeredRoutes(t.app)
      .filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD') // HEAD is Fastify's automatic twin of each GET
      .map((r) => `${r.method.toLowerCase()} ${toOpenApiPath(r.url)}`);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(registered.length).toBeGreaterThan(25);
    expect(new Set(documented)).toEqual(new Set(registered));
    const reports = doc.paths['/api/v1/reports']?.post as { security?: unknown; requestBody?: unknown };
    expect(reports.security).toEqual([{ powStamp: [] }]);
    expect(reports.requestBody).toBeDefined();
  });

  it('is committed as generated now (run `npm run openapi` after changing a route)', async () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(await generateOpenApi());
  });
});
