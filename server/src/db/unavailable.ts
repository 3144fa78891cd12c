// Which errors mean "the database cannot serve us right now" (so the client gets
// 503 service_unavailable + Retry-After, and may simply try again) rather than
// "this request or our code is wrong" (500). Connection loss, timeouts, a
// server shutting down or out of connections, and a busy SQLite file.

/** Socket-level failures: refused, reset, unreachable, DNS. */
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/** PostgreSQL SQLSTATEs that say nothing about the request itself. */
const PG_CODES = new Set([
  '57P01', // admin_shutdown (pg_terminate_backend, server stopping)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '57014', // query_canceled (statement_timeout)
  '55P03', // lock_not_available (lock_timeout)
  '25P03', // idle_in_transaction_session_timeout
  '53000', '53100', '53200', '53300', // insufficient resources, disk full, out of memory, too many connections
]);

// node-postgres raises these as plain Errors without a code.
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
];

export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NET_CODES.has(code) || PG_CODES.has(code)) return true;
    if (code.startsWith('08')) return true; // connection_exception class
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return true;
  }
  return typeof message === 'string' && PG_MESSAGES.some((m) => message.startsWith(m));
}
