// Wire contract of private records (docs/PROTOCOL.md "Private records"). Requests about a
// record carry `Authorization: Record <b64u(recordAccessKey)>`.
import { Type, type Static } from '@sinclair/typebox';
import { ATTACHMENT_LIMITS, LIMITS } from './domain.ts';
import { CASE_REF_PATTERN } from '../domain/reference.ts';
import { AttachmentWire, B64Exact, EnvelopeSchema } from './schemas.ts';
import { ReceiptWire } from './receipts.ts';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const strict = { additionalProperties: false } as const;

/** Entries a record may hold: enough for a long pattern of behaviour, small enough to bound a row set. */
export const RECORD_ENTRIES_MAX = 200;
/** Largest padded entry and subject (an entry is as long as a message; the subject is a few short fields). */
export const RECORD_ENTRY_PADDED_MAX = LIMITS.messagePaddedMax;
export const RECORD_SUBJECT_PADDED_MAX = LIMITS.identityPaddedMax;

export const NewRecordBody = Type.Object(
  {
    v: Type.Literal(2),
    /** 16 random bytes made by the browser: the entries' additional data names it. */
    id: B64Exact(16),
    accessHash: B64Exact(32),
    /** nonce ‖ AEAD(recordWrapKey, recordKey): 72 bytes. */
    holderKey: B64Exact(72),
  },
  strict,
);

/**
 * reference: the record's RC-XXXX-XXXX, random, made by the server. Its entries' receipts name it,
 * and the case the record may become takes it as its case reference, so they keep matching.
 */
export const NewRecordResponse = Type.Object({ id: B64Exact(16), reference: Type.String({ pattern: CASE_REF_PATTERN }) }, strict);

export const NewRecordEntryBody = Type.Object(
  {
    id: B64Exact(16),
    entry: EnvelopeSchema(RECORD_ENTRY_PADDED_MAX),
    subject: EnvelopeSchema(RECORD_SUBJECT_PADDED_MAX),
    /**
     * Completed uploads of this record (made with Authorization: Record …) that this entry names in its
     * sealed body. The entry is stored only if every one is complete and in no entry yet; each then
     * joins the record in the entry's transaction (PROTOCOL.md "Private records", files).
     */
    attachments: Type.Optional(Type.Array(B64Exact(16), { maxItems: ATTACHMENT_LIMITS.filesPerReport })),
  },
  strict,
);


export const RecordEntryWire = Type.Object({
  id: B64Exact(16),
  /** The day the server received it (Europe/London), never a time. */
  on: Day,
  entry: Type.Object({ nonce: Type.String(), ct: Type.String() }),
  subject: Type.Object({ nonce: Type.String(), ct: Type.String() }),
  /** b64u of the hash a receipt binds (PROTOCOL.md), as the server computed it when storing. */
  sealedHash: B64Exact(32),
  /** The receipt signed when the entry was stored (kind "entry", the record's reference, the day). */
  receipt: Type.Optional(ReceiptWire),
});

/** One receipt per file the entry named, in the order named (kind attachment, the record's reference). */
export const FileReceiptsWire = Type.Array(Type.Object({ id: B64Exact(16), receipt: ReceiptWire }));

export const NewRecordEntryResponse = Type.Object({
  id: B64Exact(16), on: Day, sealedHash: B64Exact(32), receipt: Type.Optional(ReceiptWire),
  attachmentReceipts: Type.Optional(FileReceiptsWire),
});

/**
 * A file an entry of the record took, as the case view lists files, with the receipt signed when its
 * entry was stored. Which entry names it is only in the entries' sealed bodies.
 */
export const RecordFileWire = Type.Object({ ...AttachmentWire.properties, receipt: Type.Optional(ReceiptWire) });

export const RecordResponse = Type.Object({
  id: B64Exact(16),
  holderKey: B64Exact(72),
  entries: Type.Array(RecordEntryWire),
  /** Every file the record's entries took, ordered by day then id (not by arrival). */
  attachments: Type.Array(RecordFileWire),
  /**
   * The day from which the retention purge deletes the record if nothing is added before it (a new
   * entry moves it on); null while the administrator has set no period for private records.
   */
  expiresOn: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  /** Spaces making the body a whole number of 64 KiB steps, so its length does not count entries; ignore it. */
  pad: Type.Optional(Type.String({ pattern: '^ *$' })),
});

/** What a triage browser gets with a case that began as a record: the entries, sealed under the case key. */
export const CaseRecordWire = Type.Object({
  id: B64Exact(16),
  entries: Type.Array(RecordEntryWire),
});

export type NewRecord = Static<typeof NewRecordBody>;
export type NewRecordEntry = Static<typeof NewRecordEntryBody>;
export type NewRecordEntryResult = Static<typeof NewRecordEntryResponse>;
export type RecordEntryWire = Static<typeof RecordEntryWire>;
export type RecordView = Static<typeof RecordResponse>;
export type CaseRecord = Static<typeof CaseRecordWire>;
export type RecordFile = Static<typeof RecordFileWire>;
