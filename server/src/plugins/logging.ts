// Logger options: no client address, hostname, headers or query string ever
// reach a log line (DESIGN.md: "logs no reporter IP address"). Requests are
// logged by route pattern, so even a token pasted into a URL is not kept.
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';

export interface LogOptions {
  level?: string;
  /** Where lines go (tests pass a capturing stream); stdout when absent. */
  stream?: DestinationStream;
}

export function loggerOptions(opts: LogOptions | false | undefined): FastifyServerOptions['logger'] {
  if (opts === false || opts === undefined) return false;
  return {
    level: opts.level ?? 'info',
    base: null,
    // No clock in our lines: a request time could be matched against door or login logs (docs/PROTOCOL.md).
    timestamp: false,
    ...(opts.stream ? { stream: opts.stream } : {}),
    serializers: {
      req: (req: FastifyRequest) => ({ method: req.method, route: req.routeOptions?.url ?? 'unmatched' }),
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
      // Error messages can quote request bytes (JSON parse errors do), so keep type and code only.
      err: (err: Error & { code?: string }) => ({ type: err.name, code: err.code, message: '(omitted)', stack: '' }),
    },
  };
}
