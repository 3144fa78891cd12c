// Security headers on every response, errors and static files included.
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

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

export async function registerSecurity(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (req, reply, payload) => {
    // A shared or kiosk browser must not keep a case page in its cache.
    reply.header('cache-control', 'no-store');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()');
    // Only the staff API may set a cookie (its session); reporter pages never get one (DESIGN.md).
    if (!req.url.startsWith('/api/v1/staff/')) reply.removeHeader('set-cookie');
    return payload;
  });
}
