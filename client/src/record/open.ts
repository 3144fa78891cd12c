// Opening a record from the token's text: parse (typing mistakes caught before any request),
// derive, fetch, unwrap. Shared by the token form and the new-record page.
import type { CaseToken } from '../../../shared/src/crypto/types.ts';
import { recordApi, ApiError } from '../api.ts';
import { loadCrypto } from '../crypto.ts';
import { openEntries } from '../attachments/read.ts';
import type { RecordView } from '../../../shared/src/api/record.ts';
import type { RecordSession } from '../../../shared/src/crypto/record.ts';
import { recordStore, type OpenRecord, type RecordTokenProblem } from './session.ts';

/** Opens the record view: the key, the entries and the files' metas (under the record key and the token's reporter key). */
function opened(c: Awaited<ReturnType<typeof loadCrypto>>, session: RecordSession, view: RecordView): OpenRecord {
  const o = c.openRecordView(session, view);
  const kp = c.deriveReporterKeyPair(session.token);
  kp.secretKey.fill(0); // only the public half names the files; the case page derives the rest
  const reporterPk = kp.publicKey;
  return { session, view, opened: o, reporterPk, files: openEntries(c, o.recordKey, reporterPk, view.attachments) };
}

export async function openRecordFromText(text: string): Promise<RecordTokenProblem | null> {
  if (!text.trim()) return 'empty';
  let c;
  try {
    c = await loadCrypto();
  } catch {
    return 'network';
  }
  const parsed = c.parseAnyToken(text);
  if (!parsed.ok) return parsed.reason;
  if (parsed.kind !== 'record') return 'case-token';
  return openRecordWith(parsed.token);
}

export async function openRecordWith(token: CaseToken): Promise<RecordTokenProblem | null> {
  const c = await loadCrypto();
  const session = c.recordSession(token);
  let view;
  try {
    view = await recordApi.get(session.authorization);
  } catch (e) {
    if (!(e instanceof ApiError)) return 'server';
    if (e.status === 404) return 'not-found';
    if (e.status === 0) return 'network';
    return 'server';
  }
  try {
    recordStore.set(opened(c, session, view));
    return null;
  } catch {
    return 'crypto';
  }
}

/** Fetches the open record again (after adding an entry). */
export async function refreshRecord(): Promise<void> {
  const r = recordStore.get();
  if (!r) return;
  const c = await loadCrypto();
  const view = await recordApi.get(r.session.authorization);
  recordStore.set(opened(c, r.session, view));
}
