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

/** A question asked before any report (issue #14): sealed under the case key like a report. */
export interface AdviceDoc {
  schema: 'rc1/advice';
  question: string;
  /** Readable label of the team asked, as the reporter saw it. */
  teamLabel?: string;
}

export type Rc1Doc = ReportDoc | IdentityDoc | MessageDoc | NoteDoc | AdviceDoc;
export type SchemaName = Rc1Doc['schema'];
