// Attachment sealing: the stored vectors open to the exact file and hash, the
// padded sizes follow the buckets, and a stream that was cut short, reordered,
// extended or tampered with does not open.
import { beforeAll, describe, expect, it } from 'vitest';
import vec from '../../../docs/attachment-vectors.json' with { type: 'json' };
import { sodium } from './sodium.ts';
import {
  ATTACHMENT_CHUNK, attachmentBucket, attachmentHasher, cleanName, fromB64u, generateKey, isAttachmentBucket,
  openAttachment, openAttachmentMeta, ready, SEALED_CHUNK, startAttachment, toB64u, adAttachment,
  type PublicKey, type SymmetricKey,
} from './index.ts';

beforeAll(ready);
const KiB = 1024;
const MiB = 1024 * KiB;

describe('attachment buckets', () => {
  it('double from 64 KiB to 1 MiB, then step by 1 MiB', () => {
    expect([0, 1, 64 * KiB, 64 * KiB + 1, 200 * KiB, MiB, MiB + 1, 25 * MiB - 3].map(attachmentBucket))
      .toEqual([64 * KiB, 64 * KiB, 64 * KiB, 128 * KiB, 256 * KiB, MiB, 2 * MiB, 25 * MiB]);
    expect(isAttachmentBucket(512 * KiB)).toBe(true);
    expect(isAttachmentBucket(3 * MiB)).toBe(true);
    expect(isAttachmentBucket(384 * KiB)).toBe(false);
    expect(isAttachmentBucket(0)).toBe(false);
    expect(isAttachmentBucket(MiB + ATTACHMENT_CHUNK)).toBe(false);
  });
  it('cleans names of paths and control characters', () => {
    expect(cleanName('C:\\Users\\pc1234\\Desktop\\rota.pdf')).toBe('rota.pdf');
    expect(cleanName('../../etc/x\u0000y.txt')).toBe('xy.txt');
    expect(cleanName('')).toBe('file');
    expect([...cleanName('é'.repeat(400))].length).toBe(255);
  });
});

describe('attachment vectors (docs/attachment-vectors.json)', () => {
  // Decoded after ready(): libsodium does the base64.
  const caseKey = Buffer.from(vec.caseKey, 'base64url') as Uint8Array as SymmetricKey;
  const pk = Buffer.from(vec.reporterPk, 'base64url') as Uint8Array as PublicKey;
  const id = new Uint8Array(Buffer.from(vec.attachmentId, 'base64url'));
  it('the meta opens under the case key with the attachment record data', () => {
    expect(toB64u(adAttachment(pk, id))).toBe(vec.recordAd);
    const doc = openAttachmentMeta(caseKey, pk, id, vec.meta as never);
    expect(doc).toMatchObject({ schema: 'rc1/attachment', name: 'Dienstplan März.pdf', type: 'application/pdf', size: 70_000, chunks: 2 });
  });
  it('the chunks open to the file, and hash to the attachment hash', () => {
    const doc = openAttachmentMeta(caseKey, pk, id, vec.meta as never);
    const opener = openAttachment(doc);
    const hasher = attachmentHasher();
    const parts = vec.chunks.map((c, i) => {
      const sealed = fromB64u(c);
      expect(sealed.length).toBe(SEALED_CHUNK);
      hasher.update(sealed);
      return opener.open(i, sealed);
    });
    opener.finish();
    const file = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (file.set(p, at), at + p.length), 0);
    expect(file.length).toBe(vec.fileSize);
    expect(file.every((b, i) => b === i % 251)).toBe(true);
    expect(toB64u(sodium().crypto_generichash(32, file, null))).toBe(vec.fileH0);
    expect(toB64u(hasher.digest())).toBe(vec.attachmentHash);
  });
  it('a wrong attachment id or case does not open the meta', () => {
    expect(() => openAttachmentMeta(caseKey, pk, new Uint8Array(16), vec.meta as never)).toThrow();
    expect(() => openAttachmentMeta(generateKey(), pk, id, vec.meta as never)).toThrow();
  });
});

describe('stream sealing', () => {
  let caseKey: SymmetricKey;
  let pk: PublicKey;
  let id: Uint8Array;
  const size = 3 * ATTACHMENT_CHUNK + 5;
  let file: Uint8Array;
  beforeAll(async () => {
    await ready();
    caseKey = generateKey();
    pk = sodium().crypto_box_keypair().publicKey as PublicKey;
    id = sodium().randombytes_buf(16);
    file = sodium().randombytes_buf(size);
  });
  function sealAll(): { chunks: Uint8Array[]; meta: ReturnType<typeof startAttachment>['meta'] } {
    const s = startAttachment(caseKey, pk, id, { name: 'a.bin', type: 'application/x-thing', size });
    const chunks = Array.from({ length: s.chunks }, (_, i) => s.seal(i, file.subarray(i * ATTACHMENT_CHUNK, (i + 1) * ATTACHMENT_CHUNK)));
    return { chunks, meta: s.meta };
  }
  const openAll = (meta: ReturnType<typeof sealAll>['meta'], chunks: Uint8Array[]): Uint8Array[] => {
    const o = openAttachment(openAttachmentMeta(caseKey, pk, id, meta));
    const out = chunks.map((c, i) => o.open(i, c));
    o.finish();
    return out;
  };

  it('pads to the bucket: every chunk the same length, whatever the size', () => {
    const { chunks } = sealAll();
    expect(chunks).toHaveLength(attachmentBucket(size) / ATTACHMENT_CHUNK);
    expect(chunks.every((c) => c.length === SEALED_CHUNK)).toBe(true);
  });
  it('round-trips, and drops the padding', () => {
    const { chunks, meta } = sealAll();
    const parts = openAll(meta, chunks);
    expect(Buffer.concat(parts).equals(Buffer.from(file))).toBe(true);
  });
  it('refuses out-of-order sealing and over-long chunks', () => {
    const s = startAttachment(caseKey, pk, id, { name: 'a', type: '', size: 10 });
    expect(() => s.seal(1, new Uint8Array(1))).toThrow(/order/);
    expect(() => s.seal(0, new Uint8Array(ATTACHMENT_CHUNK + 1))).toThrow();
  });
  it('refuses a truncated, reordered, tampered or extended stream', () => {
    const { chunks, meta } = sealAll();
    expect(() => openAll(meta, chunks.slice(0, 3))).toThrow();
    expect(() => openAll(meta, [chunks[1]!, chunks[0]!, chunks[2]!, chunks[3]!])).toThrow();
    const bad = chunks.map((c) => new Uint8Array(c));
    bad[2]!.set([bad[2]![100]! ^ 1], 100);
    expect(() => openAll(meta, bad)).toThrow();
    const o = openAttachment(openAttachmentMeta(caseKey, pk, id, meta));
    chunks.forEach((c, i) => o.open(i, c));
    expect(() => o.open(4, chunks[3]!)).toThrow();
  });
  it('the meta never carries a path or an odd type', () => {
    const s = startAttachment(caseKey, pk, id, { name: '/home/pc99/x.jpg', type: 'image/JPEG', size: 1 });
    expect(openAttachmentMeta(caseKey, pk, id, s.meta)).toMatchObject({ name: 'x.jpg', type: 'image/jpeg' });
    const t = startAttachment(caseKey, pk, id, { name: 'x', type: 'text/html; charset=utf-8', size: 1 });
    expect(openAttachmentMeta(caseKey, pk, id, t.meta).type).toBe('application/octet-stream');
  });
});
