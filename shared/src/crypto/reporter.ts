// The reporter's side of rc1: seal a new report for the routed team's
// recipients, then later re-derive everything from the token alone.
import type { CaseView, ConvertAdvice, PostMessage, RecipientInfo, RecipientsInfo, SubmitAdvice, SubmitReport } from '../api/schemas.ts';
import { verifyRecipients } from './certs.ts';
import type { ReportMode } from '../api/domain.ts';
import { accessHashOf, deriveAccessKey, deriveReporterKeyPair } from './derive.ts';
import type { AdviceDoc, IdentityDoc, MessageDoc, ReportDoc, Sender } from './documents.ts';
import { fromB64u, toB64u } from './encoding.ts';
import { adAdvice, adIdentity, adMessage, adReport, generateId, generateKey, openDoc, sealDoc } from './envelope.ts';
import { unwrapKey, wrapKey } from './keys.ts';
import { generateToken } from './token.ts';
import type { AccessKey, CaseToken, KeyPair, PublicKey, SymmetricKey } from './types.ts';

export interface Draft {
  mode: ReportMode;
  category: string;
  unit?: string;
  avoidOwnUnit?: boolean;
  report: Omit<ReportDoc, 'schema'>;
  identity?: Omit<IdentityDoc, 'schema'>;
}

export interface SealedSubmission {
  token: CaseToken;
  body: SubmitReport;
}

/**
 * Seals a draft for the given recipients. The token is made here unless a
 * retry passes the one already shown, so a resend after a network failure
 * never strands the reporter with two tokens.
 */
export function sealSubmission(
  draft: Draft,
  recipients: Pick<RecipientInfo, 'id' | 'publicKey' | 'seesIdentity'>[],
  token: CaseToken = generateToken(),
  /**
   * Given when a private record becomes a report (record.ts: its key becomes the case key), or when
   * files were already sealed under it (attachments: a reseal must keep the same case key).
   */
  caseKey: SymmetricKey = generateKey(),
): SealedSubmission {
  if ((draft.mode === 'named') !== (draft.identity !== undefined)) {
    throw new TypeError('a named report needs identity details and an anonymous one must have none');
  }
  const reporter = deriveReporterKeyPair(token);
  const body: SubmitReport = {
    v: 2,
    mode: draft.mode,
    category: draft.category,
    reporterPk: toB64u(reporter.publicKey),
    accessHash: toB64u(accessHashOf(deriveAccessKey(token))),
    report: sealDoc(caseKey, adReport(reporter.publicKey), { schema: 'rc1/report', ...draft.report }),
    keys: recipients.map((r) => ({ recipient: r.id, sealed: toB64u(wrapKey(fromB64u(r.publicKey) as PublicKey, caseKey)) })),
    reporterKey: toB64u(wrapKey(reporter.publicKey, caseKey)),
  };
  if (draft.unit !== undefined) body.unit = draft.unit;
  if (draft.avoidOwnUnit !== undefined) body.avoidOwnUnit = draft.avoidOwnUnit;
  if (draft.identity) Object.assign(body, sealIdentity(draft.identity, reporter.publicKey, recipients));
  return { token, body };
}

type SealedIdentity = Required<Pick<SubmitReport, 'identity' | 'identityKeys' | 'reporterIdentityKey'>>;

/**
 * A named reporter's identity under a fresh identityKey, wrapped only to the recipients who may see
 * identity (the recovery key among them) and to the reporter: for a report, and for advice turned into one.
 */
function sealIdentity(
  identity: Omit<IdentityDoc, 'schema'>,
  reporterPk: PublicKey,
  recipients: Pick<RecipientInfo, 'id' | 'publicKey' | 'seesIdentity'>[],
): SealedIdentity {
  const identityKey = generateKey();
  return {
    identity: sealDoc(identityKey, adIdentity(reporterPk), { schema: 'rc1/identity', ...identity }),
    identityKeys: recipients
      .filter((r) => r.seesIdentity)
      .map((r) => ({ recipient: r.id, sealed: toB64u(wrapKey(fromB64u(r.publicKey) as PublicKey, identityKey)) })),
    reporterIdentityKey: toB64u(wrapKey(reporterPk, identityKey)),
  };
}

/**
 * What a browser calls: every recipient's certificate chain is checked up to the pinned
 * organisation key (`orgKey`) for the routed team before anything is wrapped. Throws
 * KeyChainError, having sealed nothing, when any link fails.
 */
export function sealVerified(draft: Draft, info: RecipientsInfo, orgKey: Uint8Array, token?: CaseToken, caseKey?: SymmetricKey): SealedSubmission {
  verifyRecipients(info.recipients, info.team.id, orgKey);
  return sealSubmission(draft, info.recipients, token, caseKey);
}

export interface ReporterSession {
  token: CaseToken;
  accessKey: AccessKey;
  keyPair: KeyPair;
  /** Value of the Authorization header for reporter requests. */
  authorization: string;
}

export function reporterSession(token: CaseToken): ReporterSession {
  const accessKey = deriveAccessKey(token);
  return { token, accessKey, keyPair: deriveReporterKeyPair(token), authorization: `Case ${toB64u(accessKey)}` };
}

export interface OpenedMessage {
  id: string;
  from: Sender;
  on: string;
  /** null when the envelope failed to open or named a different sender than the server's label. */
  text: string | null;
}

export interface OpenedCase {
  caseKey: SymmetricKey;
  /** Absent while the case is an advice request. */
  report?: ReportDoc;
  /** The advice question, when the case began as one. */
  advice?: AdviceDoc;
  identity?: IdentityDoc;
  messages: OpenedMessage[];
}

/** Opens a message and checks that the sealed sender matches the server's label. */
export function openMessage(caseKey: SymmetricKey, reporterPk: PublicKey, m: { id: string; from: Sender; on: string; nonce: string; ct: string }): OpenedMessage {
  try {
    const doc: MessageDoc = openDoc(caseKey, adMessage(reporterPk, fromB64u(m.id)), m, 'rc1/message');
    if (doc.from !== m.from || typeof doc.text !== 'string') return { id: m.id, from: m.from, on: m.on, text: null };
    return { id: m.id, from: m.from, on: m.on, text: doc.text };
  } catch {
    return { id: m.id, from: m.from, on: m.on, text: null };
  }
}

export function openCaseView(session: ReporterSession, view: CaseView): OpenedCase {
  const pk = session.keyPair.publicKey;
  const caseKey = unwrapKey(session.keyPair, fromB64u(view.reporterKey));
  const opened: OpenedCase = {
    caseKey,
    messages: view.messages.map((m) => openMessage(caseKey, pk, m)),
  };
  if (view.report) opened.report = openDoc(caseKey, adReport(pk), view.report, 'rc1/report');
  if (view.advice) opened.advice = openDoc(caseKey, adAdvice(pk), view.advice, 'rc1/advice');
  if (view.identity && view.reporterIdentityKey) {
    const identityKey = unwrapKey(session.keyPair, fromB64u(view.reporterIdentityKey));
    opened.identity = openDoc(identityKey, adIdentity(pk), view.identity, 'rc1/identity');
  }
  return opened;
}

export function sealMessage(caseKey: SymmetricKey, reporterPk: PublicKey, from: Sender, text: string): PostMessage {
  const id = generateId();
  const env = sealDoc(caseKey, adMessage(reporterPk, id), { schema: 'rc1/message', from, text });
  return { id: toB64u(id), ...env };
}

export interface SealedAdvice {
  token: CaseToken;
  body: SubmitAdvice;
}

/**
 * Seals an advice question exactly as a report is sealed (a new token, reporter key pair and case
 * key; the question under the case key; the case key wrapped to every recipient and to the
 * reporter), after checking every recipient's chain up to the pinned organisation key.
 * `command`: the command whose PSU is asked; absent for the central team.
 */
export function sealAdvice(
  question: Omit<AdviceDoc, 'schema'>,
  command: string | undefined,
  info: RecipientsInfo,
  orgKey: Uint8Array,
  token: CaseToken = generateToken(),
): SealedAdvice {
  verifyRecipients(info.recipients, info.team.id, orgKey);
  const reporter = deriveReporterKeyPair(token);
  const caseKey = generateKey();
  const body: SubmitAdvice = {
    v: 2,
    reporterPk: toB64u(reporter.publicKey),
    accessHash: toB64u(accessHashOf(deriveAccessKey(token))),
    question: sealDoc(caseKey, adAdvice(reporter.publicKey), { schema: 'rc1/advice', ...question }),
    keys: info.recipients.map((r) => ({ recipient: r.id, sealed: toB64u(wrapKey(fromB64u(r.publicKey) as PublicKey, caseKey)) })),
    reporterKey: toB64u(wrapKey(reporter.publicKey, caseKey)),
  };
  if (command !== undefined) body.command = command;
  return { token, body };
}

/**
 * Turning advice into a report: the report sealed under the case key the reporter already holds.
 * Named: the identity sealed as for a named report, to the recipients of the team the case is with
 * (GET /case/recipients), every chain checked up to the pinned organisation key first.
 */
export function sealConversion(
  caseKey: SymmetricKey,
  reporterPk: PublicKey,
  draft: { category: string; unit?: string; report: Omit<ReportDoc, 'schema'> },
  named?: { identity: Omit<IdentityDoc, 'schema'>; info: RecipientsInfo; orgKey: Uint8Array },
): ConvertAdvice {
  if (named) verifyRecipients(named.info.recipients, named.info.team.id, named.orgKey);
  const body: ConvertAdvice = {
    v: 2,
    category: draft.category,
    report: sealDoc(caseKey, adReport(reporterPk), { schema: 'rc1/report', ...draft.report }),
  };
  if (draft.unit !== undefined) body.unit = draft.unit;
  if (named) {
    body.mode = 'named';
    Object.assign(body, sealIdentity(named.identity, reporterPk, named.info.recipients));
  }
  return body;
}
