// The open record lives only in this module's memory: never in storage, a cookie or a URL.
// Each visit starts with the token typed (or pasted) again.
import type { RecordView } from '../../../shared/src/api/record.ts';
import type { OpenedRecord, RecordSession } from '../../../shared/src/crypto/record.ts';
import type { PublicKey } from '../../../shared/src/crypto/types.ts';
import type { FileEntry } from '../attachments/read.ts';
import { onForget } from '../memory.ts';
import { createStore } from '../store.ts';

export interface OpenRecord {
  session: RecordSession;
  view: RecordView;
  opened: OpenedRecord;
  /** The reporter key the record token will have as a case token: files' metas are sealed naming it. */
  reporterPk: PublicKey;
  /** The files the entries took, metas opened with the record key. */
  files: FileEntry[];
}

export const recordStore = createStore<OpenRecord | null>(null);

/** A record just made: its token is shown once, then only the holder has it. */
export const newTokenStore = createStore<string | null>(null);

/** After the record became a report: what the last page shows. */
export const reportedStore = createStore<{ caseRef: string; receivedOn: string } | null>(null);

export function closeRecord(): void {
  const r = recordStore.get();
  // Overwrite the key bytes we hold; the engine may keep copies, but we keep none on purpose.
  if (r) {
    r.session.token.fill(0);
    r.session.accessKey.fill(0);
    r.session.wrapKey.fill(0);
    r.opened.recordKey.fill(0);
  }
  recordStore.set(null);
  newTokenStore.set(null);
}

onForget(() => {
  closeRecord();
  reportedStore.set(null);
});

export type RecordTokenProblem = 'empty' | 'length' | 'characters' | 'check' | 'case-token' | 'not-found' | 'network' | 'server' | 'crypto';

export const RECORD_TOKEN_WORDS: Record<RecordTokenProblem, string> = {
  empty: 'Enter your record token',
  length: 'Your record token must be REC followed by 25 letters and numbers',
  characters: 'Your record token must only include letters, numbers and hyphens',
  check: 'Check your record token for a typing mistake',
  'case-token': 'This is a case token, not a record token. Use it on the check your case page',
  'not-found': 'We could not find a record with that token. If you turned it into a report, use it on the check your case page',
  network: 'We could not connect to the service. Check your internet connection and try again',
  server: 'Something went wrong on our side. Try again in a few minutes',
  crypto: 'Your browser could not unlock your record. Try again, or use a different, up-to-date browser',
};
