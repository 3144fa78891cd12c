// Regenerates docs/record-vectors.json: `npx tsx shared/test/make-record-vectors.ts`.
// Fixed token, ids, keys and nonces make the file reproducible; record-vectors.test.ts checks the
// code still produces exactly these bytes, and py_client.py (server/test/py-client.test.ts) opens
// the entries with PyNaCl from the file and docs/PROTOCOL.md alone.
import { writeFileSync } from 'node:fs';
import { sodium } from '../src/crypto/sodium.ts';
import {
  accessHashOf, adRecordEntry, adRecordSubject, deriveAccessKey, deriveRecordAccessKey, deriveRecordWrapKey, deriveReporterKeyPair,
  entrySealedHash, formatRecordToken, ready, sealRecordEntry, toB64u, wrapRecordKey, type CaseToken, type SymmetricKey,
} from '../src/crypto/index.ts';

await ready();
const bytes = (label: string, n: number): Uint8Array => sodium().crypto_generichash(n, new TextEncoder().encode(label), null);

const token = bytes('record vector token', 16).slice(0, 15) as CaseToken;
const recordId = bytes('record vector record id', 16);
const recordKey = bytes('record vector record key', 32) as SymmetricKey;
const holderNonce = bytes('record vector holder nonce', 24);
const wrapKey = deriveRecordWrapKey(token);
const accessKey = deriveRecordAccessKey(token);

const inputs = [
  { entry: { what: 'The sergeant took my radio and laughed about it in the parade room.', when: 'Monday early turn', where: 'Parade room' }, subject: { name: 'A. Example', collar: 'XX1234', role: 'Sergeant' } },
  { entry: { what: 'Left off the rota again, ' + 'z'.repeat(1100) }, subject: {} },
];
const entries = inputs.map((input, i) => {
  const id = bytes(`record vector entry id ${i}`, 16);
  const sealed = sealRecordEntry(recordKey, recordId, input.entry, input.subject, {
    id, entry: { nonce: bytes(`record vector entry nonce ${i}`, 24) }, subject: { nonce: bytes(`record vector subject nonce ${i}`, 24) },
  });
  return {
    id: sealed.id,
    entry: { ad: toB64u(adRecordEntry(recordId, id)), plaintext: { schema: 'rc2/record-entry', ...input.entry }, ...sealed.entry },
    subject: { ad: toB64u(adRecordSubject(recordId, id)), plaintext: { schema: 'rc2/record-subject', ...input.subject }, ...sealed.subject },
    sealedHash: toB64u(entrySealedHash(recordId, sealed)),
  };
});

const out = {
  comment: 'Private record vectors (docs/PROTOCOL.md "Private records"). DEMO values: fixed only so the bytes are reproducible.',
  tokenBytes: toB64u(token),
  tokenDisplay: formatRecordToken(token),
  recordAccessKey: toB64u(accessKey),
  recordAccessHash: toB64u(accessHashOf(accessKey)),
  recordWrapKey: toB64u(wrapKey),
  recordId: toB64u(recordId),
  recordKey: toB64u(recordKey),
  holderKeyNonce: toB64u(holderNonce),
  holderKey: toB64u(wrapRecordKey(wrapKey, recordId, recordKey, holderNonce)),
  entries,
  // After conversion the same token is the case token: the case labels give these.
  asCase: {
    caseAccessHash: toB64u(accessHashOf(deriveAccessKey(token))),
    reporterPk: toB64u(deriveReporterKeyPair(token).publicKey),
  },
};
writeFileSync(new URL('../../docs/record-vectors.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
console.log('wrote docs/record-vectors.json');
