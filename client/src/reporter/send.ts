// Sealing and sending as an explicit state machine (STYLE.md: idle → sealing →
// sending → sent | failed). Transitions are pure; `runSend` drives them with
// injected effects so the same token is reused on every retry and the draft is
// never thrown away on failure.
import type { RecipientsInfo, SubmitReport, SubmitReportResult } from '../../../shared/src/api/schemas.ts';
import type { Draft } from '../../../shared/src/crypto/reporter.ts';
import type { CaseToken } from '../../../shared/src/crypto/types.ts';
import type { Receipt } from '../../../shared/src/crypto/receipt.ts';

/** A file's receipt, by the upload id the report named. */
export interface FileReceipt { id: string; receipt: Receipt }

/** How many times a 409 recipients_changed is answered by re-fetching and re-sealing before giving up. */
export const MAX_RESEALS = 2;

export type FailureReason = 'network' | 'busy' | 'server' | 'too-large' | 'choices-changed' | 'recipients' | 'crypto' | 'unverified';

export type SendState =
  | { kind: 'idle' }
  | { kind: 'sealing'; reseals: number }
  | { kind: 'sending'; reseals: number }
  /** receipt: absent when the answer was lost and the case was found again (a receipt is issued once, with the 201). */
  | { kind: 'sent'; caseRef: string; receivedOn: string; receipt?: Receipt; attachmentReceipts?: FileReceipt[] }
  | { kind: 'failed'; reason: FailureReason };

export type SendEvent =
  | { type: 'start' }
  | { type: 'sealed' }
  | { type: 'accepted'; caseRef: string; receivedOn: string; receipt?: Receipt; attachmentReceipts?: FileReceipt[] }
  | { type: 'recipients-changed' }
  | { type: 'failed'; reason: FailureReason };

export const initialSendState: SendState = { kind: 'idle' };

export function transition(state: SendState, event: SendEvent): SendState {
  switch (state.kind) {
    case 'idle':
    case 'failed':
      // "Try again" is the same event as the first "Send report".
      return event.type === 'start' ? { kind: 'sealing', reseals: 0 } : state;
    case 'sealing':
      if (event.type === 'sealed') return { kind: 'sending', reseals: state.reseals };
      if (event.type === 'failed') return { kind: 'failed', reason: event.reason };
      return state;
    case 'sending':
      if (event.type === 'accepted') {
        const { type: _accepted, ...sent } = event;
        return { kind: 'sent', ...sent };
      }
      if (event.type === 'recipients-changed') {
        return state.reseals < MAX_RESEALS ? { kind: 'sealing', reseals: state.reseals + 1 } : { kind: 'failed', reason: 'recipients' };
      }
      if (event.type === 'failed') return { kind: 'failed', reason: event.reason };
      return state;
    case 'sent':
      return state;
  }
}

export function isBusy(state: SendState): boolean {
  return state.kind === 'sealing' || state.kind === 'sending';
}

/** Maps an API failure (status, code) to what we can tell the reporter. */
export function reasonFor(status: number, code: string): FailureReason | 'recipients-changed' | 'already-received' {
  if (code === 'recipients_changed') return 'recipients-changed';
  if (code === 'access_hash_taken') return 'already-received';
  if (status === 0) return 'network';
  if (status === 429 || status === 503) return 'busy';
  if (status === 413 || code === 'invalid_size' || code === 'payload_too_large') return 'too-large';
  if (code === 'unknown_category' || code === 'unknown_unit') return 'choices-changed';
  return 'server';
}

/** errorInfo's code for a recipient whose certificate chain does not reach the pinned organisation key. */
export const UNVERIFIED = 'unverified_keys';

export interface SendEffects {
  /** Checks every recipient's certificate chain, then seals; refuses (errorInfo code UNVERIFIED) before wrapping anything. */
  seal(draft: Draft, recipients: RecipientsInfo, token: CaseToken | undefined): Promise<{ token: CaseToken; body: SubmitReport }>;
  recipients(draft: Draft): Promise<RecipientsInfo>;
  submit(body: SubmitReport): Promise<SubmitReportResult>;
  /** After access_hash_taken: the first attempt probably arrived. Look it up with the token. */
  lookUp(token: CaseToken): Promise<SubmitReportResult | null>;
  errorInfo(e: unknown): { status: number; code: string };
}

/**
 * Runs one send attempt from `state` (idle or failed). `token` is the token
 * from an earlier attempt, if any; `onToken` is told as soon as one exists so
 * the caller can keep it for a retry.
 */
export async function runSend(
  draft: Draft,
  token: CaseToken | undefined,
  fx: SendEffects,
  onState: (s: SendState) => void,
  onToken: (t: CaseToken) => void,
): Promise<SendState> {
  let state = transition(initialSendState, { type: 'start' });
  const step = (e: SendEvent) => {
    state = transition(state, e);
    onState(state);
  };
  onState(state);
  while (state.kind === 'sealing') {
    let body: SubmitReport;
    try {
      const sealed = await fx.seal(draft, await fx.recipients(draft), token);
      token = sealed.token;
      onToken(token);
      body = sealed.body;
    } catch (e) {
      const { status, code } = fx.errorInfo(e);
      // A chain that fails is never retried silently: the reporter is told, and nothing was sent.
      const r = code === UNVERIFIED ? 'unverified' : status === -1 ? 'crypto' : reasonFor(status, code);
      step({ type: 'failed', reason: r === 'recipients-changed' || r === 'already-received' ? 'server' : r });
      break;
    }
    step({ type: 'sealed' });
    try {
      const result = await fx.submit(body);
      step({
        type: 'accepted', caseRef: result.caseRef, receivedOn: result.receivedOn,
        ...(result.receipt ? { receipt: result.receipt } : {}),
        ...(result.attachmentReceipts ? { attachmentReceipts: result.attachmentReceipts } : {}),
      });
    } catch (e) {
      const { status, code } = fx.errorInfo(e);
      const r = reasonFor(status, code);
      if (r === 'recipients-changed') {
        step({ type: 'recipients-changed' });
      } else if (r === 'already-received') {
        // A retry after a lost response: the report is there under this token.
        const found = await fx.lookUp(token).catch(() => null);
        step(found ? { type: 'accepted', ...found } : { type: 'failed', reason: 'server' });
      } else {
        step({ type: 'failed', reason: r });
      }
    }
  }
  return state;
}
