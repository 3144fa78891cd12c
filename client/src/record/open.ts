// Opening a record from the token's text: parse (typing mistakes caught before any request),
// derive, fetch, unwrap. Shared by the token form and the new-record page.
import type { CaseToken } from '../../../shared/src/crypto/types.ts';
import { recordApi, ApiError } from '../api.ts';
import { loadCrypto } from '../crypto.ts';
import { recordStore, type RecordTokenProblem } from './session.ts';

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
    recordStore.set({ session, view, opened: c.openRecordView(session, view) });
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
  recordStore.set({ session: r.session, view, opened: c.openRecordView(r.session, view) });
}
