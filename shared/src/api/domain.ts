// Vocabulary shared by server and client: statuses, outcomes, limits.
export const STATUSES = ['received', 'acknowledged', 'assessing', 'investigating', 'referred', 'closed'] as const;
export type CaseStatus = (typeof STATUSES)[number];

export const OUTCOMES = [
  'no_case_to_answer',
  'reflective_practice',
  'management_action',
  'misconduct_meeting',
  'gross_misconduct_hearing',
  'referred_iopc',
  'referred_dps',
  'criminal_investigation',
  'welfare_support_only',
  'withdrawn',
  'insufficient_information',
] as const;
export type OutcomeCode = (typeof OUTCOMES)[number];

export const MODES = ['anonymous', 'named'] as const;
export type ReportMode = (typeof MODES)[number];

/**
 * Size limits, in padded plaintext bytes (an envelope adds ENVELOPE_OVERHEAD). Every size the
 * server accepts is a padding bucket, so a ciphertext of any other length is
 * a client bug or a probe and is refused.
 */
export const LIMITS = {
  reportPaddedMax: 256 * 1024,
  identityPaddedMax: 4 * 1024,
  messagePaddedMax: 64 * 1024,
  messageTextMax: 20_000,
  narrativeMax: 50_000,
  recipientsMax: 32,
  /**
   * Per sender, so neither side can use up the other's allowance: however many messages staff
   * write, the reporter can still answer (and the reverse).
   */
  reporterMessagesPerCaseMax: 500,
  triageMessagesPerCaseMax: 500,
} as const;

export type Limits = typeof LIMITS;

const MiB = 1024 * 1024;

/**
 * Attachments (docs/PROTOCOL.md "Attachments"). Sizes are padded sizes (what the server can see):
 * a file of up to N MiB pads to at most N MiB, since every bucket above 1 MiB is a whole MiB.
 * The server sees no file type (it is sealed), so it holds every file to fileMax; the browser holds
 * the files it cleans whole in memory (photos, PDF, Office, text) to cleanedFileMax, and lets audio
 * and video, which it seals straight from disk a chunk at a time, go up to fileMax.
 */
export const ATTACHMENT_LIMITS = {
  /** Files sent with one report. */
  filesPerReport: 10,
  /** One file, in bytes (its padded size may not exceed this either): an audio or video file, streamed. */
  fileMax: 100 * MiB,
  /** One file the browser reads whole to remove its metadata (or shows whole): photos, PDF, Office, text. Browser-side only. */
  cleanedFileMax: 25 * MiB,
  /** All files of one case together, padded, both sides. */
  casePaddedMax: 100 * MiB,
  /** Files in one case, both sides, over its life. */
  filesPerCase: 40,
  /** The sealed meta (name, type, size, key): an envelope of at most this padded size. */
  metaPaddedMax: 4 * 1024,
  /** Plaintext bytes per chunk, and bytes of a sealed chunk (the chunk, a tag byte, a 16-byte MAC). */
  chunkBytes: 64 * 1024,
  sealedChunkBytes: 64 * 1024 + 17,
  /** An upload not yet part of a report or case is removed once this many days have passed since it began. */
  pendingDays: 1,
} as const;

/** Bytes a sealed field adds to its padded plaintext: the rc2 version byte and the 16-byte AEAD tag. */
export const ENVELOPE_OVERHEAD = 17;

/** True when `n` is a size `pad()` can produce: 1024·2^k up to 64 KiB, then multiples of 64 KiB. */
export function isBucketSize(n: number): boolean {
  if (n < 1024) return false;
  if (n <= 65536) return (n & (n - 1)) === 0;
  return n % 65536 === 0;
}
