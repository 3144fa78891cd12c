// Writes docs/attachment-vectors.json: `npx tsx shared/test/make-attachment-vectors.ts`.
// libsodium makes the secretstream header itself (no way to fix it), so unlike
// the other vector files this one is not byte-for-byte reproducible: it is made
// once and kept. attachment-vectors.test.ts and interop_attachment.py open it
// and check every byte they can recompute (the hash, the plaintext, the shape).
import { writeFileSync } from 'node:fs';
import { sodium } from '../src/crypto/sodium.ts';
import {
  adAttachment, attachmentHasher, ATTACHMENT_CHUNK, deriveReporterKeyPair, ready, startAttachment, toB64u,
  type CaseToken, type SymmetricKey,
} from '../src/crypto/index.ts';

await ready();
const bytes = (label: string, n: number): Uint8Array => sodium().crypto_generichash(n, new TextEncoder().encode(label), null);

const token = bytes('rc2 vector token', 16).slice(0, 15) as CaseToken;
const reporterPk = deriveReporterKeyPair(token).publicKey;
const caseKey = bytes('rc2 vector caseKey', 32) as SymmetricKey;
const attachmentId = bytes('rc2 vector attachment id', 16);
/** The file: byte i is i mod 251, 70,000 bytes, so it needs two chunks and a padded tail. */
const size = 70_000;
const file = Uint8Array.from({ length: size }, (_, i) => i % 251);

const sealer = startAttachment(caseKey, reporterPk, attachmentId, { name: 'Dienstplan März.pdf', type: 'application/pdf', size }, {
  nonce: bytes('rc2 vector attachment nonce', 24), fileKey: bytes('rc2 vector file key', 32),
});
const hasher = attachmentHasher();
const chunks: string[] = [];
for (let i = 0; i < sealer.chunks; i++) {
  const c = sealer.seal(i, file.subarray(i * ATTACHMENT_CHUNK, (i + 1) * ATTACHMENT_CHUNK));
  hasher.update(c);
  chunks.push(toB64u(c));
}
const doc = {
  protocol: 'rc2',
  note: 'an attachment of 70,000 bytes (byte i = i mod 251) sealed in two 64 KiB chunks; see docs/PROTOCOL.md "Attachments"',
  reporterPk: toB64u(reporterPk),
  caseKey: toB64u(caseKey),
  attachmentId: toB64u(attachmentId),
  recordAd: toB64u(adAttachment(reporterPk, attachmentId)),
  meta: sealer.meta,
  fileSize: size,
  fileH0: toB64u(sodium().crypto_generichash(32, file, null)),
  paddedSize: sealer.padded,
  chunks,
  attachmentHash: toB64u(hasher.digest()),
};
const out = new URL('../../docs/attachment-vectors.json', import.meta.url);
writeFileSync(out, JSON.stringify(doc, null, 1) + '\n');
console.log(`wrote ${chunks.length} chunks to ${out.pathname}`);
