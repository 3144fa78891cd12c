// The reporter's optional survey comment: sealed in the browser under the case
// key, like a reporter message, but as its own record kind ("rc1/survey") so the
// server can never pass a comment off as a message or the reverse.
import { fromB64u, toB64u } from './encoding.ts';
import { adSurvey, generateId, openDoc, sealDoc } from './envelope.ts';
import type { PublicKey, SymmetricKey } from './types.ts';

export interface SealedComment {
  /** The answer's random id (16 bytes), also in the additional data. */
  id: string;
  comment: { nonce: string; ct: string };
}

/** Seals `text` (or nothing) for a new answer; the id is fresh either way. */
export function sealSurveyComment(caseKey: SymmetricKey, reporterPk: PublicKey, text: string): SealedComment {
  const id = generateId();
  const env = sealDoc(caseKey, adSurvey(reporterPk, id), { schema: 'rc1/survey', text });
  return { id: toB64u(id), comment: { nonce: env.nonce, ct: env.ct } };
}

/** The comment's text, or null if it does not open (damaged, or moved from another answer or case). */
export function openSurveyComment(caseKey: SymmetricKey, reporterPk: PublicKey, id: string, env: { nonce: string; ct: string }): string | null {
  try {
    const doc = openDoc(caseKey, adSurvey(reporterPk, fromB64u(id)), env, 'rc1/survey');
    return typeof doc.text === 'string' ? doc.text : null;
  } catch {
    return null;
  }
}
