// Security headers on every response, errors and static files included.
// helmet decides the values, once at start-up: none of them depends on the
// request, and building them per request (what @fastify/helmet does) was 7%
// of the CPU under load. The hooks then copy a precomputed list.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/** The exact CSP from DESIGN.md: 'wasm-unsafe-eval' because libsodium compiles WebAssembly; nothing inline, no third party. */
export const CSP_DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  // The proof-of-work Web Worker (client/src/pow) is a script file of our own; said explicitly rather than by fallback.
  'worker-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const;

/** What helmet would set on a response, collected from one run of its middleware on a stand-in response. */
export function helmetHeaders(): [string, string][] {
  const headers = new Map<string, string>();
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) { headers.set(name.toLowerCase(), String(value)); return res; },
    removeHeader(name: string) { headers.delete(name.toLowerCase()); },
  };
  let done = false;
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  })({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
    done = true;
  });
  // helmet 8 is synchronous; if a later version were not, start-up fails here rather than serving without headers.
  if (!done || headers.size === 0) throw new Error('helmet did not produce its headers synchronously');
  return [...headers];
}

const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()';

export async function registerSecurity(app: FastifyInstance): Promise<void> {
  const fromHelmet = helmetHeaders();
  // onRequest on the raw response, as @fastify/helmet did: present on every answer, errors and 404s included.
  app.addHook('onRequest', (_req, reply, done) => {
    for (const [name, value] of fromHelmet) reply.raw.setHeader(name, value);
    done();
  });
  app.addHook('onSend', (req, reply, payload, done) => {
    // A shared or kiosk browser must not keep a case page in its cache.
    reply.header('cache-control', 'no-store');
    reply.header('permissions-policy', PERMISSIONS_POLICY);
    // Only the staff API may set a cookie (its session); reporter pages never get one (DESIGN.md).
    if (!req.url.startsWith('/api/v1/staff/')) reply.removeHeader('set-cookie');
    done(null, payload);
  });
}
