// The security headers are computed once from helmet at start-up (plugins/security.ts). These are
// exactly the values @fastify/helmet sent per request before, recorded from it: any drift fails here.
import { describe, expect, it } from 'vitest';
import { helmetHeaders } from '../src/plugins/security.ts';
import { sqlite } from './databases.ts';
import { makeApp } from './helpers.ts';

const EXPECTED: [string, string][] = [
  ['content-security-policy', "default-src 'self';script-src 'self' 'wasm-unsafe-eval';style-src 'self';img-src 'self' data:;font-src 'self';connect-src 'self';worker-src 'self';object-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none'"],
  ['cross-origin-opener-policy', 'same-origin'],
  ['cross-origin-resource-policy', 'same-origin'],
  ['origin-agent-cluster', '?1'],
  ['referrer-policy', 'no-referrer'],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-dns-prefetch-control', 'off'],
  ['x-download-options', 'noopen'],
  ['x-frame-options', 'SAMEORIGIN'],
  ['x-permitted-cross-domain-policies', 'none'],
  ['x-xss-protection', '0'],
];

describe('precomputed security headers', () => {
  it('are exactly the values helmet sent per request before', () => {
    expect(helmetHeaders()).toEqual(EXPECTED);
  });

  it('are on every response, successes, errors and 404s alike, with no-store and the permissions policy', async () => {
    const t = await makeApp(sqlite);
    try {
      for (const url of ['/api/v1/intake', '/api/v1/case', '/nope']) {
        const res = await t.app.inject({ method: 'GET', url });
        for (const [name, value] of EXPECTED) expect(res.headers[name], `${url} ${name}`).toBe(value);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['permissions-policy']).toBe('camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()');
      }
    } finally {
      await t.close();
    }
  });
});
