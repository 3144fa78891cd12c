// One error shape for the whole API: { error: { code, message } }. Codes come
// from the wire contract; 5xx details are logged by code only and never sent.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, type ErrorCode, type ErrorBody } from '../../../shared/src/api/errors.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { isReporterRequest } from './logging.ts';

/** Seconds a client should wait after a 503: the pool reconnects on the next request once the database is back. */
export const RETRY_AFTER_SECONDS = 5;

const MESSAGES: Record<ErrorCode, string> = {
  invalid_request: 'The request is not valid.',
  invalid_base64: 'A binary field is not canonical base64url.',
  invalid_size: 'A sealed field has a size that is not allowed.',
  weak_key: 'The public key is not a usable X25519 key (all zero or of small order).',
  identity_mismatch: 'Identity fields do not match the report mode.',
  unknown_category: 'Unknown category.',
  unknown_unit: 'Unknown unit.',
  unknown_command: 'Unknown command.',
  duplicate_recipient: 'A recipient appears more than once.',
  invalid_certificate: 'The key certificate is not valid.',
  unsupported_version: 'This sealed field uses an old protocol version; reload the page.',
  invalid_receipt: 'This is not a receipt.',
  pow_invalid: 'The proof-of-work stamp is not valid; fetch a new challenge.',
  pow_expired: 'The proof-of-work challenge has expired; fetch a new one.',
  pow_replayed: 'This proof-of-work stamp has already been used; fetch a new challenge.',
  pow_required: 'This request needs a proof-of-work stamp (see GET /api/v1/pow).',
  not_signed_in: 'Sign in to continue.',
  invalid_credentials: 'The username, passphrase or code is not right.',
  code_used: 'That code has just been used. Wait for the next code from your authenticator app.',
  csrf_failed: 'The request could not be verified; reload the page.',
  forbidden: 'You do not have access to this.',
  account_inactive: 'This account has been deactivated. Ask your administrator.',
  case_not_found: 'No case matches this token.',
  record_not_found: 'No record matches this token.',
  not_found: 'Not found.',
  method_not_allowed: 'Method not allowed.',
  recipients_changed: 'The recipients for this report have changed; fetch them again.',
  access_hash_taken: 'This token is already in use.',
  reporter_key_taken: 'This reporter key already belongs to a case; start a new report with a new token.',
  referral_pending: 'A referral of this case is waiting for the other team to confirm it.',
  message_exists: 'This message was already received.',
  case_closed: 'The case is closed.',
  survey_closed: 'This case has not asked that question, or no longer does.',
  survey_answered: 'This question was already answered.',
  advice_not_case: 'This is an advice request, not a case: it has no status, assessment or outcome. The reporter can turn it into a report.',
  already_report: 'This is already a report.',
  too_many_messages: 'This case has too many messages.',
  record_exists: 'A record with this id or token already exists.',
  entry_exists: 'This entry is already stored.',
  too_many_entries: 'This record has too many entries.',
  internal_key_exists: 'This case already has an internal key.',
  invalid_transition: 'The case cannot move to that status.',
  username_taken: 'That username is already in use.',
  own_account: 'You cannot do this to your own account.',
  key_changed: 'The key or the team\'s key log changed since you looked; reload and compare again.',
  lead_not_certified: 'Your signing key has not been certified by the organisation for this team.',
  upload_exists: 'An upload with this id already exists.',
  upload_incomplete: 'Some chunks of this upload have not been received yet (see its status).',
  upload_unusable: 'An attachment named in the request is not a complete upload made with this token.',
  chunk_mismatch: 'This chunk was already received with different bytes.',
  too_many_files: 'No more files can be added.',
  case_storage_full: 'The files would exceed the space allowed for one case.',
  payload_too_large: 'The request is too large.',
  file_too_large: 'The file is larger than allowed.',
  unsupported_media_type: 'Send JSON.',
  locked_out: 'Too many failed attempts; try again later.',
  rate_limited: 'Too many requests; try again later.',
  internal_error: 'Something went wrong.',
  service_unavailable: 'The service is unavailable.',
};

export class ApiError extends Error {
  readonly statusCode: number;
  /** Extra response headers, e.g. Retry-After on locked_out. */
  headers: Record<string, string> = {};
  constructor(readonly code: ErrorCode, message: string = MESSAGES[code]) {
    super(message);
    this.statusCode = ERRORS[code];
  }
}

export function errorBody(code: ErrorCode, message: string = MESSAGES[code]): ErrorBody {
  return { error: { code, message } };
}

/** Maps Fastify's own errors (FST_ERR_*) onto contract codes. */
function classify(err: FastifyError): ErrorCode {
  if (err instanceof ApiError) return err.code;
  if (err.validation) return 'invalid_request';
  // A database that is down, restarting, partitioned or busy: the request may be repeated as is.
  if (isDatabaseUnavailable(err)) return 'service_unavailable';
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'payload_too_large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported_media_type';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return 'invalid_request';
    default:
      break;
  }
  const status = err.statusCode ?? 500;
  if (status === 429) return 'rate_limited';
  if (status === 413) return 'payload_too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status === 404) return 'not_found';
  if (status >= 400 && status < 500) return 'invalid_request';
  return 'internal_error';
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const code = classify(err);
    const status = ERRORS[code];
    // Log the code only: messages of parse errors can quote request bytes (hence no stack's first line either).
    if (code === 'service_unavailable') {
      // Expected during an outage: one warn line per request, no stack (the error text could name a host).
      req.log.warn({ code, errCode: err.code }, 'database unavailable');
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    } else if (status >= 500) req.log.error({ code, errCode: err.code, stack: err.stack?.split('\n').slice(1).join('\n') }, 'request failed');
    // A reporter's refused request is not logged: the line's arrival would time it (logging.ts).
    else if (!isReporterRequest(req)) req.log.info({ code }, 'request refused');
    const message = err instanceof ApiError ? err.message : MESSAGES[code];
    if (err instanceof ApiError) for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
    return reply.code(status).type('application/json; charset=utf-8').send(errorBody(code, message));
  });
}
