// Sending a record as a report through the reporter's send machine (reporter/send.ts), so the
// covering note gets what a report gets: a reseal when the team's keys changed meanwhile (409
// recipients_changed), words that say what went wrong, and a lost answer recovered. A record
// turned into a report loses its own access (record_not_found from then on) and its token opens
// the case instead; so when a retry finds the record gone, the case is looked up with the token
// before anything is said to have failed.
import type { SubmitReportResult } from '../../../shared/src/api/schemas.ts';
import { api, ApiError, isStampError, recordApi } from '../api.ts';
import { loadCrypto } from '../crypto.ts';
import { ORG_PUBLIC_KEY } from '../org-key.ts';
import { withStamp } from '../pow/stamp.ts';
import { UNVERIFIED, type FailureReason, type SendEffects } from '../reporter/send.ts';
import type { OpenRecord } from './session.ts';

export function recordSendEffects(open: OpenRecord): SendEffects {
  return {
    recipients: (d) => api.recipients(d.category, d.unit, undefined),
    seal: async (d, info) => {
      const c = await loadCrypto();
      // Every chain is checked against the pinned organisation key before the record key is wrapped to anyone.
      const { body } = c.sealRecordReport(d, info, c.fromB64u(ORG_PUBLIC_KEY), open.session.token, open.opened.recordKey);
      return { token: open.session.token, body };
    },
    submit: (body) => withStamp((stamp) => recordApi.toReport(open.session.authorization, body, stamp), isStampError),
    lookUp: async (token): Promise<SubmitReportResult | null> => {
      const c = await loadCrypto();
      const view = await api.getCase(c.reporterSession(token).authorization);
      return { caseRef: view.caseRef, receivedOn: view.history[0]?.on ?? '' };
    },
    errorInfo: (e) => {
      if (!(e instanceof ApiError)) return { status: -1, code: e instanceof Error && e.name === 'KeyChainError' ? UNVERIFIED : 'crypto' };
      // The record is gone: most likely an earlier attempt arrived and made it a case (looked up next).
      return e.code === 'record_not_found' ? { status: e.status, code: 'access_hash_taken' } : { status: e.status, code: e.code };
    },
  };
}

/** What the holder is told when sending fails, and which field the message leads to. */
export const RECORD_FAILURE: Record<FailureReason, { field: 'note' | 'category'; text: string }> = {
  network: { field: 'note', text: 'Your report could not be sent because the connection failed. Check your internet connection and try again' },
  busy: { field: 'note', text: 'The service is busy. Wait a minute, then try again' },
  server: {
    field: 'note',
    text: 'Your report could not be sent. Try again in a few minutes. If it still fails, open your record again with your token: if it has been deleted, it cannot be sent',
  },
  'too-large': { field: 'note', text: 'Your note is too long to send. Make it shorter, then try again' },
  'choices-changed': { field: 'category', text: 'The list of concerns or units has changed since you started. Choose again, then try again' },
  recipients: { field: 'note', text: 'The team who will read your report changed while we were sending it. Try again in a few minutes' },
  crypto: { field: 'note', text: 'Your browser could not lock your report. Try again, or use a different, up-to-date browser' },
  unverified: {
    field: 'note',
    text: 'We could not confirm who will read your report, so we have not sent it. Your record is unchanged. Do not send it for now: '
      + 'try again tomorrow, or raise your concern another way, for example in person with a manager you trust outside your unit',
  },
};
