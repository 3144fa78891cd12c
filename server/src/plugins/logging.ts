// Logger options: no client address, hostname, headers or query string ever
// reach a log line (DESIGN.md: "logs no reporter IP address"). Requests are
// logged by route pattern, so even a token pasted into a URL is not kept.
import { randomUUID } from 'node:crypto';
import { LogController, type FastifyRequest, type FastifyServerOptions } from 'fastify';
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

/**
 * Routes a reporter's browser calls. A log line written while one is served is itself a time:
 * pino's own clock is off, but whatever collects stdout (journald, a container runtime) stamps
 * each line as it arrives, and line order alone would place a reporter's request among staff
 * actions. So these routes write no per-request line at all (no "incoming request", no
 * "request completed" with its responseTime, no refusal); only faults an operator must see
 * (503, 500) are logged, by code. docs/THREAT-MODEL.md "Time metadata". A private record's
 * holder (records/) is treated as a reporter. The published receipt keys count too: the Check a
 * receipt page fetches them, often just after a report was sent.
 */
const REPORTER_ROUTES = /^\/api\/v1\/(intake|reports|advice|support|case|pow|records|record|receipts)(\/|\?|$)/;

export const isReporterRequest = (req: { url: string }): boolean => REPORTER_ROUTES.test(req.url);

/** Request-logging options for Fastify: random request ids, reporter routes not logged per request. */
export function requestLogging(): Pick<FastifyServerOptions, 'genReqId' | 'logController'> {
  return {
    // Fastify's default ids count up (req-1, req-2 …) and would order every request in the logs.
    genReqId: () => randomUUID(),
    logController: new LogController({ disableRequestLogging: (req) => isReporterRequest(req) }),
  };
}
