// Regenerates docs/rc2-vectors.json: `npx tsx shared/test/make-rc2-vectors.ts`.
// Fixed keys and nonces make the file reproducible; rc2-vectors.test.ts checks
// that the code still produces exactly these bytes, and interop.py checks them
// with PyNaCl. Covers what rc2 adds: the envelope header and the PoW stamp.
import { writeFileSync } from 'node:fs';
import { sodium } from '../src/crypto/sodium.ts';
import {
  adIdentity, adMessage, adNote, adAdvice, adReport, adSurvey, deriveReporterKeyPair, leadingZeroBits, powHash, ready, sealDoc, solve, toB64u,
  type CaseToken, type Rc1Doc, type SymmetricKey,
} from '../src/crypto/index.ts';

await ready();
const bytes = (label: string, n: number): Uint8Array => sodium().crypto_generichash(n, new TextEncoder().encode(label), null);

const token = bytes('rc2 vector token', 16).slice(0, 15) as CaseToken;
const reporterPk = deriveReporterKeyPair(token).publicKey;
const caseKey = bytes('rc2 vector caseKey', 32) as SymmetricKey;
const recordId = bytes('rc2 vector record id', 16);

const cases: { kind: string; ad: Uint8Array; doc: Rc1Doc }[] = [
  { kind: 'report', ad: adReport(reporterPk), doc: { schema: 'rc1/report', narrative: 'An rc2 report: the inspector keeps my leave requests unsigned.' } },
  { kind: 'identity', ad: adIdentity(reporterPk), doc: { schema: 'rc1/identity', name: 'Test Person', contact: 'personal phone' } },
  { kind: 'message', ad: adMessage(reporterPk, recordId), doc: { schema: 'rc1/message', from: 'reporter', text: 'A follow-up, ' + 'y'.repeat(1200) } },
  { kind: 'note', ad: adNote(reporterPk, recordId), doc: { schema: 'rc1/note', text: 'Internal note' } },
  // The survey comment (issue 14): its own record kind, so it can never pass as a message.
  { kind: 'survey', ad: adSurvey(reporterPk, recordId), doc: { schema: 'rc1/survey', text: 'Nobody called me back for a month.' } },
  // Issue #14: a question asked before any report, under the case key (appended, so the others keep their nonces).
  { kind: 'advice', ad: adAdvice(reporterPk), doc: { schema: 'rc1/advice', question: 'Is this serious enough to report?', teamLabel: 'North West BCU Professional Standards Unit' } },
];

const envelopes = cases.map(({ kind, ad, doc }, i) => {
  const env = sealDoc(caseKey, ad, doc, { nonce: bytes(`rc2 vector nonce ${i}`, 24) });
  return { kind, key: toB64u(caseKey), recordAd: toB64u(ad), plaintext: doc, ...env };
});

const pow = [4, 8, 12, 16].map((difficulty) => {
  const challenge = bytes(`rc2 pow challenge ${difficulty}`, 38);
  const found = solve(challenge, difficulty, { start: new Uint8Array(8) });
  if (!found) throw new Error('unsolved');
  const hash = powHash(challenge, found.nonce);
  return { challenge: toB64u(challenge), difficulty, nonce: toB64u(found.nonce), hash: toB64u(hash), leadingZeroBits: leadingZeroBits(hash), valid: true };
});
// The nonce before the first solution fails: a checker that accepts it is wrong.
const first = pow[3]!;
const counter = Buffer.from(first.nonce, 'base64url');
const before = new Uint8Array(counter);
for (let i = 0; i < 8; i++) {
  before[i] = ((before[i] as number) - 1) & 0xff;
  if (before[i] !== 0xff) break;
}
const beforeHash = powHash(Buffer.from(first.challenge, 'base64url'), before);
pow.push({ challenge: first.challenge, difficulty: 16, nonce: toB64u(before), hash: toB64u(beforeHash), leadingZeroBits: leadingZeroBits(beforeHash), valid: false });

const out = new URL('../../docs/rc2-vectors.json', import.meta.url);
const doc = {
  protocol: 'rc2',
  note: 'fixed keys and nonces only for reproducibility; see docs/PROTOCOL.md',
  tokenBytes: toB64u(token),
  reporterPk: toB64u(reporterPk),
  recordId: toB64u(recordId),
  envelopes,
  pow,
};
writeFileSync(out, JSON.stringify(doc, null, 1) + '\n');
console.log(`wrote ${envelopes.length} envelopes and ${pow.length} stamps to ${out.pathname}`);
