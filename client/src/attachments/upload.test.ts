// The uploader against an in-memory server: chunks read with Blob.slice,
// sealed in order, resumed after a dropped connection (including one whose
// answer was lost after the chunk was stored), and the result opens.
import { beforeAll, describe, expect, it } from 'vitest';
import * as c from '../../../shared/src/crypto/index.ts';
import { ApiError } from '../api.ts';
import { uploadFile, progressWords, type UploadTarget } from './upload.ts';

beforeAll(c.ready);

function fakeServer(failures: { index: number; lostAnswer: boolean }[]) {
  const chunks = new Map<number, Uint8Array>();
  let meta: { id: string; chunks: number } | undefined;
  const calls: string[] = [];
  const target: UploadTarget = {
    start: async (b) => { meta = { id: b.id, chunks: b.paddedSize / c.ATTACHMENT_CHUNK }; return { id: b.id, chunks: meta.chunks, stored: [], complete: false, expiresAfter: '2026-01-16' }; },
    put: async (_id, i, sealed) => {
      calls.push(`put ${i}`);
      const f = failures.find((x) => x.index === i);
      if (f) {
        failures.splice(failures.indexOf(f), 1);
        if (f.lostAnswer) chunks.set(i, sealed);
        throw new ApiError(0, 'network', 'offline');
      }
      chunks.set(i, sealed);
    },
    status: async (id) => { calls.push('status'); return { id, chunks: meta!.chunks, stored: [...chunks.keys()].sort((a, b) => a - b), complete: false, expiresAfter: '2026-01-16' }; },
    complete: async (id) => ({ id, hash: 'h'.repeat(43), on: '2026-01-15' }),
  };
  return { target, chunks, calls, meta: () => meta };
}

describe('uploadFile', () => {
  it('resumes after interruptions and the stored stream opens to the file', async () => {
    const caseKey = c.generateKey();
    const pk = c.generateKeyPair().publicKey;
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 7) % 256);
    const server = fakeServer([{ index: 1, lostAnswer: false }, { index: 2, lostAnswer: true }]);
    const seen: string[] = [];
    let sealedMeta: { nonce: string; ct: string } | undefined;
    const realStart = server.target.start;
    server.target.start = async (b) => { sealedMeta = b.meta; return realStart(b); };
    await uploadFile(c, server.target, caseKey, pk, new Blob([bytes]), 'rota.bin', 'application/octet-stream', {
      sleep: async () => undefined, onProgress: (p) => seen.push(progressWords('rota.bin', p)),
    });
    // Chunk 1 failed and was sent again; chunk 2's answer was lost, and the status showed it stored.
    const count = (x: string) => server.calls.filter((y) => y === x).length;
    expect([count('put 0'), count('put 1'), count('put 2'), count('put 3'), count('status')]).toEqual([1, 2, 1, 1, 2]);
    expect(seen).toContain('The connection was lost while sending rota.bin. Trying again…');
    expect(seen.at(-1)).toBe('Sending rota.bin: 262 KB of 262 KB');
    const doc = c.openAttachmentMeta(caseKey, pk, c.fromB64u(server.meta()!.id), sealedMeta!);
    const o = c.openAttachment(doc);
    const parts = [0, 1, 2, 3].map((i) => o.open(i, server.chunks.get(i)!));
    o.finish();
    expect(Buffer.concat(parts).equals(Buffer.from(bytes))).toBe(true);
  });
  it('gives up on an error that waiting will not fix', async () => {
    const server = fakeServer([]);
    server.target.put = async () => { throw new ApiError(409, 'chunk_mismatch', 'no'); };
    await expect(uploadFile(c, server.target, c.generateKey(), c.generateKeyPair().publicKey, new Blob([new Uint8Array(10)]), 'a', '', { sleep: async () => undefined }))
      .rejects.toMatchObject({ code: 'chunk_mismatch' });
  });
});
