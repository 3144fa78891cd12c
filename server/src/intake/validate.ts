// Checks beyond the JSON schema: strict base64url, padded-bucket sizes, and
// that identity fields match the mode. Each failure has its own code so a
// client bug is told apart from a probe.
import { ENVELOPE_OVERHEAD, LIMITS } from '../../../shared/src/api/domain.ts';
import type { SubmitReport } from '../../../shared/src/api/schemas.ts';
import { envelopeVersion, fromB64u } from '../../../shared/src/crypto/index.ts';
import { ApiError } from '../plugins/errors.ts';

/** Decodes strictly (non-canonical strings are refused) and checks the byte length. */
export function decodeExact(text: string, bytes: number): Uint8Array {
  let out: Uint8Array;
  try {
    out = fromB64u(text);
  } catch {
    throw new ApiError('invalid_base64');
  }
  if (out.length !== bytes) throw new ApiError('invalid_size');
  return out;
}

/**
 * A new ciphertext must be an rc2 envelope (version byte 2, a padding bucket,
 * the 16-byte AEAD tag) within the limit. rc1 envelopes are still read but no
 * longer written: one from an old client is refused with its own code.
 */
export function checkCiphertext(text: string, paddedMax: number): void {
  let ct: Uint8Array;
  try {
    ct = fromB64u(text);
  } catch {
    throw new ApiError('invalid_base64');
  }
  const version = envelopeVersion(ct);
  if (version === 1) throw new ApiError('unsupported_version');
  const padded = ct.length - ENVELOPE_OVERHEAD;
  if (version !== 2 || padded > paddedMax) throw new ApiError('invalid_size');
}

export function checkEnvelope(env: { nonce: string; ct: string }, paddedMax: number): void {
  decodeExact(env.nonce, 24);
  checkCiphertext(env.ct, paddedMax);
}

export function validateSubmission(body: SubmitReport): void {
  decodeExact(body.reporterPk, 32);
  decodeExact(body.accessHash, 32);
  decodeExact(body.reporterKey, 80);
  checkEnvelope(body.report, LIMITS.reportPaddedMax);
  for (const k of body.keys) decodeExact(k.sealed, 80);
  checkIdentity(body);
}

/**
 * The identity fields of a report or of an advice conversion: all three for a named one, none for an
 * anonymous one (an absent mode is anonymous), each strictly decoded and within its bucket.
 */
export function checkIdentity(body: Pick<SubmitReport, 'identity' | 'identityKeys' | 'reporterIdentityKey'> & { mode?: string | undefined }): void {
  if (body.identity) checkEnvelope(body.identity, LIMITS.identityPaddedMax);
  for (const k of body.identityKeys ?? []) decodeExact(k.sealed, 80);
  if (body.reporterIdentityKey !== undefined) decodeExact(body.reporterIdentityKey, 80);

  const identityParts = [body.identity, body.identityKeys, body.reporterIdentityKey].filter((x) => x !== undefined).length;
  if (body.mode === 'named' ? identityParts !== 3 : identityParts !== 0) throw new ApiError('identity_mismatch');
}

/**
 * `wraps` must name each expected recipient exactly once. Duplicates are a
 * client bug (400); a missing or extra wrap means the list changed since the
 * browser fetched it (409), so it re-fetches and re-wraps.
 */
export function checkWraps(wraps: { recipient: string }[], expected: string[]): void {
  const seen = new Set<string>();
  for (const w of wraps) {
    if (seen.has(w.recipient)) throw new ApiError('duplicate_recipient');
    seen.add(w.recipient);
  }
  if (seen.size !== expected.length || expected.some((id) => !seen.has(id))) throw new ApiError('recipients_changed');
}
