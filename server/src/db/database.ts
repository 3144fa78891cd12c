// Table interfaces. Binary values are stored as base64url text (dialect.ts
// explains why) and booleans as 0/1 integers, so both dialects read alike.
import type { ColumnType, Insertable, Selectable } from 'kysely';

/** 0 or 1: SQLite has no boolean type, so PostgreSQL stores the same integers. */
export type Flag = number;

export interface TeamsTable {
  id: string;
  label: string;
  central: Flag;
}

export interface CommandsTable {
  id: string;
  label: string;
  psu_team_id: string;
}

export interface UnitsTable {
  id: string;
  label: string;
  command_id: string;
}

export interface CategoriesTable {
  id: string;
  label: string;
  hint: string;
  /** null = routed to the PSU of the unit's command. */
  team_id: string | null;
  sort: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface StaffTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  public_key: string | null;
  created_on: string;
  /** SHA-256 (hex) of the Argon2id-derived login secret. */
  login_hash: string | null;
  kdf_salt: string | null;
  kdf_opslimit: number | null;
  kdf_memlimit: number | null;
  /** The private key sealed under the browser-held wrapping key. */
  sk_nonce: string | null;
  sk_ct: string | null;
  totp_secret: string | null;
  /** Last accepted TOTP time step: a code is never accepted twice. */
  totp_last_step: Millis | null;
  /** SHA-256 (hex) of the one-time enrolment secret. */
  enrol_hash: string | null;
  state: ColumnType<StaffState, StaffState | undefined, StaffState>;
  /** Failed sign-ins since the owner last signed in (shown to them then, and reset). */
  failed_sign_ins: ColumnType<number, number | undefined, number>;
  /** The day an administrator deactivated the account; null = it may sign in (if its state allows). */
  deactivated_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** Where notifications go (set by an administrator); null = none sent. */
  email: ColumnType<string | null, string | null | undefined, string | null>;
}

/** 'none': keys only, no sign-in (demo recipients). */
export type StaffState = 'active' | 'enrol' | 'none';

/** bigint in PostgreSQL comes back as a string; read through Number(). */
export type Millis = ColumnType<number | string, number, number>;

export interface StaffSessionsTable {
  id_hash: string;
  staff_id: string;
  csrf_hash: string;
  created_ms: Millis;
  /** Set when the session starts (and moved by releases before 022); later seen times are in staff_session_seen. */
  seen_ms: Millis;
}

/** A session's seen time as last moved (022), kept apart from staff_sessions: auth/session-seen.ts. */
export interface StaffSessionSeenTable {
  id_hash: string;
  seen_ms: Millis;
}

export interface LoginAttemptsTable {
  key: string;
  failures: number;
  locked_until_ms: Millis;
}

export interface CaseConflictsTable {
  case_id: number;
  staff_id: string;
  knows_people: Flag;
  on: string;
}

export interface CaseReadsTable {
  case_id: number;
  staff_id: string;
  /** The per-case n of the last message this user has seen (010). */
  read_n: number;
}

export interface InternalKeysTable {
  case_id: number;
  recipient_id: string;
  sealed: string;
}

export interface NotesTable {
  /** 1, 2, 3 within the case (010): never a global counter. */
  n: number;
  id: string;
  case_id: number;
  author_id: string;
  on: string;
  nonce: string;
  ct: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  case_ref: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

/** The audit log's signed head (migration 012): one row, id 1, rewritten with each append (audit/head.ts). */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  /** YYYY-MM-DD (UTC) of the signing. */
  day: string;
  public_key: string;
  signature: string;
}

export interface TeamMembersTable {
  team_id: string;
  staff_id: string;
  sees_identity: Flag;
  lead: ColumnType<Flag, Flag | undefined, Flag>;
}

export interface RecoveryKeysTable {
  id: string;
  public_key: string;
  active: Flag;
}

export interface CasesTable {
  /** A random 31-bit integer chosen by the writer (010): ids say nothing about the order of cases. */
  id: number;
  case_ref: string;
  access_hash: string;
  reporter_pk: string;
  mode: string;
  /** null while the row is an advice request (014): it has no category until it becomes a report. */
  category_id: string | null;
  unit_id: string | null;
  team_id: string;
  status: string;
  received_on: string;
  outcome: string | null;
  /** null while the row is an advice request (014). */
  report_nonce: string | null;
  report_ct: string | null;
  identity_nonce: string | null;
  identity_ct: string | null;
  reporter_key: string;
  reporter_identity_key: string | null;
  assigned_to: string | null;
  /** Open clock's due date, '9999-12-31' when closed: keeps the inbox order index-backed. */
  next_due_on: string | null;
  /** Latest dated event (received, status, message, note), to the day: the "last activity" order. */
  last_activity_on: ColumnType<string, string | undefined, string>;
  /** Day a reporter wrote on this closed case and the team has not answered yet; null = none. */
  closed_message_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** Day the clocks restarted (a reopening); null = from received_on. */
  clock_from: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set when retention purged the sealed content (retention/): the row is then a content-free stub. */
  purged_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** The last per-case n given to a history entry, message or note (010). */
  last_n: ColumnType<number, number | undefined, number>;
  /** 'report' or 'advice' (014): an advice request is answered through the case channel but is not a case. */
  kind: ColumnType<CaseKind, CaseKind | undefined, CaseKind>;
  /** The sealed advice question (schema rc1/advice); kept when the request becomes a report. */
  advice_nonce: ColumnType<string | null, string | null | undefined, string | null>;
  advice_ct: ColumnType<string | null, string | null | undefined, string | null>;
  /** The day an advice request became a report (reporter-caused: a day only). */
  converted_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** The day the reporter asked for a welfare contact; null once support was offered or never asked. */
  welfare_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** The day staff recorded that support was offered. */
  support_offered_on: ColumnType<string | null, string | null | undefined, string | null>;
}

export type CaseKind = 'report' | 'advice';

/** Where a reporter can get support (014): force-wide (command_id null) or one command's. Public, in the clear. */
export interface SupportContactsTable {
  id: string;
  command_id: string | null;
  kind: string;
  name: string;
  description: string;
  phone: string | null;
  url: string | null;
  email: string | null;
  sort: number;
}

export interface CaseKeysTable {
  case_id: number;
  recipient_id: string;
  kind: 'staff' | 'recovery';
  sealed: string;
  /** 1 = this row wraps the identity key, 0 = the case key. */
  identity: Flag;
}

export interface CaseHistoryTable {
  n: number;
  case_id: number;
  status: string;
  on: string;
  /** Who moved the case (migration 015); null for the reporter's receipt and older entries. */
  staff_id: ColumnType<string | null, string | null | undefined, never>;
  /** For 'referred': the team the case went to (migration 015). */
  team_id: ColumnType<string | null, string | null | undefined, never>;
}

/** One reporter answer to one survey invitation (migration 015). Scores 1–5; the comment sealed. */
export interface SurveyAnswersTable {
  case_id: number;
  invitation: string;
  id: string;
  on: string;
  listened: number;
  supported: number;
  comment_nonce: string | null;
  comment_ct: string | null;
}

export interface MessagesTable {
  n: number;
  id: string;
  case_id: number;
  sender: 'reporter' | 'triage';
  on: string;
  nonce: string;
  ct: string;
}

/** Spent proof-of-work challenges (migration 007); rows go once their challenge has expired. */
export interface PowSpentTable {
  id: string;
  /** Milliseconds since the epoch. */
  expires_at: number;
}

export interface RetentionRulesTable {
  outcome: string;
  months: number;
  set_on: string;
  set_by: string;
}

export interface Database {
  teams: TeamsTable;
  commands: CommandsTable;
  units: UnitsTable;
  categories: CategoriesTable;
  settings: SettingsTable;
  staff: StaffTable;
  team_members: TeamMembersTable;
  recovery_keys: RecoveryKeysTable;
  cases: CasesTable;
  case_keys: CaseKeysTable;
  case_history: CaseHistoryTable;
  survey_answers: SurveyAnswersTable;
  messages: MessagesTable;
  staff_sessions: StaffSessionsTable;
  staff_session_seen: StaffSessionSeenTable;
  login_attempts: LoginAttemptsTable;
  case_conflicts: CaseConflictsTable;
  case_reads: CaseReadsTable;
  internal_keys: InternalKeysTable;
  notes: NotesTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  // Staff notifications (008).
  notification_prefs: NotificationPrefsTable;
  notification_events: NotificationEventsTable;
  notification_mail: NotificationMailTable;
  notification_runs: NotificationRunsTable;
  pow_spent: PowSpentTable;
  retention_rules: RetentionRulesTable;
  // Referrals confirmed by the receiving browser, reporter keys used once (013).
  case_referrals: CaseReferralsTable;
  referral_alerts: ReferralAlertsTable;
  reporter_keys: ReporterKeysTable;
  // The certified key directory (011).
  key_certificates: KeyCertificatesTable;
  key_log: KeyLogTable;
  lead_signing_keys: LeadSigningKeysTable;
  // Support around the report (014).
  support_contacts: SupportContactsTable;
  // Private records (017).
  records: RecordsTable;
  record_entries: RecordEntriesTable;
  // Attachments (018).
  uploads: UploadsTable;
  attachment_chunks: AttachmentChunksTable;
  // The daily reshuffle (023).
  reshuffle_runs: ReshuffleRunsTable;
}

/** A private record (017): its access hash and wrapped key until it becomes a case, then its case. */
export interface RecordsTable {
  id: string;
  reference: string;
  access_hash: string | null;
  holder_key: string | null;
  case_id: number | null;
  last_n: ColumnType<number, number | undefined, number>;
  /** The day the record was made (021; the upgrade's day for older records): retention counts from it. */
  created_on: ColumnType<string | null, string, string | null>;
}

export interface RecordEntriesTable {
  record_id: string;
  id: string;
  n: number;
  on: string;
  entry_nonce: string;
  entry_ct: string;
  subject_nonce: string;
  subject_ct: string;
  sealed_hash: string;
  receipt: string | null;
}

/**
 * A file being uploaded, or uploaded. A reporter's upload for a report not yet filed has case_id null
 * and the access hash of the token the report will carry; staff uploads carry their staff id.
 */
export interface UploadsTable {
  id: string;
  case_id: number | null;
  access_hash: string | null;
  staff_id: string | null;
  sender: 'reporter' | 'triage';
  padded_size: number;
  chunks: number;
  meta_nonce: string;
  meta_ct: string;
  state: 'pending' | 'complete';
  /** The attachment hash (PROTOCOL.md), base64url, once complete. */
  sealed_hash: string | null;
  created_on: string;
  completed_on: string | null;
  /** Set when an entry of this private record takes the file (never which entry); kept after conversion. */
  record_id: string | null;
  /** A record file's signed attachment receipt (JSON), issued when its entry was stored. */
  receipt: string | null;
}

/** The database chunk store: one sealed 64 KiB chunk a row, raw bytes. */
export interface AttachmentChunksTable {
  upload_id: string;
  idx: number;
  data: Uint8Array;
}

/** A referral waiting for the receiving team's browser (confirm or reject); the case keeps its team meanwhile. */
export interface CaseReferralsTable {
  case_id: number;
  from_team_id: string;
  to_team_id: string;
  referred_by: string;
  on: string;
}

/** A referral whose wraps did not open in the receiving browser: shown to the sending team's leads. */
export interface ReferralAlertsTable {
  case_id: number;
  team_id: string;
  to_team_id: string;
  reason: string;
  on: string;
}

export interface ReporterKeysTable {
  reporter_pk: string;
}

/** A certificate as received (docs/PROTOCOL.md "Key certificates"); browsers check it, the server indexes it. */
export interface KeyCertificatesTable {
  hash: string;
  kind: 'member' | 'lead' | 'recovery';
  team_id: string;
  recipient_id: string;
  staff_id: string | null;
  public_key: string;
  sees_identity: Flag;
  signer: string;
  body: string;
  sig: string;
  issued_on: string;
  replaces: string | null;
  revoked_on: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface KeyLogTable {
  team_id: string;
  seq: number;
  action: 'certify' | 'revoke' | 'lead' | 'recovery';
  recipient_id: string;
  staff_id: string | null;
  cert_hash: string;
  on: string;
  actor: string | null;
  hash: string;
  head_signer: string | null;
  head_sig: string | null;
}

export interface LeadSigningKeysTable {
  staff_id: string;
  public_key: string;
}

export interface NotificationPrefsTable {
  staff_id: string;
  kind: string;
  delivery: string;
}

export interface NotificationEventsTable {
  id: string;
  staff_id: string;
  kind: string;
  channel: string;
  n: number;
  /** The slot it goes out in; for reporter-caused events never finer than the batch slot. */
  send_at_ms: Millis;
}

export interface NotificationMailTable {
  id: string;
  staff_id: string;
  channel: string;
  slot_ms: Millis;
  /** Canonical JSON {kind: count}. */
  counts: string;
  state: 'pending' | 'sent' | 'failed' | 'dropped';
  attempts: number;
  next_try_ms: Millis;
  claim: string | null;
  claim_until_ms: Millis;
}

/** One row per daily reshuffle run (retention/reshuffle.ts); horizon and xid are PostgreSQL txids (null on SQLite). */
export interface ReshuffleRunsTable {
  day: string;
  horizon: number | string | null;
  xid: number | string | null;
  rows: number;
}

export interface NotificationRunsTable {
  job: string;
  day: string;
}

export type Team = Selectable<TeamsTable>;
export type NewTeam = Insertable<TeamsTable>;
export type Command = Selectable<CommandsTable>;
export type NewCommand = Insertable<CommandsTable>;
export type Unit = Selectable<UnitsTable>;
export type NewUnit = Insertable<UnitsTable>;
export type Category = Selectable<CategoriesTable>;
export type NewCategory = Insertable<CategoriesTable>;
export type Staff = Selectable<StaffTable>;
export type NewStaff = Insertable<StaffTable>;
export type TeamMember = Selectable<TeamMembersTable>;
export type RecoveryKey = Selectable<RecoveryKeysTable>;
export type CaseRow = Selectable<CasesTable>;
export type NewCase = Insertable<CasesTable>;
export type NewCaseKey = Insertable<CaseKeysTable>;
export type CaseKeyRow = Selectable<CaseKeysTable>;
export type HistoryRow = Selectable<CaseHistoryTable>;
export type MessageRow = Selectable<MessagesTable>;
export type UploadRow = Selectable<UploadsTable>;
export type NewMessage = Insertable<MessagesTable>;
export type StaffSessionRow = Selectable<StaffSessionsTable>;
