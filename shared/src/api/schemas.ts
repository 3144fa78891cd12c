// The reporter API wire contract (docs/PROTOCOL.md, rc2), as TypeBox schemas. The
// server validates every request against these; the client imports the
// static types only, so TypeBox never reaches the reporter's bundle.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ATTACHMENT_LIMITS, ENVELOPE_OVERHEAD, LIMITS, MODES, OUTCOMES, STATUSES } from './domain.ts';
import { ReceiptWire } from './receipts.ts';
import { INVITATION_PATTERN, SCALE_MAX, SCALE_MIN, SURVEY_PADDED_MAX } from '../domain/trail.ts';

const b64Len = (bytes: number): number => Math.ceil((bytes * 4) / 3);
const B64_PATTERN = '^[A-Za-z0-9_-]*$';

/** Base64url (no padding) of exactly `bytes` bytes. */
export const B64Exact = (bytes: number) =>
  Type.String({ pattern: B64_PATTERN, minLength: b64Len(bytes), maxLength: b64Len(bytes) });
/** Base64url of at most `bytes` bytes. */
export const B64Max = (bytes: number) => Type.String({ pattern: B64_PATTERN, minLength: 1, maxLength: b64Len(bytes) });

const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' });
const RecipientId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

const strict = { additionalProperties: false } as const;

export const EnvelopeSchema = (paddedMax: number) =>
  Type.Object({ nonce: B64Exact(24), ct: B64Max(paddedMax + ENVELOPE_OVERHEAD) }, strict);

export const KeyWrap = Type.Object({ recipient: RecipientId, sealed: B64Exact(80) }, strict);

export const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});

export const Status = literals(STATUSES);
export const Outcome = literals(OUTCOMES);
export const Mode = literals(MODES);

export const IntakeResponse = Type.Object({
  v: Type.Literal(2),
  categories: Type.Array(
    Type.Object({ id: Slug, label: Type.String(), hint: Type.String(), team: Type.Union([Slug, Type.Null()]) }),
  ),
  units: Type.Array(Type.Object({ id: Slug, label: Type.String(), command: Slug, commandLabel: Type.String() })),
  teams: Type.Array(Type.Object({ id: Slug, label: Type.String(), central: Type.Boolean() })),
  routing: Type.Object({
    /** A category's own team wins; otherwise the unit's command PSU; `avoidOwnUnit` or no unit → this team. */
    centralTeam: Slug,
    commandPsu: Type.Record(Type.String(), Slug),
  }),
  limits: Type.Object({
    reportPaddedMax: Type.Integer(),
    identityPaddedMax: Type.Integer(),
    messagePaddedMax: Type.Integer(),
    messageTextMax: Type.Integer(),
    narrativeMax: Type.Integer(),
    recipientsMax: Type.Integer(),
    attachments: Type.Object({
      filesPerReport: Type.Integer(),
      fileMax: Type.Integer(),
      cleanedFileMax: Type.Integer(),
      casePaddedMax: Type.Integer(),
      filesPerCase: Type.Integer(),
    }),
  }),
});

export const RecipientsQuery = Type.Object(
  {
    category: Slug,
    unit: Type.Optional(Slug),
    avoidOwnUnit: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
  },
  strict,
);

/** A key certificate (docs/PROTOCOL.md "Key certificates"): its canonical bytes and the Ed25519 signature over them. */
export const CertificateWire = Type.Object({ body: B64Max(512), sig: B64Exact(64) }, strict);

export const Recipient = Type.Object({
  /** Opaque: the certificate's subject, never a username. */
  id: RecipientId,
  publicKey: B64Exact(32),
  kind: Type.Union([Type.Literal('staff'), Type.Literal('recovery')]),
  seesIdentity: Type.Boolean(),
  /** The recipient's certificate, then (staff) the certificate of the lead who signed it. */
  chain: Type.Array(CertificateWire, { minItems: 1, maxItems: 2 }),
});

export const RecipientsResponse = Type.Object({
  team: Type.Object({ id: Slug, label: Type.String() }),
  recipients: Type.Array(Recipient),
});

export const SubmitReportBody = Type.Object(
  {
    v: Type.Literal(2),
    mode: Mode,
    category: Slug,
    unit: Type.Optional(Slug),
    avoidOwnUnit: Type.Optional(Type.Boolean()),
    reporterPk: B64Exact(32),
    accessHash: B64Exact(32),
    report: EnvelopeSchema(LIMITS.reportPaddedMax),
    identity: Type.Optional(EnvelopeSchema(LIMITS.identityPaddedMax)),
    keys: Type.Array(KeyWrap, { minItems: 1, maxItems: LIMITS.recipientsMax }),
    identityKeys: Type.Optional(Type.Array(KeyWrap, { minItems: 1, maxItems: LIMITS.recipientsMax })),
    reporterKey: B64Exact(80),
    reporterIdentityKey: Type.Optional(B64Exact(80)),
    /** Completed uploads made with this token (POST /uploads), linked to the case in its own transaction. */
    attachments: Type.Optional(Type.Array(B64Exact(16), { minItems: 1, maxItems: ATTACHMENT_LIMITS.filesPerReport })),
  },
  strict,
);

/** GET /intake/advice-recipients: the command whose PSU answers, or none for the central team. */
export const AdviceRecipientsQuery = Type.Object({ command: Type.Optional(Slug) }, strict);

/** POST /advice: a sealed question (schema rc1/advice), always anonymous; no category, no report. */
export const SubmitAdviceBody = Type.Object(
  {
    v: Type.Literal(2),
    command: Type.Optional(Slug),
    reporterPk: B64Exact(32),
    accessHash: B64Exact(32),
    question: EnvelopeSchema(LIMITS.messagePaddedMax),
    keys: Type.Array(KeyWrap, { minItems: 1, maxItems: LIMITS.recipientsMax }),
    reporterKey: B64Exact(80),
  },
  strict,
);

/** POST /case/convert: the advice request becomes a report, sealed under the same case key; the thread stays. */
export const ConvertAdviceBody = Type.Object(
  {
    v: Type.Literal(2),
    category: Slug,
    unit: Type.Optional(Slug),
    report: EnvelopeSchema(LIMITS.reportPaddedMax),
    /** Absent: anonymous, as before names were offered. Named: the three identity fields, as in POST /reports. */
    mode: Type.Optional(Mode),
    identity: Type.Optional(EnvelopeSchema(LIMITS.identityPaddedMax)),
    /** identityKey wrapped to each recipient GET /case/recipients lists (identity holders who hold the case key, and recovery). */
    identityKeys: Type.Optional(Type.Array(KeyWrap, { minItems: 1, maxItems: LIMITS.recipientsMax })),
    reporterIdentityKey: Type.Optional(B64Exact(80)),
  },
  strict,
);
export const ConvertAdviceResponse = Type.Object({ caseRef: Type.String(), convertedOn: Day });

/** Where a reporter can get support: public, the same for everyone (the browser picks the command's own). */
export const SUPPORT_KINDS = ['welfare', 'association', 'network', 'eap', 'helpline'] as const;
export const SupportContactWire = Type.Object({
  id: Type.String(),
  /** null: force-wide. */
  command: Type.Union([Type.Object({ id: Slug, label: Type.String() }), Type.Null()]),
  kind: literals(SUPPORT_KINDS),
  name: Type.String(),
  description: Type.String(),
  phone: Type.Optional(Type.String()),
  url: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
});
export const SupportResponse = Type.Object({ contacts: Type.Array(SupportContactWire) });

export const SubmitReportResponse = Type.Object({
  caseRef: Type.String(),
  receivedOn: Day,
  /** Signed proof of filing (PROTOCOL.md "Receipts"); added in rc2, so older clients simply ignore it. */
  receipt: Type.Optional(ReceiptWire),
  /** One receipt (kind attachment) for each file the report named, in the order named. */
  attachmentReceipts: Type.Optional(Type.Array(Type.Object({ id: Type.String(), receipt: ReceiptWire }))),
});

export const MessageWire = Type.Object({
  id: B64Exact(16),
  from: Type.Union([Type.Literal('reporter'), Type.Literal('triage')]),
  on: Day,
  nonce: B64Exact(24),
  ct: Type.String(),
});

/** One survey invitation as the reporter sees it (docs/PROTOCOL.md "Survey answers"). */
export const InvitationWire = Type.Object({
  invitation: Type.String({ pattern: INVITATION_PATTERN }),
  kind: Type.Union([Type.Literal('closed'), Type.Literal('open')]),
  on: Day,
  answered: Type.Boolean(),
});

/** A completed attachment of a case: who sent it, the day, its padded size and its sealed meta (name, type, key). */
export const AttachmentWire = Type.Object({
  id: B64Exact(16),
  from: Type.Union([Type.Literal('reporter'), Type.Literal('triage')]),
  on: Day,
  paddedSize: Type.Integer(),
  chunks: Type.Integer(),
  meta: Type.Object({ nonce: Type.String(), ct: Type.String() }),
});

export const CaseResponse = Type.Object({
  caseRef: Type.String(),
  /** advice: a question asked before any report (no report yet); report: a case. */
  kind: Type.Union([Type.Literal('report'), Type.Literal('advice')]),
  status: Status,
  /** `to`: for a referral, the team it went to, named by its role (never a person). */
  history: Type.Array(Type.Object({ status: Status, on: Day, to: Type.Optional(Type.String()) })),
  outcome: Type.Optional(Outcome),
  reporterKey: Type.String(),
  reporterIdentityKey: Type.Optional(Type.String()),
  /** Absent while this is an advice request. */
  report: Type.Optional(Type.Object({ nonce: Type.String(), ct: Type.String() })),
  /** The advice question (schema rc1/advice), when this began as one. */
  advice: Type.Optional(Type.Object({ nonce: Type.String(), ct: Type.String() })),
  /** The day an advice request became this report. */
  convertedOn: Type.Optional(Day),
  /** welfareRequested: the reporter asked for a welfare contact; supportOffered: the team recorded that it offered support. */
  welfare: Type.Object({ requested: Type.Boolean(), supportOffered: Type.Boolean() }),
  /**
   * Advice requests only, while the administrator has set a period for them: the day from which the
   * retention purge deletes the request if no message (either way) is written before it.
   */
  expiresOn: Type.Optional(Day),
  identity: Type.Optional(Type.Object({ nonce: Type.String(), ct: Type.String() })),
  messages: Type.Array(MessageWire),
  attachments: Type.Array(AttachmentWire),
  due: Type.Object({ acknowledge: Day, feedback: Day }),
  /** "Did you feel listened to?" invitations made so far (at each closing, after three months open). */
  survey: Type.Array(InvitationWire),
  /** Spaces that make the response a whole number of 64 KiB steps, so its size does not count messages; ignore it. */
  pad: Type.Optional(Type.String({ pattern: '^ *$' })),
});

export const PostMessageBody = Type.Object(
  { id: B64Exact(16), nonce: B64Exact(24), ct: B64Max(LIMITS.messagePaddedMax + ENVELOPE_OVERHEAD) },
  strict,
);

export const PostMessageResponse = Type.Object({ id: Type.String(), on: Day, receipt: Type.Optional(ReceiptWire) });

const Score = Type.Integer({ minimum: SCALE_MIN, maximum: SCALE_MAX });

/** POST /api/v1/case/survey: one answer to one open invitation; the comment sealed under the case key. */
export const SurveyAnswerBody = Type.Object(
  {
    invitation: Type.String({ pattern: INVITATION_PATTERN }),
    id: B64Exact(16),
    listened: Score,
    supported: Score,
    comment: Type.Optional(EnvelopeSchema(SURVEY_PADDED_MAX)),
  },
  strict,
);

export const SurveyAnswerResponse = Type.Object({ invitation: Type.String(), on: Day });

/** GET /api/v1/pow: an opaque challenge to solve; the difficulty is also inside it, authenticated. */
export const PowChallengeResponse = Type.Object({
  challenge: B64Exact(38),
  difficulty: Type.Integer({ minimum: 0, maximum: 255 }),
  expiresIn: Type.Integer({ minimum: 1 }),
});

export type IntakeInfo = Static<typeof IntakeResponse>;
export type PowChallenge = Static<typeof PowChallengeResponse>;
export type RecipientsInfo = Static<typeof RecipientsResponse>;
export type RecipientInfo = Static<typeof Recipient>;
export type SubmitReport = Static<typeof SubmitReportBody>;
export type SubmitReportResult = Static<typeof SubmitReportResponse>;
export type CaseView = Static<typeof CaseResponse>;
export type MessageView = Static<typeof MessageWire>;
export type AttachmentView = Static<typeof AttachmentWire>;
export type PostMessage = Static<typeof PostMessageBody>;
export type PostMessageResult = Static<typeof PostMessageResponse>;
export type SurveyAnswer = Static<typeof SurveyAnswerBody>;
export type SurveyAnswerResult = Static<typeof SurveyAnswerResponse>;
export type InvitationView = Static<typeof InvitationWire>;
export type SubmitAdvice = Static<typeof SubmitAdviceBody>;
export type ConvertAdvice = Static<typeof ConvertAdviceBody>;
export type ConvertAdviceResult = Static<typeof ConvertAdviceResponse>;
export type SupportContact = Static<typeof SupportContactWire>;
export type SupportKind = (typeof SUPPORT_KINDS)[number];
export type SupportList = Static<typeof SupportResponse>;
export type Schema = TSchema;
