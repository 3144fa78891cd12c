// Metadata removal for JPEG, PNG and WebP by dropping whole segments/chunks,
// never re-encoding the picture (a re-encode would lose quality and could add
// its own traces). What is kept is only what is needed to draw the image:
// JPEG: SOI, DQT, DHT, SOF*, SOS and the scan, DRI, EOI, plus an ICC profile
// (colours) and the JFIF header; PNG: the critical chunks and the few
// ancillary chunks that change how pixels look; WebP: VP8/VP8L/ALPH/ANIM
// frames, with the VP8X flags for EXIF and XMP cleared.
// No maintained library strips these without re-encoding, hence this module;
// images.test.ts checks each format with fixtures carrying GPS, author and serial.

export interface Stripped {
  bytes: Uint8Array;
  /** Plain-words names of what was removed, e.g. "EXIF (camera, GPS, serial numbers)". */
  removed: string[];
}

const seen = (list: string[], what: string) => { if (!list.includes(what)) list.push(what); };

export const isJpeg = (b: Uint8Array): boolean => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
export const isPng = (b: Uint8Array): boolean => b.length > 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v);
export const isWebp = (b: Uint8Array): boolean =>
  b.length > 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP';

function ascii(b: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...b.subarray(at, at + n));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** What an APPn segment holds, from its identifier. */
function jpegAppName(marker: number, body: Uint8Array): string | null {
  const id = ascii(body, 0, Math.min(body.length, 32));
  if (marker === 0xe0 && id.startsWith('JFIF')) return null; // density and version only
  if (marker === 0xe2 && id.startsWith('ICC_PROFILE')) return null; // colours; kept so the picture looks the same
  if (marker === 0xe1 && id.startsWith('Exif')) return 'EXIF (camera, date, GPS location, serial numbers)';
  if (marker === 0xe1 && id.includes('ns.adobe.com/xap')) return 'XMP (author, editing history, location)';
  if (marker === 0xe1) return 'XMP (author, editing history, location)';
  if (marker === 0xed) return 'IPTC (author, caption, place)';
  if (marker === 0xee && id.startsWith('Adobe')) return null; // colour transform flag, needed to decode some files
  if (marker === 0xe2 && id.startsWith('MPF')) return 'Maker data (extra pictures, camera details)';
  return 'Maker data (camera details)';
}

export function stripJpeg(b: Uint8Array): Stripped {
  if (!isJpeg(b)) throw new TypeError('not a JPEG');
  const out: Uint8Array[] = [b.subarray(0, 2)];
  const removed: string[] = [];
  let i = 2;
  while (i < b.length) {
    if (b[i] !== 0xff) throw new TypeError('JPEG segment expected');
    const marker = b[i + 1]!;
    if (marker === 0xff) { i++; continue; } // fill byte
    if (marker === 0xd9) { out.push(b.subarray(i, i + 2)); break; }
    if (marker >= 0xd0 && marker <= 0xd7) { out.push(b.subarray(i, i + 2)); i += 2; continue; }
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    const end = i + 2 + len;
    if (len < 2 || end > b.length) throw new TypeError('JPEG segment runs past the end');
    const body = b.subarray(i + 4, end);
    if (marker === 0xda) {
      // Start of scan: everything up to EOI is picture data (markers inside are escaped or restart markers).
      let j = end;
      while (j < b.length - 1 && !(b[j] === 0xff && b[j + 1] !== 0 && !(b[j + 1]! >= 0xd0 && b[j + 1]! <= 0xd7))) j++;
      out.push(b.subarray(i, j));
      i = j;
      continue;
    }
    const isApp = marker >= 0xe0 && marker <= 0xef;
    if (marker === 0xfe) { seen(removed, 'Comment'); i = end; continue; }
    if (isApp) {
      const name = jpegAppName(marker, body);
      if (name) { seen(removed, name); i = end; continue; }
    }
    out.push(b.subarray(i, end));
    i = end;
  }
  return { bytes: concat(out), removed };
}

/** Ancillary PNG chunks that change how the pixels look; everything else ancillary is dropped. */
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'pHYs', 'acTL', 'fcTL', 'fdAT']);
const PNG_WORDS: Record<string, string> = {
  tEXt: 'Text notes (author, software, comments)', zTXt: 'Text notes (author, software, comments)',
  iTXt: 'Text notes or XMP (author, software, location)', eXIf: 'EXIF (camera, date, GPS location, serial numbers)',
  tIME: 'Date last changed',
};

export function stripPng(b: Uint8Array): Stripped {
  if (!isPng(b)) throw new TypeError('not a PNG');
  const out: Uint8Array[] = [b.subarray(0, 8)];
  const removed: string[] = [];
  let i = 8;
  while (i + 8 <= b.length) {
    const len = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
    const type = ascii(b, i + 4, 4);
    const end = i + 12 + len;
    if (end > b.length) throw new TypeError('PNG chunk runs past the end');
    if (PNG_KEEP.has(type)) out.push(b.subarray(i, end));
    else seen(removed, PNG_WORDS[type] ?? 'Other embedded data');
    i = end;
    if (type === 'IEND') break;
  }
  return { bytes: concat(out), removed };
}

const u32le = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const WEBP_KEEP = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF', 'ICCP']);

export function stripWebp(b: Uint8Array): Stripped {
  if (!isWebp(b)) throw new TypeError('not a WebP');
  const parts: Uint8Array[] = [];
  const removed: string[] = [];
  let i = 12;
  while (i + 8 <= b.length) {
    const type = ascii(b, i, 4);
    const len = u32le(b, i + 4);
    const end = i + 8 + len + (len & 1);
    if (i + 8 + len > b.length) throw new TypeError('WebP chunk runs past the end');
    if (WEBP_KEEP.has(type)) {
      const chunk = b.slice(i, Math.min(end, b.length));
      // VP8X flags: bit 3 EXIF, bit 2 XMP. Cleared, since those chunks are gone.
      if (type === 'VP8X') chunk[8] = chunk[8]! & ~0x0c;
      parts.push(chunk);
    } else {
      seen(removed, type === 'EXIF' ? 'EXIF (camera, date, GPS location, serial numbers)' : type === 'XMP ' ? 'XMP (author, editing history, location)' : 'Other embedded data');
    }
    i = end;
  }
  const body = concat(parts);
  const header = new Uint8Array(12);
  header.set(b.subarray(0, 12));
  const size = body.length + 4;
  header.set([size & 0xff, (size >> 8) & 0xff, (size >> 16) & 0xff, (size >>> 24) & 0xff], 4);
  return { bytes: concat([header, body]), removed };
}
