// A recipient's side (triage officer or the offline recovery key): unwrap the
// case key with their own key pair and open what the reporter sealed.
import type { IdentityDoc, ReportDoc } from './documents.ts';
import { fromB64u } from './encoding.ts';
import { adIdentity, adReport, openDoc } from './envelope.ts';
import { unwrapKey } from './keys.ts';
import { openMessage, type OpenedMessage } from './reporter.ts';
import type { Envelope, KeyPair, PublicKey } from './types.ts';

export interface SealedCase {
  reporterPk: string;
  report: Envelope;
  keyWrap: string;
  identity?: Envelope;
  identityWrap?: string;
  messages: { id: string; from: 'reporter' | 'triage'; on: string; nonce: string; ct: string }[];
}

export interface RecipientView {
  report: ReportDoc;
  identity?: IdentityDoc;
  messages: OpenedMessage[];
}

export function openAsRecipient(keyPair: KeyPair, sealed: SealedCase): RecipientView {
  const pk = fromB64u(sealed.reporterPk) as PublicKey;
  const caseKey = unwrapKey(keyPair, fromB64u(sealed.keyWrap));
  const view: RecipientView = {
    report: openDoc(caseKey, adReport(pk), sealed.report, 'rc1/report'),
    messages: sealed.messages.map((m) => openMessage(caseKey, pk, m)),
  };
  if (sealed.identity && sealed.identityWrap) {
    const identityKey = unwrapKey(keyPair, fromB64u(sealed.identityWrap));
    view.identity = openDoc(identityKey, adIdentity(pk), sealed.identity, 'rc1/identity');
  }
  return view;
}
