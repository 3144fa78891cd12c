// Checking a referral in the receiving browser: the server cannot tell a good
// wrap from junk, so before a case moves to this team, this browser proves that
// its own wraps open the case (docs/THREAT-MODEL.md "Insiders"). The answer is a
// reason code only; nothing opened here is kept (the page opens the case again
// once the referral is confirmed).
import type { ReferralRejectReason } from '../../../shared/src/api/staff.ts';
import type { KeyPair, PublicKey } from '../../../shared/src/crypto/types.ts';
import type { Crypto } from '../staff/crypto.ts';
import type { CaseDetail } from '../staff/types.ts';

/** What this browser could not open in a referred case, or null if everything it was given opens. */
export function referralProblem(c: Crypto, keyPair: KeyPair, d: CaseDetail): ReferralRejectReason | null {
  const { rc1 } = c;
  const attempt = (f: () => unknown): boolean => {
    try {
      f();
      return true;
    } catch {
      return false;
    }
  };
  let reporterPk: PublicKey;
  try {
    reporterPk = rc1.fromB64u(d.reporterPk) as PublicKey;
  } catch {
    return 'report';
  }
  let caseKey: ReturnType<typeof rc1.unwrapKey> | undefined;
  if (!attempt(() => (caseKey = rc1.unwrapKey(keyPair, rc1.fromB64u(d.keyWrap)))) || !caseKey) return 'case_key';
  const key = caseKey;
  const report = d.report;
  if (report && !attempt(() => rc1.openDoc(key, rc1.adReport(reporterPk), report, 'rc1/report'))) return 'report';
  const advice = d.advice;
  if (advice && !attempt(() => rc1.openDoc(key, rc1.adAdvice(reporterPk), advice, 'rc1/advice'))) return 'report';
  if (d.identity && d.identityWrap) {
    const identity = d.identity;
    let identityKey: ReturnType<typeof rc1.unwrapKey> | undefined;
    if (!attempt(() => (identityKey = rc1.unwrapKey(keyPair, rc1.fromB64u(d.identityWrap!)))) || !identityKey) return 'identity_key';
    const ik = identityKey;
    if (!attempt(() => rc1.openDoc(ik, rc1.adIdentity(reporterPk), identity, 'rc1/identity'))) return 'identity';
  }
  if (d.internalKeyWrap && !attempt(() => rc1.unwrapKey(keyPair, rc1.fromB64u(d.internalKeyWrap!)))) return 'internal_key';
  return null;
}

/** The reason in words for the person whose browser found it (never sent anywhere). */
export const REASON_WORDS: Record<ReferralRejectReason, string> = {
  case_key: 'the key to the case',
  report: 'the report',
  identity_key: 'the key to the reporter’s identity',
  identity: 'the reporter’s identity',
  internal_key: 'the key to the internal notes',
};
