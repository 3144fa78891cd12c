// Opening a case in the triage browser: unwrap this officer's key wraps, then
// open the report, identity, messages and internal notes. Nothing decrypted is
// stored anywhere but this module's objects, which are wiped on leaving.
import type { IdentityDoc, ReportDoc } from '../../../shared/src/crypto/documents.ts';
import type { OpenedMessage } from '../../../shared/src/crypto/reporter.ts';
import type { NoteContent } from '../../../shared/src/crypto/staff.ts';
import type { KeyPair, PublicKey, SymmetricKey } from '../../../shared/src/crypto/types.ts';
import { staffApi } from '../staff/api.ts';
import type { Crypto } from '../staff/crypto.ts';
import type { CaseDetail } from '../staff/types.ts';
import { planInternalKeyWraps, type WrapFn } from './wraps.ts';

export interface OpenedNote {
  id: string;
  on: string;
  author: string;
  /** null when the note could not be opened (no internal key, or altered). */
  content: NoteContent | null;
}

export interface OpenedStaffCase {
  detail: CaseDetail;
  reporterPk: PublicKey;
  caseKey: SymmetricKey;
  identityKey?: SymmetricKey;
  internalKey?: SymmetricKey;
  report: ReportDoc;
  identity?: IdentityDoc;
  messages: OpenedMessage[];
  notes: OpenedNote[];
}

export function openStaffCase(c: Crypto, keyPair: KeyPair, detail: CaseDetail): OpenedStaffCase {
  const { rc1, staff } = c;
  const reporterPk = rc1.fromB64u(detail.reporterPk) as PublicKey;
  const caseKey = rc1.unwrapKey(keyPair, rc1.fromB64u(detail.keyWrap));
  const opened: OpenedStaffCase = {
    detail,
    reporterPk,
    caseKey,
    report: rc1.openDoc(caseKey, rc1.adReport(reporterPk), detail.report, 'rc1/report'),
    messages: detail.messages.map((m) => rc1.openMessage(caseKey, reporterPk, m)),
    notes: [],
  };
  if (detail.identity && detail.identityWrap) {
    opened.identityKey = rc1.unwrapKey(keyPair, rc1.fromB64u(detail.identityWrap));
    opened.identity = rc1.openDoc(opened.identityKey, rc1.adIdentity(reporterPk), detail.identity, 'rc1/identity');
  }
  if (detail.internalKeyWrap) opened.internalKey = rc1.unwrapKey(keyPair, rc1.fromB64u(detail.internalKeyWrap));
  const internalKey = opened.internalKey;
  opened.notes = detail.notes.map((n) => {
    let content: NoteContent | null = null;
    if (internalKey) {
      try {
        content = staff.openNote(internalKey, reporterPk, n);
      } catch {
        content = null;
      }
    }
    return { id: n.id, on: n.on, author: n.author.displayName, content };
  });
  return opened;
}

/** Overwrites the key bytes we hold. The JS engine may keep copies; we keep none on purpose. */
export function wipe(o: OpenedStaffCase | null): void {
  if (!o) return;
  o.caseKey.fill(0);
  o.identityKey?.fill(0);
  o.internalKey?.fill(0);
}

export const wrapWith =
  (c: Crypto): WrapFn =>
  (publicKey, key) =>
    c.rc1.toB64u(c.rc1.wrapKey(c.rc1.fromB64u(publicKey) as PublicKey, key as SymmetricKey));

/**
 * The first triage browser to open a case makes its internalKey (for notes) and
 * wraps it to the team's staff and the recovery key. If another browser won the
 * race (409), the caller reloads and uses theirs.
 */
export async function createInternalKey(c: Crypto, detail: CaseDetail): Promise<'created' | 'exists'> {
  const [members, recipients] = await Promise.all([
    staffApi.members(detail.team.id),
    staffApi.recipients(detail.category.id, detail.unit?.id),
  ]);
  const recovery = recipients.recipients.filter((r) => r.kind === 'recovery').map((r) => ({ id: r.id, publicKey: r.publicKey }));
  if (recovery.length === 0) throw new Error('no recovery key');
  const internalKey = c.rc1.generateKey();
  try {
    await staffApi.internalKey(detail.caseRef, planInternalKeyWraps(members, recovery, internalKey, wrapWith(c)));
    return 'created';
  } catch (err) {
    if ((err as { code?: string }).code === 'internal_key_exists') return 'exists';
    throw err;
  } finally {
    internalKey.fill(0);
  }
}
