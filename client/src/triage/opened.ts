// Opening a case in the triage browser: unwrap this officer's key wraps, then
// open the report, identity, messages and internal notes. Nothing decrypted is
// stored anywhere but this module's objects, which are wiped on leaving.
import type { AdviceDoc, IdentityDoc, ReportDoc } from '../../../shared/src/crypto/documents.ts';
import type { OpenedMessage } from '../../../shared/src/crypto/reporter.ts';
import type { OpenedEntry } from '../../../shared/src/crypto/record.ts';
import type { NoteContent } from '../../../shared/src/crypto/staff.ts';
import type { KeyPair, PublicKey, SymmetricKey } from '../../../shared/src/crypto/types.ts';
import { staffApi } from '../staff/api.ts';
import type { Crypto } from '../staff/crypto.ts';
import type { CaseDetail, Member } from '../staff/types.ts';
import { ORG_PUBLIC_KEY } from '../org-key.ts';
import { checkMembers, holdersOf, planInternalKeyWraps, recusedOf, type ChainCheck, type InternalKeyRecipients, type KeyHolder, type WrapFn } from './wraps.ts';

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
  /** Absent while the case is an advice request. */
  report?: ReportDoc;
  /** The advice question, when the case is or began as an advice request. */
  advice?: AdviceDoc;
  identity?: IdentityDoc;
  messages: OpenedMessage[];
  notes: OpenedNote[];
  /** A case that began as a private record: its entries, and whether each one's stored bytes match its sealed hash. */
  record?: (OpenedEntry & { hashMatches: boolean })[];
}

export function openStaffCase(c: Crypto, keyPair: KeyPair, detail: CaseDetail): OpenedStaffCase {
  const { rc1, staff } = c;
  const reporterPk = rc1.fromB64u(detail.reporterPk) as PublicKey;
  const caseKey = rc1.unwrapKey(keyPair, rc1.fromB64u(detail.keyWrap));
  const opened: OpenedStaffCase = {
    detail,
    reporterPk,
    caseKey,
    messages: detail.messages.map((m) => rc1.openMessage(caseKey, reporterPk, m)),
    notes: [],
  };
  if (detail.report) opened.report = rc1.openDoc(caseKey, rc1.adReport(reporterPk), detail.report, 'rc1/report');
  if (detail.advice) opened.advice = rc1.openDoc(caseKey, rc1.adAdvice(reporterPk), detail.advice, 'rc1/advice');
  if (detail.identity && detail.identityWrap) {
    opened.identityKey = rc1.unwrapKey(keyPair, rc1.fromB64u(detail.identityWrap));
    opened.identity = rc1.openDoc(opened.identityKey, rc1.adIdentity(reporterPk), detail.identity, 'rc1/identity');
  }
  if (detail.record) {
    const recordId = rc1.fromB64u(detail.record.id);
    // The record key became the case key: the entries open with it, their bytes unchanged since they were received.
    opened.record = detail.record.entries.map((e) => {
      const o = rc1.openRecordEntry(caseKey, recordId, e);
      return { ...o, hashMatches: rc1.toB64u(o.sealedHash) === e.sealedHash };
    });
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

/** Chain checks against the organisation key pinned in this build (never one the server sends). */
export const chainCheck =
  (c: Crypto): ChainCheck =>
  (r, team) =>
    c.rc1.verifyRecipient(r, team, c.rc1.fromB64u(ORG_PUBLIC_KEY));

/** The team's members, each checked up to the pinned organisation key (throws KeyChainError). */
export async function certifiedMembers(c: Crypto, teamId: string): Promise<Member[]> {
  return checkMembers(await staffApi.members(teamId), teamId, chainCheck(c));
}

export const wrapWith =
  (c: Crypto): WrapFn =>
  (publicKey, key) =>
    c.rc1.toB64u(c.rc1.wrapKey(c.rc1.fromB64u(publicKey) as PublicKey, key as SymmetricKey));

/**
 * The first triage browser to open a case makes its internalKey (for notes) and
 * wraps it to the case's current key holders (`detail.holders`, recused officers
 * never among them; the keyed members of the team from a server that does not list
 * holders) and to the organisation's recovery key, which the server requires (the
 * case detail does not name it, so it comes from the intake recipients list). If the
 * holders changed meanwhile (409 `recipients_changed`), the detail is fetched again
 * once and the wraps go to the holders it lists, or, failing that, to this officer
 * and the recovery key only (others get theirs later, on assignment). If another
 * browser won the race (409 `internal_key_exists`), the caller reloads and uses theirs.
 */
export async function createInternalKey(c: Crypto, detail: CaseDetail, self: KeyHolder): Promise<'created' | 'exists'> {
  const [members, recipients] = await Promise.all([
    certifiedMembers(c, detail.team.id),
    detail.category ? staffApi.recipients(detail.category.id, detail.unit?.id) : staffApi.adviceRecipients(),
  ]);
  const check = chainCheck(c);
  const recovery = recipients.recipients.filter((r) => r.kind === 'recovery').map((r) => {
    check(r, recipients.team.id);
    return { id: r.id, publicKey: r.publicKey };
  });
  if (recovery.length === 0) throw new Error('no recovery key');
  const internalKey = c.rc1.generateKey();
  const send = (to: InternalKeyRecipients) => staffApi.internalKey(detail.caseRef, planInternalKeyWraps(members, recovery, internalKey, wrapWith(c), { self, ...to }));
  const code = (err: unknown) => (err as { code?: string }).code;
  try {
    try {
      await send({ holders: holdersOf(detail), recused: recusedOf(detail) });
    } catch (err) {
      if (code(err) !== 'recipients_changed') throw err;
      const fresh = await staffApi.case(detail.caseRef);
      if (fresh.internalKeyWrap) return 'exists';
      // Without a holders list, the smallest set the server always accepts: this officer and the recovery key.
      await send({ holders: holdersOf(fresh) ?? [self.id], recused: recusedOf(fresh) });
    }
    return 'created';
  } catch (err) {
    if (code(err) === 'internal_key_exists') return 'exists';
    throw err;
  } finally {
    internalKey.fill(0);
  }
}
