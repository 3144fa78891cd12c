// The upload API's wire contract (docs/PROTOCOL.md "Attachments"), reporter
// and staff alike. Chunk bodies are raw bytes (application/octet-stream), so
// they have no schema here: the server checks their length.
import { Type, type Static } from '@sinclair/typebox';
import { CASE_REF_PATTERN } from '../domain/reference.ts';
import { ATTACHMENT_LIMITS } from './domain.ts';
import { ReceiptWire } from './receipts.ts';
import { B64Exact, EnvelopeSchema } from './schemas.ts';

const strict = { additionalProperties: false } as const;
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Ref = Type.String({ pattern: CASE_REF_PATTERN });
const MAX_CHUNKS = ATTACHMENT_LIMITS.fileMax / ATTACHMENT_LIMITS.chunkBytes;

export const StartUploadBody = Type.Object({
  /** 16 random bytes chosen by the sender; bound into the meta's additional data. */
  id: B64Exact(16),
  /** A padded size (a bucket: 64 KiB·2^k up to 1 MiB, then whole MiB), at most fileMax. */
  paddedSize: Type.Integer({ minimum: ATTACHMENT_LIMITS.chunkBytes }),
  meta: EnvelopeSchema(ATTACHMENT_LIMITS.metaPaddedMax),
}, strict);

export const UploadParams = Type.Object({ id: B64Exact(16) }, strict);
/** Params are strings (nothing is coerced): a decimal index without leading zeros. */
export const ChunkParams = Type.Object({ id: B64Exact(16), index: Type.String({ pattern: '^(0|[1-9][0-9]{0,5})$' }) }, strict);
export const CaseUploadParams = Type.Object({ ref: Ref, id: B64Exact(16) }, strict);
export const CaseChunkParams = Type.Object({
  ref: Ref, id: B64Exact(16), index: Type.String({ pattern: '^(0|[1-9][0-9]{0,5})$' }),
}, strict);

export const UploadStatusResponse = Type.Object({
  id: Type.String(),
  chunks: Type.Integer({ minimum: 1, maximum: MAX_CHUNKS }),
  /** Indices already stored, ascending: resume from the first one missing. */
  stored: Type.Array(Type.Integer()),
  complete: Type.Boolean(),
  /** The day after which an upload not yet part of a report or case is removed. */
  expiresAfter: Day,
});

export const PutChunkResponse = Type.Object({ index: Type.Integer() });

export const CompleteUploadResponse = Type.Object({
  id: Type.String(),
  /** The attachment hash: BLAKE2b-256 keyed "rc2 attachment hash" over the sealed chunks in order. */
  hash: B64Exact(32),
  on: Day,
  /**
   * Signed proof of filing (PROTOCOL.md "Receipts", kind attachment), when the file joined a case that
   * exists already (follow-up page, staff). Files sent with a report get theirs in the report's answer.
   */
  receipt: Type.Optional(ReceiptWire),
});

export type StartUpload = Static<typeof StartUploadBody>;
export type UploadStatus = Static<typeof UploadStatusResponse>;
export type CompleteUpload = Static<typeof CompleteUploadResponse>;
