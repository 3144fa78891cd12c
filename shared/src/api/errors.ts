// Error codes of the wire contract. Clients and tests branch on codes, never on messages.
export const ERRORS = {
  invalid_request: 400,
  invalid_base64: 400,
  invalid_size: 400,
  identity_mismatch: 400,
  unknown_category: 400,
  unknown_unit: 400,
  duplicate_recipient: 400,
  invalid_certificate: 400,
  unsupported_version: 400,
  pow_invalid: 400,
  pow_expired: 403,
  pow_replayed: 403,
  pow_required: 428,
  not_signed_in: 401,
  invalid_credentials: 401,
  code_used: 401,
  csrf_failed: 403,
  forbidden: 403,
  account_inactive: 403,
  case_not_found: 404,
  not_found: 404,
  method_not_allowed: 405,
  recipients_changed: 409,
  access_hash_taken: 409,
  message_exists: 409,
  case_closed: 409,
  too_many_messages: 409,
  internal_key_exists: 409,
  invalid_transition: 409,
  username_taken: 409,
  own_account: 409,
  key_changed: 409,
  lead_not_certified: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  locked_out: 429,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}
