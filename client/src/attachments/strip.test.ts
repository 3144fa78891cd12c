// Metadata removal, one format at a time, on fixtures that carry GPS
// coordinates, an author's name and a device serial number
// (e2e/fixtures/metadata.ts). exifr (an independent reader) must find them
// before and nothing after; the picture or text itself must be unchanged.
import exifr from 'exifr';
import { unzipSync, strFromU8 } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import {
  AUTHOR, CAMERA, SERIAL, docxWithMetadata, pdfWithMetadata, pngWithMetadata, tinyJpeg, webpWithMetadata, withJpegMetadata,
} from '../../../e2e/fixtures/metadata.ts';
import { kindOf, strip } from './clean.ts';
import { stripJpeg } from './images.ts';

const has = (b: Uint8Array, s: string) => Buffer.from(b).includes(Buffer.from(s));
const everything = { tiff: true, exif: true, gps: true, xmp: true, iptc: true, icc: false, mergeOutput: true } as const;

describe('JPEG', () => {
  const before = withJpegMetadata(tinyJpeg());
  it('the fixture carries GPS, author and serial (read by exifr)', async () => {
    const m = await exifr.parse(before, everything);
    expect(m.latitude).toBeCloseTo(51.5033, 3);
    expect(m.longitude).toBeCloseTo(-0.1197, 3);
    expect(m.Artist).toBe(AUTHOR);
    expect(m.Make).toBe(CAMERA);
    expect(m.SerialNumber).toBe(SERIAL);
    expect(m.Byline).toBe(AUTHOR); // IPTC
    expect(m.creator).toBe(AUTHOR); // XMP
  });
  it('keeps the picture and drops EXIF, XMP, IPTC and the comment', async () => {
    const r = await strip('jpeg', before);
    expect(r.removed).toEqual(expect.arrayContaining([
      expect.stringMatching(/^EXIF/), expect.stringMatching(/^XMP/), expect.stringMatching(/^IPTC/), 'Comment',
    ]));
    expect(await exifr.parse(r.bytes, everything)).toBeUndefined();
    for (const s of [AUTHOR, SERIAL, CAMERA]) expect(has(r.bytes, s)).toBe(false);
    // The original picture, byte for byte: nothing re-encoded.
    expect(Buffer.from(r.bytes).equals(Buffer.from(tinyJpeg()))).toBe(true);
  });
  it('a clean JPEG reports nothing removed, and garbage is refused', () => {
    expect(stripJpeg(tinyJpeg()).removed).toEqual([]);
    expect(() => stripJpeg(Uint8Array.of(0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff))).toThrow();
  });
});

describe('PNG', () => {
  const before = pngWithMetadata();
  it('drops text, XMP, EXIF and time chunks; keeps the pixels', async () => {
    const m = await exifr.parse(before, everything);
    expect(m.latitude).toBeCloseTo(51.5033, 3);
    const r = await strip('png', before);
    expect(r.removed).toEqual(expect.arrayContaining([expect.stringMatching(/^Text notes/), expect.stringMatching(/^EXIF/), 'Date last changed']));
    expect(m.Author ?? m.creator).toBe(AUTHOR);
    // Only the image header is left to read: no position, no names, no device.
    expect(Object.keys(await exifr.parse(r.bytes, everything)).sort()).toEqual(['BitDepth', 'ColorType', 'Compression', 'Filter', 'ImageHeight', 'ImageWidth', 'Interlace']);
    for (const s of [AUTHOR, SERIAL, CAMERA]) expect(has(r.bytes, s)).toBe(false);
    expect(has(r.bytes, 'IDAT') && has(r.bytes, 'IHDR') && has(r.bytes, 'IEND')).toBe(true);
  });
});

describe('WebP', () => {
  it('drops EXIF and XMP chunks, clears their flags and fixes the RIFF size', async () => {
    const before = webpWithMetadata();
    expect(has(before, SERIAL) && has(before, AUTHOR)).toBe(true);
    const r = await strip('webp', before);
    expect(r.removed).toEqual([expect.stringMatching(/^EXIF/), expect.stringMatching(/^XMP/)]);
    for (const s of [AUTHOR, SERIAL, CAMERA]) expect(has(r.bytes, s)).toBe(false);
    expect(Buffer.from(r.bytes).readUInt32LE(4)).toBe(r.bytes.length - 8);
    expect(r.bytes[20]! & 0x0c).toBe(0); // VP8X flags
    expect(has(r.bytes, 'VP8L')).toBe(true);
  });
});

describe('PDF', () => {
  it('drops the information dictionary and XMP; keeps the page', async () => {
    const before = await pdfWithMetadata();
    const was = await PDFDocument.load(before, { updateMetadata: false });
    expect(was.getAuthor()).toBe(AUTHOR);
    expect(has(before, `<dc:creator>${AUTHOR}`)).toBe(true);
    const r = await strip('pdf', before);
    expect(r.removed).toEqual(expect.arrayContaining(['Author name', 'Program that made it', 'Title', 'Dates made and changed', expect.stringMatching(/^XMP/)]));
    const after = await PDFDocument.load(r.bytes, { updateMetadata: false });
    expect([after.getAuthor(), after.getTitle(), after.getCreator(), after.getProducer(), after.getCreationDate()]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(has(r.bytes, AUTHOR) || has(r.bytes, SERIAL) || has(r.bytes, 'xmpmeta')).toBe(false);
    expect(after.getPageCount()).toBe(1);
  });
});

describe('Office', () => {
  it('empties docProps (author, last editor, company) and keeps the document', async () => {
    const before = docxWithMetadata();
    const r = await strip('office', before);
    expect(r.removed).toEqual(['Author and last editor names, dates', 'Company, manager and template names']);
    const files = unzipSync(r.bytes);
    const all = Object.values(files).map((f) => strFromU8(f)).join('\n');
    expect(all).not.toContain(AUTHOR);
    expect(all).not.toContain(SERIAL);
    expect(strFromU8(files['word/document.xml']!)).toContain('Shift notes');
    expect(Object.keys(files).sort()).toEqual(Object.keys(unzipSync(before)).sort());
  });
});

describe('kinds', () => {
  it('recognises the accepted types and flags the ones it cannot clean', () => {
    expect(kindOf({ name: 'a.JPG', type: '' })).toBe('jpeg');
    expect(kindOf({ name: 'x', type: 'image/heic' })).toBe('heic');
    expect(kindOf({ name: 'report.docx', type: '' })).toBe('office');
    expect(kindOf({ name: 'call.m4a', type: 'audio/mp4' })).toBe('audio');
    expect(kindOf({ name: 'clip.mov', type: 'video/quicktime' })).toBe('video');
    expect(kindOf({ name: 'run.exe', type: 'application/x-msdownload' })).toBe('other');
  });
  it('refuses a file whose bytes are not its claimed type', async () => {
    await expect(strip('pdf', new Uint8Array(10))).rejects.toThrow();
    await expect(strip('png', tinyJpeg())).rejects.toThrow();
  });
});
