// Thin fetch wrappers for the reporter API. Types only from shared/ so the
// TypeBox runtime never reaches the browser bundle.
import type {
  CaseView,
  ConvertAdvice,
  ConvertAdviceResult,
  SubmitAdvice,
  SupportList,
  IntakeInfo,
  PostMessage,
  PostMessageResult,
  RecipientsInfo,
  SubmitReport,
  SubmitReportResult,
  SurveyAnswer,
  SurveyAnswerResult,
} from '../../shared/src/api/schemas.ts';
import type { NewRecord, NewRecordEntry, NewRecordEntryResult, RecordView } from '../../shared/src/api/record.ts';

export class ApiError extends Error {
  /** 0 when the request never got an answer (offline, blocked, timed out). */
  readonly status: number;
  readonly code: string;
  /** Seconds from a 429's Retry-After header, if the server sent one. */
  readonly retryAfter: number | undefined;
  constructor(status: number, code: string, message: string, retryAfter?: number) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/**
 * The one fetch of the client, shared by reporter and staff pages: never
 * cached, no referrer, JSON in and out, errors as ApiError with the server's code.
 */
export async function fetchJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      cache: 'no-store',
      credentials: 'same-origin',
      referrerPolicy: 'no-referrer',
      headers: { Accept: 'application/json', ...(init.body ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
    });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
  let body: unknown = null;
  if (res.status !== 204) {
    try {
      body = await res.json();
    } catch {
      body = null;
    }
  }
  if (!res.ok) {
    const err = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    throw new ApiError(
      res.status,
      typeof err?.code === 'string' ? err.code : `http_${res.status}`,
      typeof err?.message === 'string' ? err.message : res.statusText,
      Number(res.headers.get('Retry-After') ?? '') || undefined,
    );
  }
  return body as T;
}

const request = fetchJson;

export const api = {
  intake: () => request<IntakeInfo>('/api/v1/intake'),
  recipients: (category: string, unit: string | undefined, avoidOwnUnit: boolean | undefined) => {
    const q = new URLSearchParams({ category });
    if (unit) q.set('unit', unit);
    if (avoidOwnUnit !== undefined) q.set('avoidOwnUnit', String(avoidOwnUnit));
    return request<RecipientsInfo>(`/api/v1/intake/recipients?${q.toString()}`);
  },
  /** `stamp`: a solved proof-of-work stamp (pow/stamp.ts), sent as the pow-stamp header. */
  submit: (body: SubmitReport, stamp: string) =>
    request<SubmitReportResult>('/api/v1/reports', { method: 'POST', headers: { 'Pow-Stamp': stamp }, body: JSON.stringify(body) }),
  /** Advice: the command whose PSU is asked, or none for the central team. */
  adviceRecipients: (command: string | undefined) =>
    request<RecipientsInfo>(`/api/v1/intake/advice-recipients${command ? `?${new URLSearchParams({ command }).toString()}` : ''}`),
  submitAdvice: (body: SubmitAdvice, stamp: string) =>
    request<SubmitReportResult>('/api/v1/advice', { method: 'POST', headers: { 'Pow-Stamp': stamp }, body: JSON.stringify(body) }),
  /** Who a named conversion seals the name to: the team's identity holders who hold the case key, and the recovery key. */
  caseRecipients: (authorization: string) => request<RecipientsInfo>('/api/v1/case/recipients', { headers: { Authorization: authorization } }),
  convert: (authorization: string, body: ConvertAdvice, stamp: string) =>
    request<ConvertAdviceResult>('/api/v1/case/convert', {
      method: 'POST', headers: { Authorization: authorization, 'Pow-Stamp': stamp }, body: JSON.stringify(body),
    }),
  requestWelfare: (authorization: string, stamp: string) =>
    request<null>('/api/v1/case/welfare', { method: 'POST', headers: { Authorization: authorization, 'Pow-Stamp': stamp }, body: '{}' }),
  /** The whole public list: the browser picks the command's own entries (the request says nothing of the reporter). */
  support: () => request<SupportList>('/api/v1/support'),
  getCase: (authorization: string) => request<CaseView>('/api/v1/case', { headers: { Authorization: authorization } }),
  postMessage: (authorization: string, body: PostMessage, stamp: string) =>
    request<PostMessageResult>('/api/v1/case/messages', {
      method: 'POST',
      headers: { Authorization: authorization, 'Pow-Stamp': stamp },
      body: JSON.stringify(body),
    }),
  postSurvey: (authorization: string, body: SurveyAnswer, stamp: string) =>
    request<SurveyAnswerResult>('/api/v1/case/survey', {
      method: 'POST',
      headers: { Authorization: authorization, 'Pow-Stamp': stamp },
      body: JSON.stringify(body),
    }),
};

/** Private records (docs/PROTOCOL.md "Private records"): `authorization` is `Record <access key>`. */
export const recordApi = {
  create: (body: NewRecord, stamp: string) =>
    request<{ id: string }>('/api/v1/records', { method: 'POST', headers: { 'Pow-Stamp': stamp }, body: JSON.stringify(body) }),
  get: (authorization: string) => request<RecordView>('/api/v1/record', { headers: { Authorization: authorization } }),
  addEntry: (authorization: string, body: NewRecordEntry, stamp: string) =>
    request<NewRecordEntryResult>('/api/v1/record/entries', {
      method: 'POST', headers: { Authorization: authorization, 'Pow-Stamp': stamp }, body: JSON.stringify(body),
    }),
  remove: (authorization: string) => request<null>('/api/v1/record', { method: 'DELETE', headers: { Authorization: authorization } }),
  toReport: (authorization: string, body: SubmitReport, stamp: string) =>
    request<SubmitReportResult>('/api/v1/record/report', {
      method: 'POST', headers: { Authorization: authorization, 'Pow-Stamp': stamp }, body: JSON.stringify(body),
    }),
};

export type Api = typeof api;

/** A proof-of-work stamp refused as missing, expired or already used: a fresh one fixes it. */
export const isStampError = (e: unknown): boolean => e instanceof ApiError && e.code.startsWith('pow_');
