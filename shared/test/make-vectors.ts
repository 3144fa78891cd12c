// Regenerates project-vectors.json: `npx tsx shared/test/make-vectors.ts`.
// Fixed seeds make the file reproducible; vectors.test.ts checks that the code
// still produces exactly these bytes, and interop.py checks them with PyNaCl.
import { writeFileSync } from 'node:fs';
import { sodium } from '../src/crypto/sodium.ts';
import {
  accessHashOf, adIdentity, adMessage, adReport, deriveAccessKey, deriveReporterKeyPair, formatToken, ready, sealDoc,
  toB64u, wrapKey, type CaseToken, type PublicKey, type SymmetricKey,
} from '../src/crypto/index.ts';

await ready();
const bytes = (label: string, n: number): Uint8Array => sodium().crypto_generichash(n, new TextEncoder().encode(label), null);

const narratives = [
  'Sergeant on my team keeps commenting on my body in the group chat.',
  'Wörds with accents, emoji 👮 and quotes "like this" — and a long tail: ' + 'x'.repeat(1500),
  '',
];

const vectors = narratives.map((narrative, i) => {
  const token = bytes(`rc1 project vector ${i} token`, 16).slice(0, 15) as CaseToken;
  const reporter = deriveReporterKeyPair(token);
  const accessKey = deriveAccessKey(token);
  const caseKey = bytes(`rc1 project vector ${i} caseKey`, 32) as SymmetricKey;
  const identityKey = bytes(`rc1 project vector ${i} identityKey`, 32) as SymmetricKey;
  const recipientSeed = bytes(`rc1 project vector ${i} recipient`, 32);
  const recipient = sodium().crypto_box_seed_keypair(recipientSeed);
  const messageId = bytes(`rc1 project vector ${i} messageId`, 16);
  const report = { schema: 'rc1/report' as const, narrative, when: 'Last Tuesday', people: 'PS 1234' };
  const identity = { schema: 'rc1/identity' as const, name: `Test Person ${i}`, contact: 'personal phone' };
  const message = { schema: 'rc1/message' as const, from: 'reporter' as const, text: `Message ${i}` };
  return {
    tokenBytes: toB64u(token),
    token: formatToken(token),
    accessKey: toB64u(accessKey),
    accessHash: toB64u(accessHashOf(accessKey)),
    reporterPk: toB64u(reporter.publicKey),
    caseKey: toB64u(caseKey),
    report,
    envelope: sealDoc(caseKey, adReport(reporter.publicKey), report, { nonce: bytes(`rc1 project vector ${i} nonce`, 24), version: 1 }),
    identityKey: toB64u(identityKey),
    identity,
    identityEnvelope: sealDoc(identityKey, adIdentity(reporter.publicKey), identity, { nonce: bytes(`rc1 project vector ${i} inonce`, 24), version: 1 }),
    messageId: toB64u(messageId),
    message,
    messageEnvelope: sealDoc(caseKey, adMessage(reporter.publicKey, messageId), message, { nonce: bytes(`rc1 project vector ${i} mnonce`, 24), version: 1 }),
    recipientSeed: toB64u(recipientSeed),
    recipientPk: toB64u(recipient.publicKey),
    // crypto_box_seal is randomised, so this wrap is checked by opening, not by bytes.
    caseKeyWrap: toB64u(wrapKey(recipient.publicKey as PublicKey, caseKey)),
    reporterKeyWrap: toB64u(wrapKey(reporter.publicKey, caseKey)),
  };
});

const out = new URL('./project-vectors.json', import.meta.url);
writeFileSync(out, JSON.stringify({ protocol: 'rc1', note: 'fixed keys and nonces only for reproducibility', vectors }, null, 1) + '\n');
console.log(`wrote ${vectors.length} vectors to ${out.pathname}`);
