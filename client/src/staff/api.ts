// Fetch wrappers for /api/v1/staff. The session cookie is HttpOnly and scoped
// to this path; every non-GET request also carries the CSRF token from login.
import { ApiError, fetchJson } from '../api.ts';
import type { OversightTables } from '../../../shared/src/api/trail.ts';
import type { SupportContactAdmin, SupportContactInput, SupportContactsAdmin } from '../../../shared/src/api/staff.ts';
import type {
  Account,
  AccountFilters,
  AccountPage,
  CaseDetail,
  CaseList,
  CaseQuery,
  CoveredUnit,
  EnrolComplete,
  EnrolStartResponse,
  KindedWrap,
  Kdf,
  LoginResponse,
  Member,
  ParamsResponse,
  Staff,
  StatusChange,
  Structure,
  Labelled,
  OversightStats,
} from './types.ts';
import type { IntakeInfo, RecipientsInfo } from '../../../shared/src/api/schemas.ts';
import type { CreatedRecordWire, ReferralList, ReferralRejectReason } from '../../../shared/src/api/staff.ts';
import type { CertifyRequestWire, KeyChangeWire, TeamKeys } from '../../../shared/src/api/keys.ts';
import type { ReceiptCheckResult } from '../../../shared/src/api/receipts.ts';
import type { RetentionList, RetentionPreview, SetRetention } from '../../../shared/src/api/retention.ts';

export { ApiError };

const BASE = '/api/v1/staff';

let csrfToken: string | null = null;
let onSignedOut: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The current CSRF token, for requests made outside `request` (attachment chunks are raw bytes). */
export const csrfTokenNow = (): string | null => csrfToken;

/** Called once when any staff request answers 401 not_signed_in (idle timeout, revoked). */
export function setSignedOutHandler(fn: (() => void) | null): void {
  onSignedOut = fn;
}

export async function request<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const method = init.method ?? (init.json !== undefined ? 'POST' : 'GET');
  const headers: Record<string, string> = {};
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  try {
    return await fetchJson<T>(path.startsWith('/api/') ? path : `${BASE}${path}`, {
      method,
      headers,
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && e.code === 'not_signed_in') onSignedOut?.();
    throw e;
  }
}

/** Seconds from a 429's Retry-After header, if the server sent one. */
export function retryAfterOf(e: unknown): number | undefined {
  return e instanceof ApiError ? e.retryAfter : undefined;
}

function query({ filters, tab, ref, cursor }: CaseQuery): string {
  const q = new URLSearchParams();
  if (tab) q.set('tab', tab);
  if (ref) q.set('ref', ref);
  if (filters.sort) q.set('sort', filters.sort);
  if (filters.status) q.set('status', filters.status);
  if (filters.category) q.set('category', filters.category);
  if (filters.unit) q.set('unit', filters.unit);
  if (filters.assigned) q.set('assigned', filters.assigned);
  if (filters.overdue) q.set('overdue', 'true');
  if (filters.kind) q.set('kind', filters.kind);
  if (filters.welfare) q.set('welfare', 'true');
  if (cursor) q.set('cursor', cursor);
  q.set('limit', '25');
  return q.toString();
}

const ref = (caseRef: string) => `/cases/${encodeURIComponent(caseRef)}`;

export const staffApi = {
  params: (username: string) => request<ParamsResponse>('/auth/params', { json: { username } }),
  login: (body: { username: string; loginSecret: string; totp: string }) => request<LoginResponse>('/auth/login', { json: body }),
  enrolStart: (body: { username: string; enrolmentSecret: string }) => request<EnrolStartResponse>('/auth/enrol/start', { json: body }),
  enrolComplete: (body: EnrolComplete) => request<null>('/auth/enrol/complete', { json: body }),
  logout: () => request<null>('/auth/logout', { json: {} }),
  logoutEverywhere: () => request<null>('/auth/logout-everywhere', { json: {} }),
  /** The live session behind the cookie after a reload (no key yet): who, and the kdf to unlock with. */
  session: () => request<{ staff: Staff; kdf: Kdf; csrfToken: string }>('/auth/session'),
  unlock: (loginSecret: string) => request<LoginResponse>('/auth/unlock', { json: { loginSecret } }),

  cases: (q: CaseQuery) => request<CaseList>(`/cases?${query(q)}`),
  /** Units the user's teams cover (the inbox unit filter). */
  units: () => request<CoveredUnit[]>('/units'),
  case: (caseRef: string) => request<CaseDetail>(ref(caseRef)),
  conflict: (caseRef: string, knowsPeople: boolean) => request<null>(`${ref(caseRef)}/conflict`, { json: { knowsPeople } }),
  internalKey: (caseRef: string, wraps: { recipient: string; sealed: string }[]) => request<null>(`${ref(caseRef)}/internal-key`, { json: { wraps } }),
  /** With a message (closing): the message as filed, with its receipt; without one, nothing (204). */
  status: (caseRef: string, body: StatusChange) => request<CreatedRecordWire | null>(`${ref(caseRef)}/status`, { json: body }),
  message: (caseRef: string, body: { id: string; nonce: string; ct: string }) => request<unknown>(`${ref(caseRef)}/messages`, { json: body }),
  /** Whether a receipt (its text, as pasted or uploaded) matches what the case holds; audited. */
  checkReceipt: (caseRef: string, receipt: string) => request<ReceiptCheckResult>(`${ref(caseRef)}/receipt-check`, { json: { receipt } }),
  read: (caseRef: string) => request<null>(`${ref(caseRef)}/read`, { json: {} }),
  note: (caseRef: string, body: { id: string; nonce: string; ct: string }) => request<unknown>(`${ref(caseRef)}/notes`, { json: body }),
  reopen: (caseRef: string, note: { id: string; nonce: string; ct: string }) => request<null>(`${ref(caseRef)}/reopen`, { json: { note } }),
  assign: (caseRef: string, staffId: string, wraps: KindedWrap[]) => request<null>(`${ref(caseRef)}/assign`, { json: { staffId, wraps } }),
  refer: (caseRef: string, teamId: string, wraps: KindedWrap[]) => request<null>(`${ref(caseRef)}/refer`, { json: { teamId, wraps } }),
  /** Referrals waiting for my teams, sent by them, and (leads) those that came back. */
  referrals: () => request<ReferralList>('/referrals'),
  /** This browser opened the referred case with its wraps. */
  confirmReferral: (caseRef: string) => request<null>(`${ref(caseRef)}/referral/confirm`, { json: {} }),
  /** This browser could not: a reason code, nothing of the case. */
  rejectReferral: (caseRef: string, reason: ReferralRejectReason) => request<null>(`${ref(caseRef)}/referral/reject`, { json: { reason } }),
  dismissReferral: (caseRef: string) => request<null>(`${ref(caseRef)}/referral/dismiss`, { json: {} }),
  teams: () => request<Labelled[]>('/teams'),
  members: (teamId: string) => request<Member[]>(`/teams/${encodeURIComponent(teamId)}/members`),
  /** The public intake list (categories, units, teams): the inbox filters offer all of them. */
  intake: () => request<IntakeInfo>('/api/v1/intake'),
  /** The reporter intake route: its recipients list ends with the organisation's recovery key. */
  /** The advice intake's recipients (the central team's): for an advice request, which has no category, the recovery key. */
  adviceRecipients: () => request<RecipientsInfo>('/api/v1/intake/advice-recipients'),
  /** Staff offered the reporter support (welfare contacts, networks, helplines). */
  supportOffered: (caseRef: string) => request<null>(`${ref(caseRef)}/support-offered`, { json: {} }),
  recipients: (category: string, unit: string | undefined) => {
    const q = new URLSearchParams({ category });
    if (unit) q.set('unit', unit);
    return request<RecipientsInfo>(`/api/v1/intake/recipients?${q.toString()}`);
  },

  /** The key directory (docs/staff-api.md "Team keys"). */
  keyChanges: () => request<{ changes: KeyChangeWire[] }>('/keys/changes'),
  teamKeys: (teamId: string) => request<TeamKeys>(`/keys/teams/${encodeURIComponent(teamId)}`),
  certify: (body: CertifyRequestWire) => request<{ hash: string }>('/keys/certify', { json: body }),
  signingKey: (publicKey: string) => request<null>('/keys/signing-key', { json: { publicKey } }),

  stats: () => request<OversightStats>('/oversight/stats'),
  tables: () => request<OversightTables>('/oversight/tables'),
  accounts: (filters: AccountFilters = {}) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, String(v));
    const qs = q.toString();
    return request<AccountPage>(`/admin/accounts${qs ? `?${qs}` : ''}`);
  },
  account: (id: string) => request<Account>(`/admin/accounts/${encodeURIComponent(id)}`),
  editAccount: (id: string, body: { displayName: string; role: string; teams: { id: string; seesIdentity: boolean; lead: boolean }[] }) =>
    request<Account>(`/admin/accounts/${encodeURIComponent(id)}`, { json: body }),
  deactivateAccount: (id: string) => request<Account>(`/admin/accounts/${encodeURIComponent(id)}/deactivate`, { json: {} }),
  reactivateAccount: (id: string) => request<Account>(`/admin/accounts/${encodeURIComponent(id)}/reactivate`, { json: {} }),
  createAccount: (body: { username: string; displayName: string; role: string; teams: { id: string; seesIdentity: boolean; lead: boolean }[] }) =>
    request<{ id: string; enrolmentSecret: string }>('/admin/accounts', { json: body }),
  resetAccount: (id: string) => request<{ enrolmentSecret: string }>(`/admin/accounts/${encodeURIComponent(id)}/reset`, { json: {} }),
  structure: () => request<Structure>('/admin/structure'),
  supportContacts: () => request<SupportContactsAdmin>('/admin/support-contacts'),
  addSupportContact: (body: SupportContactInput) => request<SupportContactAdmin>('/admin/support-contacts', { json: body }),
  removeSupportContact: (id: string) => request<null>(`/admin/support-contacts/${encodeURIComponent(id)}/delete`, { json: {} }),
  retention: () => request<RetentionList>('/admin/retention'),
  setRetention: (body: SetRetention) => request<RetentionList>('/admin/retention', { json: body }),
  /** How many items `months` would find already past it (nothing is saved). */
  retentionPreview: (key: string, months: number) =>
    request<RetentionPreview>(`/admin/retention/preview?${new URLSearchParams({ key, months: String(months) }).toString()}`),
};
