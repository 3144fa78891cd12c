// Attachments against an independent implementation (PyNaCl, from
// docs/PROTOCOL.md alone): it opens our vectors and refuses a cut stream; we
// open a file it sealed, byte for byte, and agree on the attachment hash.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { sodium } from './sodium.ts';
import { attachmentHasher, fromB64u, openAttachment, openAttachmentMeta, ready, toB64u, type PublicKey, type SymmetricKey } from './index.ts';
import { hasPyNaCl, PYTHON } from '../../test/python.ts';

const script = fileURLToPath(new URL('../../test/interop_attachment.py', import.meta.url));
const vectors = fileURLToPath(new URL('../../../docs/attachment-vectors.json', import.meta.url));

beforeAll(ready);

describe.runIf(hasPyNaCl())('attachment interop with PyNaCl', () => {
  it('PyNaCl opens the vectors: meta, chunks, padding, hash; refuses truncated and reordered streams', () => {
    const lines = execFileSync(PYTHON, [script, vectors], { encoding: 'utf8' }).trim().split('\n');
    expect(lines).toEqual([
      'ok meta Dienstplan März.pdf 70000 2', 'ok stream 70000', expect.stringMatching(/^ok hash /),
      'ok refused truncated', 'ok refused reordered',
    ]);
  });

  it('opens a file PyNaCl sealed', () => {
    const f = JSON.parse(execFileSync(PYTHON, [script, '--seal'], { encoding: 'utf8' })) as {
      caseKey: string; reporterPk: string; attachmentId: string; meta: { nonce: string; ct: string };
      chunks: string[]; fileH0: string; attachmentHash: string;
    };
    const doc = openAttachmentMeta(fromB64u(f.caseKey) as SymmetricKey, fromB64u(f.reporterPk) as PublicKey, fromB64u(f.attachmentId), f.meta as never);
    expect(doc.name).toBe('from-python.bin');
    const opener = openAttachment(doc);
    const hasher = attachmentHasher();
    const parts = f.chunks.map((c, i) => { const s = fromB64u(c); hasher.update(s); return opener.open(i, s); });
    opener.finish();
    expect(toB64u(sodium().crypto_generichash(32, Buffer.concat(parts), null))).toBe(f.fileH0);
    expect(toB64u(hasher.digest())).toBe(f.attachmentHash);
  });
});
