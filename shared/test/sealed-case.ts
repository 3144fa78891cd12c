// A case sealed with the real rc1 crypto (libsodium), shaped as the server
// hands it out: the reporter's CaseView and an officer's StaffCaseView. The
// server only stores and returns these sealed fields, so client tests can open
// exactly what a browser would receive without starting one. Tests then alter
// the wire data (a flipped byte, a record from another case) to check that
// opening refuses it.
import type { CaseView, RecipientInfo } from '../src/api/schemas.ts';
import type { StaffCaseView } from '../src/api/staff.ts';
import {
  DEMO_ORG_LABEL, demoSigningKeyPair, fromB64u, generateKey, generateKeyPair, reporterSession, sealMessage, sealSubmission, signCert, signerIdOf, signingKeyPairFromSeed,
  toB64u, unwrapKey, wrapKey, type Draft, type KeyPair, type ReporterSession, type SymmetricKey,
} from '../src/crypto/index.ts';
import type { Sender } from '../src/crypto/documents.ts';
import { readyStaff, sealNote, type NoteContent } from '../src/crypto/staff.ts';

/** Call once (beforeAll) before building cases: both libsodium builds must be loaded. */
export const readyCrypto = (): Promise<void> => readyStaff();

export const DAY = '2026-01-15';

/** Two officers of the routed team (only `lead` may see identity) and the organisation's recovery key. */
export interface Holders {
  lead: KeyPair;
  officer: KeyPair;
  recovery: KeyPair;
}
export type HolderId = 'lead' | 'officer';

export function newHolders(): Holders {
  return { lead: generateKeyPair(), officer: generateKeyPair(), recovery: generateKeyPair() };
}

/** The DEMO ONLY organisation key, which the client build pins by default, and a lead signing key it certified, for team `t`. */
export const testOrg = () => demoSigningKeyPair(DEMO_ORG_LABEL);
const testLead = () => signingKeyPairFromSeed(new Uint8Array(32).fill(12));
export const TEST_TEAM = 't';

/** The holders as a certified recipients list: each staff key signed by a lead of TEST_TEAM, the recovery key by the organisation. */
/** A staff recipient of `team` with the id `id`, certified by a lead the (demo) organisation certified. */
export function certifiedRecipient(id: string, publicKey: Uint8Array, seesIdentity: boolean, team = TEST_TEAM): RecipientInfo {
  const org = testOrg();
  const lead = testLead();
  const base = { team, issued: DAY, replaces: null };
  const leadCert = signCert({ ...base, kind: 'lead', subject: signerIdOf(lead.publicKey), key: lead.publicKey, seesIdentity: false, signer: org.publicKey }, org);
  return {
    id, publicKey: toB64u(publicKey), kind: 'staff', seesIdentity,
    chain: [signCert({ ...base, kind: 'member', subject: id, key: publicKey, seesIdentity, signer: lead.publicKey }, lead), leadCert],
  };
}

/** The recovery key as a recipient, certified by the (demo) organisation. */
export function certifiedRecovery(id: string, publicKey: Uint8Array): RecipientInfo {
  const org = testOrg();
  return {
    id, publicKey: toB64u(publicKey), kind: 'recovery', seesIdentity: true,
    chain: [signCert({ team: '', issued: DAY, replaces: null, kind: 'recovery', subject: id, key: publicKey, seesIdentity: true, signer: org.publicKey }, org)],
  };
}

export function recipientsOf(h: Holders): RecipientInfo[] {
  return [
    certifiedRecipient('lead', h.lead.publicKey, true),
    certifiedRecipient('officer', h.officer.publicKey, false),
    certifiedRecovery('recovery-1', h.recovery.publicKey),
  ];
}

type WireMessage = CaseView['messages'][number];
type WireNote = StaffCaseView['notes'][number];

export interface SealedCase {
  caseRef: string;
  holders: Holders;
  draft: Draft;
  session: ReporterSession;
  caseKey: SymmetricKey;
  /** Wire fields of the submission the server stored. */
  submitted: ReturnType<typeof sealSubmission>['body'];
  messages: WireMessage[];
  notes: WireNote[];
  /** The internalKey (for notes) and its wraps, once `addNote` made one. */
  internal?: { key: SymmetricKey; wraps: Record<HolderId, string> };
  /** Seals a message with the case key, as the reporter's or triage's browser does. */
  addMessage(from: Sender, text: string, on?: string): WireMessage;
  /** Seals an internal note with the case's internalKey (made on first use and wrapped to both officers). */
  addNote(content: NoteContent, on?: string): WireNote;
  /** What GET /api/v1/case returns to the reporter. */
  reporterView(): CaseView;
  /** What GET /api/v1/staff/cases/:ref returns to `who`. */
  staffView(who: HolderId): StaffCaseView;
}

export function sealCase(caseRef: string, draft: Draft, holders: Holders = newHolders()): SealedCase {
  const { token, body } = sealSubmission(draft, recipientsOf(holders));
  const session = reporterSession(token);
  // The reporter's own wrap gives the case key, as it does in the browser.
  const caseKey = unwrapKey(session.keyPair, fromB64u(body.reporterKey));
  const c: SealedCase = {
    caseRef,
    holders,
    draft,
    session,
    caseKey,
    submitted: body,
    messages: [],
    notes: [],
    addMessage(from, text, on = DAY) {
      const m = { ...sealMessage(caseKey, session.keyPair.publicKey, from, text), from, on };
      c.messages.push(m);
      return m;
    },
    addNote(content, on = DAY) {
      if (!c.internal) {
        const key = generateKey();
        c.internal = {
          key,
          wraps: { lead: toB64u(wrapKey(holders.lead.publicKey, key)), officer: toB64u(wrapKey(holders.officer.publicKey, key)) },
        };
      }
      const n = { ...sealNote(c.internal.key, session.keyPair.publicKey, content), on, author: { id: 'lead', displayName: 'Demo Lead' } };
      c.notes.push(n);
      return n;
    },
    reporterView() {
      const v: CaseView = {
        caseRef,
        kind: 'report',
        status: 'received',
        survey: [],
        history: [{ status: 'received', on: DAY }],
        reporterKey: body.reporterKey,
        welfare: { requested: false, supportOffered: false },
        report: body.report,
        messages: c.messages.map((m) => ({ ...m })),
        attachments: [],
        due: { acknowledge: '2026-01-22', feedback: '2026-04-15' },
      };
      if (body.identity && body.reporterIdentityKey) {
        v.identity = body.identity;
        v.reporterIdentityKey = body.reporterIdentityKey;
      }
      return v;
    },
    staffView(who) {
      const wrapOf = (list: { recipient: string; sealed: string }[] | undefined) => list?.find((w) => w.recipient === who)?.sealed;
      const keyWrap = wrapOf(body.keys);
      if (!keyWrap) throw new Error(`no case-key wrap for ${who}`);
      const v: StaffCaseView = {
        caseRef,
        kind: 'report',
        status: 'received',
        history: [{ status: 'received', on: DAY }],
        mode: draft.mode,
        welfare: { requestedOn: null, offeredOn: null },
        category: { id: draft.category, label: draft.report.categoryLabel ?? draft.category },
        unit: null,
        team: { id: 'team', label: 'Team' },
        receivedOn: DAY,
        due: { acknowledge: '2026-01-22', feedback: '2026-04-15' },
        assignedTo: null,
        reporterPk: body.reporterPk,
        report: body.report,
        keyWrap,
        messages: c.messages.map((m) => ({ ...m, read: false })),
        notes: c.notes.map((n) => ({ ...n })),
        attachments: [],
        conflict: 'none',
        holders: ['lead', 'officer'],
        recused: [],
      };
      // As the server does: the identity goes only to a holder with an identity wrap.
      const identityWrap = wrapOf(body.identityKeys);
      if (body.identity && identityWrap) {
        v.identity = body.identity;
        v.identityWrap = identityWrap;
      }
      if (c.internal) v.internalKeyWrap = c.internal.wraps[who];
      return v;
    },
  };
  return c;
}

/** The same base64url value with one bit of its last byte flipped (an altered ciphertext or tag). */
export function flipLastByte(b64u: string): string {
  const bytes = fromB64u(b64u);
  bytes[bytes.length - 1]! ^= 1;
  return toB64u(bytes);
}
