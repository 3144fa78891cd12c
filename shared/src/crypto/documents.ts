// Plaintext documents sealed inside envelopes. The server never sees these
// shapes; they are the contract between reporter and triage browsers.
export interface ReportDoc {
  schema: 'rc1/report';
  /** What happened, in the reporter's words. */
  narrative: string;
  /** When it happened, as the reporter describes it (free text: "last week", a date). */
  when?: string;
  /** Where it happened. */
  where?: string;
  /** Who was involved (names, roles, descriptions). */
  people?: string;
  /** Anyone who saw or heard it. */
  witnesses?: string;
  /** Readable labels, so a triage reader sees the reporter's choice as they saw it. */
  categoryLabel?: string;
  unitLabel?: string;
}

export interface IdentityDoc {
  schema: 'rc1/identity';
  name: string;
  role?: string;
  contact?: string;
}

export type Sender = 'reporter' | 'triage';

export interface MessageDoc {
  schema: 'rc1/message';
  from: Sender;
  text: string;
}

export interface NoteDoc {
  schema: 'rc1/note';
  text: string;
  /** Present when the note records the triage assessment (see staff.ts). */
  assessment?: {
    iopcMandatoryReferral: boolean;
    iopcGrounds: string[];
    severity: 'no_case_to_answer' | 'misconduct' | 'gross_misconduct';
    welfareConcern: boolean;
    victimisationRisk: boolean;
  };
}

/** One entry of a private record (record.ts): what the holder wrote down, before any report exists. */
export interface RecordEntryDoc {
  schema: 'rc2/record-entry';
  /** What happened. */
  what: string;
  /** When it happened, in the holder's words (free text). */
  when?: string;
  where?: string;
  /** Who was there (witnesses, others present). */
  present?: string;
  /**
   * The files of this entry: each the id of a record upload (PROTOCOL.md "Private records", files),
   * sealed here so only a reader of the record learns which entry a file belongs to. The file's key
   * travels in its own meta (sealed under the record key); `key`, b64u of that file key, is optional
   * and not sent by our client.
   */
  attachments?: { id: string; key?: string }[];
}

/**
 * Who the entry is about, sealed apart from the entry so that a later matching feature
 * (docs/PROTOCOL.md "Record matching, later") can read only these identifiers in the holder's browser.
 */
export interface RecordSubjectDoc {
  schema: 'rc2/record-subject';
  name?: string;
  /** Collar or staff number. */
  collar?: string;
  role?: string;
}

/** A reporter's optional comment with a survey answer (docs/PROTOCOL.md "Survey answers"). */
export interface SurveyDoc {
  schema: 'rc1/survey';
  text: string;
}

/** An attachment's meta (attachment.ts): what the file is and the key its stream opens with. */
export interface AttachmentDoc {
  schema: 'rc1/attachment';
  /** The file name as the sender chose it (no path). */
  name: string;
  /** Media type, e.g. image/jpeg; "application/octet-stream" when unknown. */
  type: string;
  /** True length in bytes; the stream holds `chunks` × 64 KiB, zero-padded past it. */
  size: number;
  /** The stream key, 32 bytes (base64url). */
  key: string;
  /** The secretstream header, 24 bytes (base64url). */
  header: string;
  chunks: number;
}

/** A question asked before any report (issue #14): sealed under the case key like a report. */
export interface AdviceDoc {
  schema: 'rc1/advice';
  question: string;
  /** Readable label of the team asked, as the reporter saw it. */
  teamLabel?: string;
}

export type Rc1Doc = ReportDoc | IdentityDoc | MessageDoc | NoteDoc | RecordEntryDoc | RecordSubjectDoc | SurveyDoc | AttachmentDoc | AdviceDoc;
export type SchemaName = Rc1Doc['schema'];
