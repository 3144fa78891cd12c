// The staff API wire contract (server/src/staff/CONTRACT.md) as TypeBox
// schemas. The server validates every request against these; staff pages
// import the static types only.
import { Type, type Static, type TLiteral, type TUnion } from '@sinclair/typebox';
import { DISPLAY_NAME_MAX, DISPLAY_NAME_PATTERN } from '../domain/names.ts';
import { CASE_REF_PATTERN } from '../domain/reference.ts';
import { ENVELOPE_OVERHEAD, LIMITS, OUTCOMES, STATUSES } from './domain.ts';
import { CaseRecordWire } from './record.ts';
import { ReceiptWire } from './receipts.ts';
import { StaffInvitation } from './trail.ts';
import { AttachmentWire, B64Exact, B64Max, CertificateWire, SUPPORT_KINDS } from './schemas.ts';

const strict = { additionalProperties: false } as const;
// The cast keeps each literal in the static type (a plain map widens them to string).
const literals = <T extends readonly string[]>(values: T) =>
  Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<TLiteral<T[number]>[]>;
const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Ref = Type.String({ pattern: CASE_REF_PATTERN });
const StaffId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
/** Compared lowercased; anything of this shape gets an answer, known or not (no enumeration). */
const Username = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' });
const Totp = Type.String({ pattern: '^\\d{6}$' });
/**
 * Free text typed by a person: no NUL or other C0/DEL control characters (PostgreSQL refuses NUL in
 * text, which would otherwise surface as a 500; the rest have no place in a name or a typed secret).
 */
const PlainText = (minLength: number, maxLength: number) =>
  Type.String({ minLength, maxLength, pattern: '^[^\\u0000-\\u001F\\u007F]*$' });
/** A name shown to colleagues: no control, bidirectional or other invisible character (shared/src/domain/names.ts). */
const DisplayName = Type.String({ minLength: 1, maxLength: DISPLAY_NAME_MAX, pattern: DISPLAY_NAME_PATTERN });
/** Crockford base32, dashes and spaces allowed as typed from the admin's note. */
const EnrolmentSecret = PlainText(8, 64);
const Sealed = B64Exact(80);
const Envelope = Type.Object({ nonce: B64Exact(24), ct: B64Max(LIMITS.messagePaddedMax + ENVELOPE_OVERHEAD) }, strict);
/** The sealed staff private key: 32 bytes padded to the smallest bucket, plus the tag. */
const SecretKeyEnvelope = Type.Object({ nonce: B64Exact(24), ct: B64Max(4096) }, strict);
/** '<5' = fewer than 5 (0–4); 'withheld' = a larger count hidden so a lone '<5' cannot be worked out by subtraction. */
const Count = Type.Union([Type.Integer(), Type.Literal('<5'), Type.Literal('withheld')]);

export const STAFF_ROLES = ['triage', 'lead', 'oversight', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const StaffRoleSchema = literals(STAFF_ROLES);

export const Kdf = Type.Object({
  salt: B64Exact(16),
  opslimit: Type.Integer({ minimum: 3, maximum: 64 }),
  memlimit: Type.Integer({ minimum: 64 * 1024 * 1024, maximum: 1024 * 1024 * 1024 }),
}, strict);

// ---- sign-in ----
export const ParamsBody = Type.Object({ username: Username }, strict);
export const ParamsResponse = Type.Object({ kdf: Kdf, state: Type.Union([Type.Literal('active'), Type.Literal('enrol')]) });

export const StaffSummary = Type.Object({
  id: StaffId,
  username: Type.String(),
  displayName: Type.String(),
  role: StaffRoleSchema,
  teams: Type.Array(Type.Object({ id: Slug, label: Type.String(), lead: Type.Boolean() })),
});

export const LoginBody = Type.Object({ username: Username, loginSecret: B64Exact(32), totp: Totp }, strict);
export const LoginResponse = Type.Object({
  csrfToken: Type.String(),
  staff: StaffSummary,
  /** Absent for oversight and admin, who hold no case key. */
  keys: Type.Optional(Type.Object({ publicKey: B64Exact(32), encryptedSecretKey: SecretKeyEnvelope, kdf: Kdf })),
  /** At sign-in: failed sign-ins on this account since its owner last signed in (shown to them, then reset). */
  failedSignIns: Type.Optional(Type.Integer({ minimum: 0 })),
});
/**
 * After a reload the session is still live but the key is gone: the kdf lets the browser derive the
 * login secret to unlock, and the session's CSRF token lets it unlock (or sign out). A GET answer is
 * readable by this origin only (no CORS), so handing the token back here gives another site nothing.
 */
export const SessionResponse = Type.Object({ staff: StaffSummary, kdf: Kdf, csrfToken: Type.String() });
/** Unlocking a live session after a reload: the passphrase only (no new code), proved by its login secret. */
export const UnlockBody = Type.Object({ loginSecret: B64Exact(32) }, strict);

export const EnrolStartBody = Type.Object({ username: Username, enrolmentSecret: EnrolmentSecret }, strict);
export const EnrolStartResponse = Type.Object({ totpSecret: Type.String(), otpauthUri: Type.String() });
export const EnrolCompleteBody = Type.Object({
  username: Username,
  enrolmentSecret: EnrolmentSecret,
  totp: Totp,
  kdf: Kdf,
  loginSecret: B64Exact(32),
  /** Required for triage and lead; oversight and admin may leave it out (they never open a case). */
  publicKey: Type.Optional(B64Exact(32)),
  encryptedSecretKey: Type.Optional(SecretKeyEnvelope),
}, strict);

// ---- inbox and cases ----
export const InboxQuery = Type.Object({
  status: Type.Optional(literals(STATUSES)),
  category: Type.Optional(Slug),
  unit: Type.Optional(Slug),
  assigned: Type.Optional(Type.Literal('me')),
  overdue: Type.Optional(Type.Literal('true')),
  /** advice: advice requests only; report: cases only. Absent: both. */
  kind: Type.Optional(Type.Union([Type.Literal('report'), Type.Literal('advice')])),
  /** Only those whose reporter asked for a welfare contact that has not been offered yet. */
  welfare: Type.Optional(Type.Literal('true')),
  /** open: something is owed to the reporter (incl. a closed case with a new message); closed: nothing is. Absent: both. */
  tab: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
  /** due: most overdue first, then newest (default); received: newest first; activity: latest activity first. */
  sort: Type.Optional(Type.Union([Type.Literal('due'), Type.Literal('received'), Type.Literal('activity')])),
  /** A case reference as a person typed it (case, spaces and dashes do not matter); normalised by the server. */
  ref: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9 -]{1,24}$' })),
  cursor: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,200}$' })),
  /** Query strings are not coerced, so the limit arrives as digits (1–100, default 25). */
  limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]?$|^100$' })),
}, strict);

const Labelled = Type.Object({ id: Slug, label: Type.String() });
const Due = Type.Object({ acknowledge: Day, feedback: Day });
const Person = Type.Object({ id: StaffId, displayName: Type.String() });

const CaseKind = Type.Union([Type.Literal('report'), Type.Literal('advice')]);
/** The reporter asked for a welfare contact (requestedOn, a day) and whether staff recorded that support was offered. */
const Welfare = Type.Object({ requestedOn: Type.Union([Day, Type.Null()]), offeredOn: Type.Union([Day, Type.Null()]) });

export const InboxItem = Type.Object({
  caseRef: Ref,
  /** advice: a question asked before any report (no category, no assessment, no outcome). */
  kind: CaseKind,
  status: literals(STATUSES),
  /** null for an advice request. */
  category: Type.Union([Labelled, Type.Null()]),
  unit: Type.Union([Labelled, Type.Null()]),
  team: Labelled,
  receivedOn: Day,
  due: Due,
  /** days < 0 = overdue by -days; kind null (closed) has days 0. */
  clock: Type.Object({ kind: Type.Union([Type.Literal('acknowledge'), Type.Literal('feedback'), Type.Literal('advice'), Type.Null()]), days: Type.Integer() }),
  /** A welfare contact asked for and not yet offered: shown flagged. */
  welfareRequested: Type.Boolean(),
  assignedTo: Type.Union([Person, Type.Null()]),
  /** Number of reporter messages this user has not marked read. */
  unread: Type.Integer(),
  /** The latest dated event of the case (received, status change, message, note), to the day. */
  lastActivityOn: Day,
  /** The reporter wrote on this closed case and the team has not answered yet: it counts as open work. */
  messageOnClosed: Type.Boolean(),
});
export const InboxResponse = Type.Object({
  cases: Type.Array(InboxItem),
  next: Type.Union([Type.String(), Type.Null()]),
  /** Cases per tab, with every other filter of the request applied (the tab and cursor aside). */
  counts: Type.Object({ open: Type.Integer(), closed: Type.Integer() }),
});
/** Units the user's teams cover, for the inbox filter. */
export const CoveredUnitsResponse = Type.Array(Type.Object({ id: Slug, label: Type.String(), command: Slug, commandLabel: Type.String() }));

export const RefParams = Type.Object({ ref: Ref }, strict);

export const CaseDetail = Type.Object({
  caseRef: Ref,
  kind: CaseKind,
  status: literals(STATUSES),
  /** `to`: a referral's receiving team; `by`: who moved it (absent for receipt and entries before migration 015). */
  history: Type.Array(Type.Object({ status: literals(STATUSES), on: Day, to: Type.Optional(Labelled), by: Type.Optional(Person) })),
  /** "Did you feel listened to?" invitations and the reporter's answers (the team's eyes only). */
  survey: Type.Optional(Type.Array(StaffInvitation)),
  outcome: Type.Optional(literals(OUTCOMES)),
  mode: Type.Union([Type.Literal('anonymous'), Type.Literal('named')]),
  /** null for an advice request. */
  category: Type.Union([Labelled, Type.Null()]),
  unit: Type.Union([Labelled, Type.Null()]),
  team: Labelled,
  receivedOn: Day,
  due: Due,
  assignedTo: Type.Union([Person, Type.Null()]),
  reporterPk: Type.String(),
  /** Absent while this is an advice request. */
  report: Type.Optional(Type.Object({ nonce: Type.String(), ct: Type.String() })),
  /** The sealed advice question (schema rc1/advice), for a request and for a report that began as one. */
  advice: Type.Optional(Type.Object({ nonce: Type.String(), ct: Type.String() })),
  /** The day the reporter turned the advice request into this report. */
  convertedOn: Type.Optional(Day),
  /** Advice requests: the day the current unanswered question is due a reply (absent when answered). */
  adviceDue: Type.Optional(Day),
  welfare: Welfare,
  identity: Type.Optional(Type.Object({ nonce: Type.String(), ct: Type.String() })),
  keyWrap: Type.String(),
  identityWrap: Type.Optional(Type.String()),
  internalKeyWrap: Type.Optional(Type.String()),
  messages: Type.Array(Type.Object({
    id: Type.String(), from: Type.Union([Type.Literal('reporter'), Type.Literal('triage')]), on: Day,
    nonce: Type.String(), ct: Type.String(), read: Type.Boolean(),
  })),
  notes: Type.Array(Type.Object({ id: Type.String(), on: Day, author: Person, nonce: Type.String(), ct: Type.String() })),
  /** Completed attachments, both sides (docs/PROTOCOL.md "Attachments"). */
  attachments: Type.Array(AttachmentWire),
  conflict: Type.Union([Type.Literal('undeclared'), Type.Literal('none')]),
  /** Staff ids holding the case-key wrap now (recovery keys and recused members left out), sorted. */
  holders: Type.Optional(Type.Array(StaffId)),
  /** Staff ids recused from this case (declared they know the people): never send them a wrap. */
  recused: Type.Optional(Type.Array(StaffId)),
  /**
   * A referral of this case waiting for the receiving team's browser to confirm that its wraps open.
   * outgoing: this user is in the sending team (the case is still theirs); incoming: this user is in
   * the receiving team and should check the wraps, then confirm or reject.
   */
  /** A case that began as a private record: its dated entries, sealed under the case key (docs/PROTOCOL.md). */
  record: Type.Optional(CaseRecordWire),
  referral: Type.Optional(Type.Object({
    direction: Type.Union([Type.Literal('incoming'), Type.Literal('outgoing')]), from: Labelled, to: Labelled, on: Day,
  })),
});

export const ConflictBody = Type.Object({ knowsPeople: Type.Boolean() }, strict);
export const InternalKeyBody = Type.Object({
  wraps: Type.Array(Type.Object({ recipient: StaffId, sealed: Sealed }, strict), { minItems: 1, maxItems: 64 }),
}, strict);
export const SealedRecord = Type.Object({ id: B64Exact(16), nonce: B64Exact(24), ct: B64Max(LIMITS.messagePaddedMax + ENVELOPE_OVERHEAD) }, strict);
export const StatusBody = Type.Object({
  status: literals(STATUSES),
  outcome: Type.Optional(literals(OUTCOMES)),
  /** The sealed explanation to the reporter; required when closing. */
  message: Type.Optional(SealedRecord),
}, strict);
/** Reopening a closed case: the reason, sealed in the browser as an internal note (internalKey). */
export const ReopenBody = Type.Object({ note: SealedRecord }, strict);
/** receipt: for a message to the reporter only (PROTOCOL.md "Receipts"); notes have none. */
export const CreatedRecord = Type.Object({ id: Type.String(), on: Day, receipt: Type.Optional(ReceiptWire) });
export const EmptyBody = Type.Object({}, strict);
export const WrapKind = Type.Union([Type.Literal('case'), Type.Literal('identity'), Type.Literal('internal')]);
const KindedWraps = Type.Array(Type.Object({ recipient: StaffId, kind: WrapKind, sealed: Sealed }, strict), { minItems: 1, maxItems: 192 });
export const AssignBody = Type.Object({ staffId: StaffId, wraps: KindedWraps }, strict);
export const ReferBody = Type.Object({ teamId: Slug, wraps: KindedWraps }, strict);
/** What the receiving browser could not open (codes only: nothing of the case). */
export const REFERRAL_REJECT_REASONS = ['case_key', 'report', 'identity_key', 'identity', 'internal_key'] as const;
export const RejectReferralBody = Type.Object({ reason: literals(REFERRAL_REJECT_REASONS) }, strict);
/** Days a referral may wait unconfirmed before the sending team's leads are told. */
export const REFERRAL_STALE_DAYS = 3;
const Referral = Type.Object({ caseRef: Ref, from: Labelled, to: Labelled, on: Day });
export const ReferralsResponse = Type.Object({
  /** Waiting for this user's teams to open and confirm. */
  incoming: Type.Array(Referral),
  /** Sent by this user's teams, not confirmed yet; overdue after REFERRAL_STALE_DAYS. */
  outgoing: Type.Array(Type.Object({ ...Referral.properties, overdue: Type.Boolean() })),
  /** Leads only: referrals the receiving browser could not open, so the case came back. */
  returned: Type.Array(Type.Object({ ...Referral.properties, reason: literals(REFERRAL_REJECT_REASONS) })),
});

export const TeamParams = Type.Object({ id: Slug }, strict);
export const TeamsResponse = Type.Array(Labelled);
/** Members who have a key (an officer still enrolling is left out: nothing can be wrapped to them). */
export const MembersResponse = Type.Array(Type.Object({
  id: StaffId, displayName: Type.String(), role: StaffRoleSchema, publicKey: B64Exact(32), seesIdentity: Type.Boolean(),
  /** The certificate subject, and the chain a browser checks before wrapping to this member (docs/PROTOCOL.md "Key certificates"). */
  recipientId: StaffId, chain: Type.Array(CertificateWire, { minItems: 2, maxItems: 2 }),
}));

// ---- oversight ----
const Counted = Type.Array(Type.Object({ id: Type.String(), label: Type.String(), count: Count }));
export const StatsResponse = Type.Object({
  /**
   * The figures cover cases received up to and including `through` (the last day of the last
   * calendar month that has ended), as things stood at the end of that day. They change only when
   * a month ends, so watching them cannot pick out a new case as it arrives.
   */
  period: Type.Object({ through: Day }),
  total: Count,
  byCommand: Counted,
  byCategory: Counted,
  byStatus: Counted,
  timeliness: Type.Object({
    /** Shares 0–1 (two decimals); null when fewer than 5 cases were due, so no one is singled out. */
    acknowledgedWithin7Days: Type.Union([Type.Number(), Type.Null()]),
    feedbackWithin3Months: Type.Union([Type.Number(), Type.Null()]),
  }),
  /**
   * Advice requests asked in the same period, counted apart from the reports above (which leave
   * them out): how many, by the team asked (a command's PSU or the central team), and how many of
   * them had become reports by the end of the period (each such report is also counted above).
   */
  advice: Type.Object({ total: Count, byTeam: Counted, converted: Count }),
});

// ---- support contacts (admin) ----
const Phone = Type.String({ minLength: 3, maxLength: 32, pattern: '^[0-9+() -]+$' });
/** https only, no spaces or quotes: shown to reporters as a plain link. */
const HttpsUrl = Type.String({ maxLength: 300, pattern: '^https://[A-Za-z0-9.-]+(/[^\\s"<>]*)?$' });
const Email = Type.String({ maxLength: 254, pattern: '^[^\\s@<>(),;:"]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$' });
export const SupportContactBody = Type.Object({
  /** null: force-wide; else the command it applies to. */
  command: Type.Union([Slug, Type.Null()]),
  kind: literals(SUPPORT_KINDS),
  name: PlainText(1, 120),
  description: PlainText(0, 500),
  phone: Type.Optional(Phone),
  url: Type.Optional(HttpsUrl),
  email: Type.Optional(Email),
  sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 9999 })),
}, strict);
export const SupportContactParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) }, strict);
export const SupportContactItem = Type.Object({
  id: Type.String(), command: Type.Union([Slug, Type.Null()]), kind: literals(SUPPORT_KINDS), name: Type.String(), description: Type.String(),
  phone: Type.Optional(Type.String()), url: Type.Optional(Type.String()), email: Type.Optional(Type.String()), sort: Type.Integer(),
});
export const SupportContactsAdminResponse = Type.Object({
  contacts: Type.Array(SupportContactItem),
  commands: Type.Array(Labelled),
});
export type SupportContactInput = Static<typeof SupportContactBody>;
export type SupportContactAdmin = Static<typeof SupportContactItem>;
export type SupportContactsAdmin = Static<typeof SupportContactsAdminResponse>;

// ---- admin ----
const TeamGrant = Type.Object({ id: Slug, seesIdentity: Type.Boolean(), lead: Type.Boolean() }, strict);
const Teams = Type.Array(TeamGrant, { maxItems: 16 });
export const NewAccountBody = Type.Object({
  username: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' }),
  displayName: DisplayName,
  role: StaffRoleSchema,
  teams: Teams,
}, strict);
/** The whole editable part of an account (the username never changes: it is the account id). */
export const EditAccountBody = Type.Object({ displayName: DisplayName, role: StaffRoleSchema, teams: Teams }, strict);
export const EnrolmentIssued = Type.Object({ id: StaffId, enrolmentSecret: Type.String() });
export const AccountIdParams = Type.Object({ id: StaffId }, strict);
/** 'active' and 'enrol' leave deactivated accounts out; 'deactivated' is every deactivated account. */
export const ACCOUNT_FILTER_STATES = ['active', 'enrol', 'deactivated'] as const;
export const ACCOUNTS_PAGE_SIZE = 25;
export const AccountsQuery = Type.Object({
  /** Part of the display name or username, any case. */
  q: Type.Optional(PlainText(0, 64)),
  role: Type.Optional(StaffRoleSchema),
  team: Type.Optional(Slug),
  state: Type.Optional(literals(ACCOUNT_FILTER_STATES)),
  /** Query strings are not coerced: 1-based page number as digits. */
  page: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,5}$' })),
}, strict);
export const Account = Type.Object({
  id: StaffId, username: Type.String(), displayName: Type.String(), role: StaffRoleSchema,
  /** Enrolment state, kept as it was while the account is deactivated. */
  state: Type.Union([Type.Literal('active'), Type.Literal('enrol'), Type.Literal('none')]),
  /** The day the account was deactivated, or null while it may sign in. */
  deactivatedOn: Type.Union([Day, Type.Null()]),
  teams: Type.Array(Type.Object({ id: Slug, seesIdentity: Type.Boolean(), lead: Type.Boolean() })),
});
export const AccountsResponse = Type.Object({
  accounts: Type.Array(Account),
  /** Accounts matching the filters, over every page. */
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export const StructureResponse = Type.Object({
  teams: Type.Array(Type.Object({ id: Slug, label: Type.String(), central: Type.Boolean() })),
  commands: Type.Array(Type.Object({ id: Slug, label: Type.String(), psuTeam: Slug })),
  units: Type.Array(Type.Object({ id: Slug, label: Type.String(), command: Slug })),
  categories: Type.Array(Type.Object({ id: Slug, label: Type.String(), team: Type.Union([Slug, Type.Null()]) })),
  routing: Type.Object({ centralTeam: Slug, commandPsu: Type.Record(Type.String(), Slug) }),
});

export type KdfWire = Static<typeof Kdf>;
export type StaffParams = Static<typeof ParamsResponse>;
export type StaffSummaryWire = Static<typeof StaffSummary>;
export type LoginRequest = Static<typeof LoginBody>;
export type LoginResult = Static<typeof LoginResponse>;
export type SessionInfo = Static<typeof SessionResponse>;
export type UnlockRequest = Static<typeof UnlockBody>;
export type EnrolStart = Static<typeof EnrolStartBody>;
export type EnrolStarted = Static<typeof EnrolStartResponse>;
export type EnrolComplete = Static<typeof EnrolCompleteBody>;
export type InboxFilters = Static<typeof InboxQuery>;
export type InboxCase = Static<typeof InboxItem>;
export type InboxPage = Static<typeof InboxResponse>;
export type CoveredUnits = Static<typeof CoveredUnitsResponse>;
export type ReopenRequest = Static<typeof ReopenBody>;
export type StaffCaseView = Static<typeof CaseDetail>;
export type ConflictRequest = Static<typeof ConflictBody>;
export type InternalKeyRequest = Static<typeof InternalKeyBody>;
export type SealedRecordWire = Static<typeof SealedRecord>;
export type StatusRequest = Static<typeof StatusBody>;
export type CreatedRecordWire = Static<typeof CreatedRecord>;
export type WrapKindWire = Static<typeof WrapKind>;
export type AssignRequest = Static<typeof AssignBody>;
export type ReferRequest = Static<typeof ReferBody>;
export type ReferralRejectReason = (typeof REFERRAL_REJECT_REASONS)[number];
export type ReferralList = Static<typeof ReferralsResponse>;
export type TeamList = Static<typeof TeamsResponse>;
export type TeamMemberList = Static<typeof MembersResponse>;
export type OversightStats = Static<typeof StatsResponse>;
export type NewAccount = Static<typeof NewAccountBody>;
export type EnrolmentIssuedWire = Static<typeof EnrolmentIssued>;
export type AccountList = Static<typeof AccountsResponse>;
export type AccountWire = Static<typeof Account>;
export type AccountFilters = Static<typeof AccountsQuery>;
export type EditAccount = Static<typeof EditAccountBody>;
export type Structure = Static<typeof StructureResponse>;
